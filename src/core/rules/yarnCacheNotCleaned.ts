import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { appendToRun, cacheMountOn, callRange, callText, imageStages, isYarnInstall, managerCalls, removesPath, runCommands, runSteps } from './packages';

export const YARN_CACHE_DIRS = ['/usr/local/share/.cache/yarn', '~/.cache/yarn', '~/.yarn/berry/cache'];

export const yarnCacheNotCleaned: Rule = {
  id: 'yarn-cache-not-cleaned',
  category: 'size',
  severity: 'info',
  aliases: { hadolint: ['DL3060'] },
  title: 'yarn install without yarn cache clean in the same RUN leaves the yarn cache in the layer',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(imageStages(ctx))) {
      const folder = step.scope.get('YARN_CACHE_FOLDER')?.value;
      const dirs = folder ? [...YARN_CACHE_DIRS, folder] : YARN_CACHE_DIRS;
      if (cacheMountOn(step, dirs)) continue;
      const calls = managerCalls(ctx.model, step);
      if (!calls.length) continue;
      const cmds = runCommands(ctx.model, step);
      // `yarn` with no command is `yarn install`.
      const installs = calls.filter(isYarnInstall);
      if (installs.length === 0) continue;
      const last = installs[installs.length - 1];
      if (calls.some((c) => c.cmd.index > last.cmd.index && c.manager === 'yarn' && c.sub === 'cache' && c.operands[0]?.value === 'clean')) continue;
      if (removesPath(cmds, last.cmd.index, dirs)) continue;
      const edit = appendToRun(ctx.model, step, 'yarn cache clean');
      out.push({
        ruleId: 'yarn-cache-not-cleaned',
        message: t('"{0}" keeps a copy of every package in the yarn cache, in this layer. End the same RUN with "yarn cache clean" (or use a cache mount).', callText(last)),
        range: callRange(last),
        aliases: { hadolint: 'DL3060' },
        fixes: edit ? [{ title: t('Append "{0}" to this RUN', 'yarn cache clean'), edits: [edit], isPreferred: true }] : undefined,
      });
    }
    return out;
  },
};
