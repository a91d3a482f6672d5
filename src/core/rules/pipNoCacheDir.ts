import type { Step } from '../model';
import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { cacheMountOn, callRange, callText, imageStages, insertAfterWord, managerCalls, PkgCommand, removesPath, runCommands, runSteps, isDryRun } from './packages';

const TRUTHY = new Set(['1', 'true', 'yes', 'on']);

export const PIP_CACHE_DIRS = ['~/.cache/pip'];

/** PIP_NO_CACHE_DIR set to a true value in the build's environment (ARG or ENV) at this step. */
function noCacheDirFromScope(step: Step): boolean {
  const v = step.scope.get('PIP_NO_CACHE_DIR')?.value;
  return v !== undefined && TRUTHY.has(v.toLowerCase());
}

/** PIP_NO_CACHE_DIR=1 as a prefix of the command, or exported earlier in the same RUN. */
function noCacheDirInScript(cmds: readonly PkgCommand[], cmd: PkgCommand): boolean {
  const truthy = (v: string | undefined) => v !== undefined && TRUTHY.has(v.toLowerCase());
  if (cmd.assignments.some((a) => a.name === 'PIP_NO_CACHE_DIR' && truthy(a.value))) return true;
  return cmds.some((c) => c.index < cmd.index && c.name === 'export'
    && c.args.some((w) => w.value?.startsWith('PIP_NO_CACHE_DIR=') && truthy(w.value.slice(17))));
}

export const pipNoCacheDir: Rule = {
  id: 'pip-no-cache-dir',
  category: 'size',
  severity: 'warning',
  aliases: { hadolint: ['DL3042'] },
  title: 'pip install without --no-cache-dir keeps a copy of every downloaded package in the layer',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(imageStages(ctx))) {
      if (noCacheDirFromScope(step)) continue;
      const cacheDir = step.scope.get('PIP_CACHE_DIR')?.value;
      if (cacheMountOn(step, cacheDir ? [...PIP_CACHE_DIRS, cacheDir] : PIP_CACHE_DIRS)) continue;
      const calls = managerCalls(ctx.model, step);
      if (!calls.length) continue;
      const cmds = runCommands(ctx.model, step);
      for (const call of calls) {
        if (call.manager !== 'pip' || call.sub !== 'install' || isDryRun(call)) continue;
        if (call.args.options.some((o) => o.name === 'no-cache-dir')) continue;
        if (noCacheDirInScript(cmds, call.cmd)) continue;
        if (removesPath(cmds, call.cmd.index, ['/root/.cache/pip', '~/.cache/pip', ...(cacheDir ? [cacheDir] : [])])) continue;
        out.push({
          ruleId: 'pip-no-cache-dir',
          message: t('"{0}" keeps every downloaded package in pip\'s cache (~/.cache/pip), in this layer. Add --no-cache-dir, set ENV PIP_NO_CACHE_DIR=1, or use a cache mount.', callText(call)),
          range: callRange(call),
          aliases: { hadolint: 'DL3042' },
          fixes: [{ title: t('Add --no-cache-dir'), edits: [insertAfterWord(call.subEnd, '--no-cache-dir')], isPreferred: true }],
        });
      }
    }
    return out;
  },
};
