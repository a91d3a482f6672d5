import type { Rule } from '../rule';
import type { Aliases, Finding, Fix } from '../types';
import { t } from '../l10n';
import type { ShellCommand } from '../shell';
import { runSteps, scriptIf } from './runScripts';

/** Options of sudo that change whose rights the command gets or how it runs: removing sudo is then not neutral. */
const SUDO_IDENTITY_OPTIONS = /^-(?:[a-zA-Z]*[ugUgrtChDpRTsil]|-(?:user|group|other-user|role|type|close-from|chdir|chroot|prompt|login|shell|list|host|validate|edit|remove-timestamp|reset-timestamp))/;

function isRootUser(user: string): boolean {
  const name = user.split(':')[0];
  return name === 'root' || /^0+$/.test(name);
}

export const sudoInRun: Rule = {
  id: 'sudo-in-run',
  category: 'security',
  severity: 'warning',
  aliases: { hadolint: ['DL3004'], trivy: ['DS-0010'] },
  title: 'sudo in RUN: RUN already runs as the USER in effect; sudo adds a setuid binary and an unpredictable TTY/env',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of runSteps(model)) {
      const script = scriptIf(model, step, ['sudo']);
      if (!script) continue;
      for (const cmd of script.commands) {
        if (cmd.program !== 'sudo' || !cmd.name) continue;
        const aliases: Aliases = { hadolint: 'DL3004' };
        // Trivy only matches sudo at the start of an `&&` part of the whole RUN text.
        if (trivyWouldMatch(cmd)) aliases.trivy = 'DS-0010';
        const finding: Finding = {
          ruleId: 'sudo-in-run',
          message: step.user.source === 'default'
            ? t('sudo in RUN: build steps already run as the USER in effect (root, unless the base image sets another user). Switch with USER, or use gosu/su-exec in an entrypoint to drop privileges at run time.')
            : t('sudo in RUN: build steps already run as the USER in effect ("{0}" here). Switch with USER, or use gosu/su-exec in an entrypoint to drop privileges at run time.', step.user.value),
          range: cmd.name.range,
          aliases,
        };
        const fix = removeSudoFix(cmd, step.user.value, step.user.source === 'step');
        if (fix) finding.fixes = [fix];
        out.push(finding);
      }
    }
    return out;
  },
};

function trivyWouldMatch(cmd: ShellCommand): boolean {
  const p = cmd.pipeline;
  return cmd.nesting.length === 0 && p.commands[0] === cmd && (p.op === undefined || p.op === '&&') && cmd.assignments.length === 0;
}

/** Deletes `sudo [-E|-n|-H ...] ` when the step already runs as root and sudo's options do not change identity. */
function removeSudoFix(cmd: ShellCommand, user: string, explicitRoot: boolean): Fix | undefined {
  if (!isRootUser(user) || !cmd.name) return undefined;
  let k = 0;
  while (k < cmd.args.length && cmd.args[k].value.startsWith('-')) {
    const v = cmd.args[k].value;
    if (v === '--') {
      k++;
      break;
    }
    if (SUDO_IDENTITY_OPTIONS.test(v) || cmd.args[k].hasExpansion) return undefined;
    k++;
  }
  const next = cmd.args[k];
  if (!next) return undefined;
  return {
    title: t('Remove sudo (this step already runs as root)'),
    edits: [{ range: { start: cmd.name.range.start, end: next.range.start }, newText: '' }],
    // Preferred only when this stage itself sets USER root; with the default, the base image may set another user.
    isPreferred: explicitRoot,
  };
}
