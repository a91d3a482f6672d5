import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { expand, unquote } from '../variables';

export const nonNumericUser: Rule = {
  id: 'non-numeric-user',
  category: 'security',
  severity: 'info',
  aliases: { hadolint: ['DL3066'] },
  title: 'USER by name instead of numeric UID: Kubernetes runAsNonRoot cannot verify it (off by default)',
  fixable: false,
  defaultEnabled: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      for (const step of stage.steps) {
        if (step.keyword !== 'USER' || !step.argsRange) continue;
        const ex = expand(step.argsText.trim(), step.scope, model.escapeChar);
        // A value from a build argument is the UID the build was given; unknown values are not judged.
        if (ex.unresolved.length) continue;
        const user = unquote(ex.value).split(':')[0];
        if (!user || /^\d+$/.test(user) || user === 'root') continue;
        out.push({
          ruleId: 'non-numeric-user',
          message: t('USER {0} is a name: the runtime resolves it through the image\'s /etc/passwd, and Kubernetes with runAsNonRoot refuses to start a container whose user it cannot tell is not root. Use the numeric UID (and GID), e.g. USER 10001:10001.', user),
          range: step.argsRange,
          aliases: { hadolint: 'DL3066' },
        });
      }
    }
    return out;
  },
};
