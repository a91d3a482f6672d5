import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { readOptions, runSteps, scriptIf } from './runScripts';

const SH_PATHS = new Set(['/bin/sh', '/usr/bin/sh']);

export const defaultShellViaLn: Rule = {
  id: 'default-shell-via-ln',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL4005'] },
  title: 'ln replaces /bin/sh: use SHELL to choose the shell of RUN instead of changing the image\'s /bin/sh',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of runSteps(model)) {
      const script = scriptIf(model, step, ['/bin/sh']);
      if (!script) continue;
      for (const cmd of script.commands) {
        if (cmd.program !== 'ln' || !cmd.name) continue;
        const { options, operands } = readOptions(cmd, { shortWithValue: 'tS', longWithValue: ['target-directory', 'suffix'] });
        if (operands.length < 2 && !options.some((o) => o.name === 't' || o.name === 'target-directory')) continue;
        // The link that is created: the last operand (or `-t DIR` + the source's name).
        const dest = operands[operands.length - 1];
        const dir = options.find((o) => o.name === 't' || o.name === 'target-directory');
        const target = dir ? `${(dir.value ?? '').replace(/\/$/, '')}/${(operands[0]?.value ?? '').split('/').pop()}` : dest?.value;
        if (!target || !SH_PATHS.has(target)) continue;
        out.push({
          ruleId: 'default-shell-via-ln',
          message: t('ln makes {0} point to another shell: that changes /bin/sh for everything in the image, not just for RUN. Use SHELL ["/bin/bash", "-c"] to pick the shell of RUN.', target),
          range: cmd.range,
          aliases: { hadolint: 'DL4005' },
        });
      }
    }
    return out;
  },
};
