import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { runSteps, scriptIf } from './runScripts';
import { Needles } from './util';

/** hadolint DL3001's list: interactive tools, process and service control, and mounts, none of which persist. */
const POINTLESS = new Set(['free', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim']);
const POINTLESS_NEEDLES = new Needles([...POINTLESS]);

export const pointlessCommand: Rule = {
  id: 'pointless-command',
  category: 'correctness',
  severity: 'info',
  aliases: { hadolint: ['DL3001'] },
  title: 'RUN calls a command that makes no sense in an image build (ssh, vim, service, ps, top, kill, mount, ...)',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of runSteps(model)) {
      const script = scriptIf(model, step, POINTLESS_NEEDLES);
      if (!script) continue;
      for (const cmd of script.commands) {
        if (!cmd.name || !POINTLESS.has(cmd.program)) continue;
        out.push({
          ruleId: 'pointless-command',
          message: t('"{0}" in RUN: a build step has no terminal, no running services and no lasting processes or mounts, so "{0}" does nothing useful for the image.', cmd.program),
          range: cmd.name.range,
          aliases: { hadolint: 'DL3001' },
        });
      }
    }
    return out;
  },
};
