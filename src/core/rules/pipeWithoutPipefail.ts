import type { Rule } from '../rule';
import type { DockerfileModel, Stage, Step } from '../model';
import { rootStage } from '../model';
import type { Finding, Fix } from '../types';
import { t } from '../l10n';
import type { ShellCommand, ShellNestingKind, ShellPipeline, ShellScript } from '../shell';
import { insertLineBefore } from './util';
import { runSteps, scriptIf } from './runScripts';

/** Shells whose `-o pipefail` hadolint and Trivy accept in SHELL. */
const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash', 'ksh', 'mksh']);

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** True when a `-o pipefail` (also `-euo pipefail`, `-o errexit -o pipefail`) appears in these words. */
export function setsPipefail(words: readonly string[]): boolean {
  for (let i = 0; i + 1 < words.length; i++) {
    const w = words[i];
    if (words[i + 1] !== 'pipefail') continue;
    if (w === '-o' || (/^-[a-zA-Z]+$/.test(w) && w.endsWith('o'))) return true;
  }
  return false;
}

/** SHELL ["/bin/bash", "-o", "pipefail", "-c"] (or a shell we do not parse at all). */
function shellHasPipefail(shell: readonly string[]): boolean {
  return PIPEFAIL_SHELLS.has(basename(shell[0] ?? '')) && setsPipefail(shell);
}

const NEW_SHELL: ShellNestingKind[] = ['sh-c', 'heredoc-script'];

/** Whether `set -o pipefail` (or a `bash -o pipefail -c`) is in effect for a pipeline of the script. */
function pipefailInScript(script: ShellScript, pipeline: ShellPipeline): boolean {
  const depthOfNewShell = (n: ShellNestingKind[]) => {
    let d = -1;
    n.forEach((k, i) => {
      if (NEW_SHELL.includes(k)) d = i;
    });
    return d;
  };
  const innermost = depthOfNewShell(pipeline.nesting);
  if (innermost >= 0) {
    // A nested shell (`bash -o pipefail -c '...'`): its own flags count, not the outer script's.
    const first = pipeline.commands[0];
    const enclosing = first?.enclosing;
    if (enclosing && setsPipefail(enclosing.args.map((a) => a.value))) return true;
  }
  for (const c of script.commands) {
    if (c.start >= pipeline.start) break;
    if (c.program !== 'set' || !setsPipefail(c.args.map((a) => a.value))) continue;
    // The set must run in the same shell, before the pipeline, at an enclosing level (a subshell's set stays there).
    if (c.nesting.length > pipeline.nesting.length) continue;
    if (!c.nesting.every((k, i) => pipeline.nesting[i] === k)) continue;
    if (depthOfNewShell(pipeline.nesting) >= c.nesting.length) continue;
    return true;
  }
  return false;
}

function isAlpineLike(model: DockerfileModel, stage: Stage | undefined): boolean {
  return stage !== undefined && /(^|[/:-])(alpine|busybox)/i.test(rootStage(model, stage).base);
}

export const pipeWithoutPipefail: Rule = {
  id: 'pipe-without-pipefail',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL4006'], trivy: ['DS-0032'] },
  title: 'RUN with a pipe and no pipefail: a failing command before the last | does not fail the build',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of runSteps(model, false)) {
      if (shellHasPipefail(step.shell.value)) continue;
      const script = scriptIf(model, step, ['|']);
      if (!script) continue;
      // `RUN <<EOF` with `#!/bin/bash -eo pipefail`: the script runs with the shebang's options.
      const shebang = script.kind === 'heredoc' && /^#!([^\n]*)/.exec(script.text);
      if (shebang && setsPipefail(shebang[1].trim().split(/\s+/))) continue;
      const pipe = script.pipelines.find((p) => p.size > 1 && !pipefailInScript(script, p));
      if (!pipe) continue;
      const first = pipe.commands[0];
      const finding: Finding = {
        ruleId: 'pipe-without-pipefail',
        message: t('This RUN pipes "{0}" into another command without pipefail: if "{0}" fails, the build goes on with its partial output. Set "set -o pipefail" first, or SHELL ["/bin/bash", "-o", "pipefail", "-c"].', first?.program || '…'),
        range: pipe.range,
        aliases: { hadolint: 'DL4006', trivy: 'DS-0032' },
      };
      const fix = pipefailFix(model, step, script, first);
      if (fix) finding.fixes = [fix];
      out.push(finding);
    }
    return out;
  },
};

/**
 * On Alpine/BusyBox images, /bin/sh is BusyBox ash, which supports `set -o pipefail`: prefix the script with it.
 * Elsewhere /bin/sh is often dash, which rejects `set -o pipefail` (Debian 12), so the fix switches the shell to
 * bash with pipefail for this and the later RUNs of the stage; that needs bash in the image (Debian and Ubuntu
 * images have it), so it is offered but not preferred.
 */
function pipefailFix(model: DockerfileModel, step: Step, script: ShellScript, first: ShellCommand | undefined): Fix | undefined {
  if (step.shell.source === 'step' && !['sh', 'ash', 'bash', 'dash'].includes(basename(step.shell.value[0] ?? ''))) return undefined;
  if (script.kind === 'exec' || step.json) return undefined;
  const stage = model.stages[step.stage];
  if (isAlpineLike(model, stage) && script.kind === 'shell' && step.heredocs.length === 0 && first) {
    const top = script.pipelines.find((p) => p.nesting.length === 0);
    if (!top) return undefined;
    return {
      title: t('Start the script with "set -o pipefail &&" (BusyBox ash supports it)'),
      edits: [{ range: { start: top.range.start, end: top.range.start }, newText: 'set -o pipefail && ' }],
      isPreferred: true,
    };
  }
  return {
    title: t('Run RUN with bash -o pipefail from here on (the image must have bash)'),
    edits: [insertLineBefore(model, step, 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]')],
    isPreferred: false,
  };
}
