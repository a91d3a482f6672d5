import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';

export const fromAsCasing: Rule = {
  id: 'from-as-casing',
  category: 'style',
  severity: 'info',
  aliases: { buildkit: ['FromAsCasing'] },
  title: 'The AS keyword should be cased like the FROM keyword',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      const as = stage.asKeyword;
      if (!as) continue;
      const from = stage.from.written;
      const fromUpper = from === from.toUpperCase();
      const fromLower = from === from.toLowerCase();
      const want = fromUpper ? 'AS' : fromLower ? 'as' : undefined;
      if (!want || as.value === want) continue;
      out.push({
        ruleId: 'from-as-casing',
        message: t('"{0}" does not match the casing of "{1}": write "{2}".', as.value, from, want),
        range: as.range,
        aliases: { buildkit: 'FromAsCasing' },
        fixes: [{ title: t('Change to "{0}"', want), edits: [{ range: as.range, newText: want }], isPreferred: true }],
      });
    }
    return out;
  },
};
