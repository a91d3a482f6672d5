import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { runSteps, scriptIf } from './runScripts';

export const chpasswdInRun: Rule = {
  id: 'chpasswd-in-run',
  category: 'security',
  severity: 'warning',
  aliases: {},
  title: 'chpasswd in RUN: the password is in the Dockerfile, the build history and every copy of the image',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of runSteps(model)) {
      const script = scriptIf(model, step, ['chpasswd']);
      if (!script) continue;
      for (const cmd of script.commands) {
        if (cmd.program !== 'chpasswd' || !cmd.name) continue;
        out.push({
          ruleId: 'chpasswd-in-run',
          message: t('chpasswd sets a password at build time: it is readable in the Dockerfile and the image history, and every container of the image shares it. Use key-based access, or set credentials at run time from a secret.'),
          range: cmd.name.range,
          aliases: {},
        });
      }
    }
    return out;
  },
};
