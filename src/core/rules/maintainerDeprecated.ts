import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { unquote } from '../variables';

/** The LABEL that replaces `MAINTAINER <text>`, with the value in double quotes (`"`, `\` and `$` escaped). */
export function authorsLabel(written: string, maintainer: string, escapeChar: string): string {
  const value = unquote(maintainer.trim());
  // Inside double quotes the escape character escapes `"`, `$` and itself.
  const escaped = [...value].map((c) => (c === '"' || c === '$' || c === escapeChar ? escapeChar + c : c)).join('');
  const label = written === written.toLowerCase() ? 'label' : 'LABEL';
  return `${label} org.opencontainers.image.authors="${escaped}"`;
}

export const maintainerDeprecated: Rule = {
  id: 'maintainer-deprecated',
  category: 'style',
  severity: 'info',
  aliases: { hadolint: ['DL4000'], buildkit: ['MaintainerDeprecated'], trivy: ['DS-0022'] },
  title: 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of model.steps) {
      if (step.keyword !== 'MAINTAINER') continue;
      const finding: Finding = {
        ruleId: 'maintainer-deprecated',
        message: t('MAINTAINER is deprecated: tools read the author from the OCI label org.opencontainers.image.authors instead.'),
        range: step.range.start.line === step.range.end.line ? step.range : step.keywordRange,
        aliases: { hadolint: 'DL4000', buildkit: 'MaintainerDeprecated', trivy: 'DS-0022' },
      };
      if (step.argsText.trim()) {
        finding.fixes = [{
          title: t('Replace with LABEL org.opencontainers.image.authors'),
          edits: [{ range: step.range, newText: authorsLabel(step.written, step.argsText, model.escapeChar) }],
          isPreferred: true,
        }];
      }
      out.push(finding);
    }
    return out;
  },
};
