import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { indentOf, eolOf } from './util';
import { keyValueArgs, variableRefs } from './words';

export const envSelfReference: Rule = {
  id: 'env-self-reference',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3044'] },
  title: 'ENV uses a variable set in the same ENV instruction, which still has its old value there',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      for (const step of stage.steps) {
        if (step.keyword !== 'ENV') continue;
        const { pairs, legacy } = keyValueArgs(model, step);
        if (legacy || pairs.length < 2) continue;
        const names = new Map(pairs.map((p, i) => [p.key, i]));
        for (let i = 0; i < pairs.length; i++) {
          const p = pairs[i];
          if (!p.hasValue) continue;
          const w = p.word;
          const eq = w.raw.indexOf('=');
          const linear = w.end - w.start === w.raw.length;
          const seen = new Set<string>();
          for (const ref of variableRefs(model, linear ? w.start + eq + 1 : w.start, w.end)) {
            const j = names.get(ref.name);
            if (j === undefined || j === i || seen.has(ref.name)) continue;
            seen.add(ref.name);
            const before = step.scope.get(ref.name);
            const finding: Finding = {
              ruleId: 'env-self-reference',
              message: before
                ? t('{0} uses ${1}, which this same ENV sets: Docker expands every value with the variables from before the instruction, so {0} gets the old value of {1}, not "{2}". Set {1} in an ENV of its own first.', p.key, ref.name, pairs[j].rawValue)
                : t('{0} uses ${1}, which this same ENV sets: Docker expands every value with the variables from before the instruction, so ${1} is still undefined (empty) here. Set {1} in an ENV of its own first.', p.key, ref.name),
              range: ref.range,
              // hadolint accepts a reference to a name that an earlier ARG or ENV already defined.
              aliases: before ? {} : { hadolint: 'DL3044' },
            };
            const inner = model.comments.some((c) => c.line > step.range.start.line && c.line <= step.range.end.line);
            if (!inner && pairs.every((x) => x.word.end - x.word.start === x.word.raw.length)) {
              const kw = step.written;
              const lines = pairs.map((x) => `${kw} ${x.word.raw}`).join(eolOf(model) + indentOf(model, step));
              finding.fixes = [{ title: t('Split into one ENV per variable'), edits: [{ range: step.range, newText: lines }], isPreferred: true }];
            }
            out.push(finding);
          }
        }
      }
    }
    return out;
  },
};
