import type { Rule } from '../rule';
import type { DockerfileModel, Step } from '../model';
import { resolvePath } from '../model';
import type { Aliases, Finding, Fix, TextEdit } from '../types';
import { t } from '../l10n';
import type { ShellCommand, ShellScript } from '../shell';
import { insertLineAfter, insertLineBefore } from './util';
import { runSteps, scriptIf } from './runScripts';

/** Instructions whose meaning depends on the working directory in effect. */
const USES_WORKDIR = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'ONBUILD']);

export const cdInRun: Rule = {
  id: 'cd-in-run',
  category: 'style',
  severity: 'info',
  aliases: { hadolint: ['DL3003'], trivy: ['DS-0013'] },
  title: 'cd inside RUN: use WORKDIR, which every later instruction sees and which is easier to follow',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of runSteps(model)) {
      const script = scriptIf(model, step, ['cd']);
      if (!script) continue;
      // `$(cd dir && pwd)` computes a path; it does not change the directory of the build step.
      const cd = script.commands.find((c) => c.program === 'cd' && !c.nesting.includes('substitution') && !c.nesting.includes('process-substitution'));
      if (!cd || !cd.name) continue;
      const aliases: Aliases = { hadolint: 'DL3003' };
      // Trivy matches `cd ` at the start of an `&&` part of the RUN text.
      if (cd.nesting.length === 0 && cd.pipeline.commands[0] === cd && (cd.pipeline.op === undefined || cd.pipeline.op === '&&')) aliases.trivy = 'DS-0013';
      const finding: Finding = {
        ruleId: 'cd-in-run',
        message: t('cd inside RUN only lasts until the end of this RUN; use WORKDIR to set the directory for the steps that need it.'),
        range: cd.range,
        aliases,
      };
      const fix = step.isTrigger ? undefined : workdirFix(model, step, script, cd);
      if (fix) finding.fixes = [fix];
      out.push(finding);
    }
    return out;
  },
};

/**
 * `RUN cd /dir && rest` → `WORKDIR /dir` + `RUN rest` (+ `WORKDIR <previous>` after it when later steps of the
 * stage depend on the working directory). Only for that exact shape: the cd is the first command of the RUN, alone
 * in its pipeline, followed by `&&`, with one literal directory argument.
 */
function workdirFix(model: DockerfileModel, step: Step, script: ShellScript, cd: ShellCommand): Fix | undefined {
  if (script.kind !== 'shell' || step.heredocs.length || step.json) return undefined;
  const top = script.pipelines.filter((p) => p.nesting.length === 0);
  if (top.length < 2 || top[0].commands[0] !== cd || top[0].size !== 1 || top[1].op !== '&&') return undefined;
  if (cd.args.length !== 1 || cd.assignments.length || cd.redirects.length) return undefined;
  const dir = cd.args[0];
  if (dir.hasExpansion || !dir.value || dir.value === '-' || /[\s"'\\]/.test(dir.value)) return undefined;
  const absolute = dir.value.startsWith('/');
  if (!absolute && step.workdir.source === 'default') return undefined; // relative to a directory we do not know
  const target = resolvePath(step.workdir.value, dir.value);
  const next = top[1].commands[0] ?? undefined;
  const nextStart = next ? next.range.start : top[1].range.start;
  const edits: TextEdit[] = [
    insertLineBefore(model, step, `WORKDIR ${target}`),
    { range: { start: cd.range.start, end: nextStart }, newText: '' },
  ];
  const stage = model.stages[step.stage];
  const later = stage ? stage.steps.filter((s) => s.index > step.index) : [];
  const dependsOnDir = later.some((s) => USES_WORKDIR.has(s.keyword));
  if (dependsOnDir) {
    // Keep later steps where they were: restore the previous directory (known only when this Dockerfile set it).
    edits.push(insertLineAfter(model, step, `WORKDIR ${step.workdir.value}`));
  }
  return {
    title: dependsOnDir
      ? t('Use WORKDIR {0} for this RUN (and restore {1} after it)', target, step.workdir.value)
      : t('Use WORKDIR {0} instead of cd', target),
    edits,
    isPreferred: !dependsOnDir || step.workdir.source !== 'default',
  };
}
