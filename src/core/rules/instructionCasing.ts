import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { KNOWN_INSTRUCTIONS } from '../model';

function casing(written: string): 'upper' | 'lower' | 'mixed' {
  return written === written.toUpperCase() ? 'upper' : written === written.toLowerCase() ? 'lower' : 'mixed';
}

export const instructionCasing: Rule = {
  id: 'instruction-casing',
  category: 'style',
  severity: 'info',
  aliases: { buildkit: ['ConsistentInstructionCasing'] },
  title: 'Instruction keywords should all be cased the same way, like the majority of the file (usually UPPERCASE)',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    // Like BuildKit, count the instructions of the stages (FROM included); a tie goes to uppercase.
    let upper = 0;
    let lower = 0;
    // Unknown instructions are syntax errors, not a casing question.
    const steps = model.steps.filter((s) => KNOWN_INSTRUCTIONS.has(s.keyword));
    for (const s of steps) {
      if (s.stage < 0) continue;
      const c = casing(s.written);
      if (c === 'upper') upper++;
      else if (c === 'lower') lower++;
    }
    const majority = lower > upper ? 'lower' : 'upper';
    for (const s of steps) {
      if (casing(s.written) === majority) continue;
      const want = majority === 'lower' ? s.written.toLowerCase() : s.written.toUpperCase();
      out.push({
        ruleId: 'instruction-casing',
        message: majority === 'upper'
          ? t('"{0}" should be uppercase like most instructions in this file: "{1}".', s.written, want)
          : t('"{0}" should be lowercase like most instructions in this file: "{1}".', s.written, want),
        range: s.keywordRange,
        // BuildKit checks the instructions of stages only, not the ARGs before the first FROM.
        aliases: s.stage >= 0 ? { buildkit: 'ConsistentInstructionCasing' } : {},
        fixes: [{ title: t('Change to "{0}"', want), edits: [{ range: s.keywordRange, newText: want }], isPreferred: true }],
      });
    }
    return out;
  },
};
