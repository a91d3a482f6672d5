import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { keyValueArgs, stepWords } from './words';

/** `value` written so that `KEY=<result>` means what `KEY value` meant, or undefined when that is not simple. */
export function keyValueForm(rawValue: string, escapeChar: string, oneWord: boolean): string | undefined {
  if (oneWord) return rawValue;
  // A value with blanks needs quotes; without quotes or escapes in it, double quotes change nothing else.
  if (/["']/.test(rawValue) || rawValue.includes(escapeChar) || /[\r\n]/.test(rawValue)) return undefined;
  return `"${rawValue}"`;
}

export const legacyKeyValue: Rule = {
  id: 'legacy-key-value',
  category: 'style',
  severity: 'info',
  aliases: { buildkit: ['LegacyKeyValueFormat'] },
  title: 'ENV / LABEL in the legacy "key value" form: write key=value',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of model.steps) {
      if (step.keyword !== 'ENV' && step.keyword !== 'LABEL') continue;
      const { pairs, legacy } = keyValueArgs(model, step);
      if (!legacy || !pairs.length || !pairs[0].hasValue || !pairs[0].valueRange) continue;
      const p = pairs[0];
      const finding: Finding = {
        ruleId: 'legacy-key-value',
        message: t('"{0} {1} value" is the legacy form: everything after the name becomes one value, and a later "=" in it is easy to misread. Write "{0} {1}=value"; the legacy form may be removed in a future release.', step.keyword, p.key),
        range: { start: p.keyRange.start, end: p.valueRange!.end },
        aliases: { buildkit: 'LegacyKeyValueFormat' },
      };
      const oneWord = stepWords(model, step).length === 2;
      const value = p.valueRange!.start.line === p.valueRange!.end.line ? keyValueForm(p.rawValue, model.escapeChar, oneWord) : undefined;
      if (value !== undefined && p.keyRange.start.line === p.valueRange!.end.line) {
        const text = `${p.word.raw}=${value}`;
        finding.fixes = [{ title: t('Change to {0}', text), edits: [{ range: finding.range, newText: text }], isPreferred: true }];
      }
      out.push(finding);
    }
    return out;
  },
};
