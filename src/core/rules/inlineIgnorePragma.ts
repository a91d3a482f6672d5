import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';

const PRAGMA = /^(hadolint|dockerfile-insight)\s+(global\s+)?ignore\s*=/i;

/**
 * Inline ignore comments (ours and hadolint's), for teams that want every suppression in a reviewed config file
 * instead (hadolint DL1001). Off by default, as in hadolint.
 */
export const inlineIgnorePragma: Rule = {
  id: 'inline-ignore-pragma',
  category: 'style',
  severity: 'info',
  aliases: { hadolint: ['DL1001'] },
  title: 'An inline ignore comment suppresses findings (off by default)',
  fixable: false,
  defaultEnabled: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const c of model.comments) {
      const m = PRAGMA.exec(c.text.trim());
      if (!m) continue;
      const hadolint = m[1].toLowerCase() === 'hadolint';
      out.push({
        ruleId: 'inline-ignore-pragma',
        message: t('This comment suppresses findings inline. Your team asked for suppressions to live in the configuration file (.dockerfile-insight.json or .hadolint.yaml), where they are reviewed in one place.'),
        range: c.range,
        aliases: hadolint ? { hadolint: 'DL1001' } : {},
      });
    }
    return out;
  },
};
