import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import type { ShellCommand } from '../shell';
import { runSteps, scriptIf } from './runScripts';

export const wgetAndCurl: Rule = {
  id: 'wget-and-curl',
  category: 'size',
  severity: 'info',
  aliases: { hadolint: ['DL4001'], trivy: ['DS-0014'] },
  title: 'Both wget and curl are used in one stage: pick one and install only that',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      const seen = new Set<string>();
      const steps = runSteps(model).filter((s) => s.stage === stage.index && !s.isTrigger);
      for (const step of steps) {
        const script = scriptIf(model, step, ['curl', 'wget']);
        if (!script) continue;
        const uses: ShellCommand[] = script.commands.filter((c) => c.name && (c.program === 'curl' || c.program === 'wget'));
        if (!uses.length) continue;
        for (const c of uses) seen.add(c.program);
        // As hadolint: once both have been used in the stage, every RUN that uses either is reported.
        if (seen.size < 2) continue;
        const other = (p: string) => (p === 'curl' ? 'wget' : 'curl');
        const at = uses[0];
        out.push({
          ruleId: 'wget-and-curl',
          message: t('This stage uses both wget and curl; "{0}" here could be "{1}" (or the other way round), so only one of them needs to be in the image.', at.program, other(at.program)),
          range: at.name!.range,
          aliases: { hadolint: 'DL4001', trivy: 'DS-0014' },
        });
      }
    }
    return out;
  },
};
