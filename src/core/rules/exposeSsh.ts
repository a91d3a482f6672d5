import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { exposeSpecs, exposeSteps } from './exposePorts';

export const exposeSsh: Rule = {
  id: 'expose-ssh',
  category: 'security',
  severity: 'warning',
  aliases: { trivy: ['DS-0004'] },
  title: 'EXPOSE 22: the image advertises an SSH server, which containers should not run',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of exposeSteps(model)) {
      for (const spec of exposeSpecs(model, step)) {
        if (spec.value === undefined || spec.malformed || spec.from === undefined || spec.to === undefined) continue;
        if (!(spec.from <= 22 && 22 <= spec.to)) continue;
        if (spec.proto !== undefined && spec.proto.toLowerCase() === 'sctp') continue;
        // Trivy compares the words as written: "22", "22/tcp" or "22/udp".
        const trivy = ['22', '22/tcp', '22/udp'].includes(spec.word.raw);
        out.push({
          ruleId: 'expose-ssh',
          message: spec.from === spec.to
            ? t('EXPOSE {0} advertises SSH: running an SSH server in a container adds keys, a daemon and a way in to maintain. Use docker exec (or kubectl exec) to get a shell instead.', spec.value)
            : t('EXPOSE {0} includes port 22 (SSH): running an SSH server in a container adds keys, a daemon and a way in to maintain. Use docker exec (or kubectl exec) to get a shell instead.', spec.value),
          range: spec.word.range,
          aliases: trivy ? { trivy: 'DS-0004' } : {},
        });
      }
    }
    return out;
  },
};
