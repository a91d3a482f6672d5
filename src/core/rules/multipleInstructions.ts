/** Shared check for instructions of which only the last one in a stage takes effect. */
import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { deleteStepLines } from './util';

export function onlyLastCounts(id: string, keyword: string, hadolint: string | undefined, trivy: string | undefined, title: string): Rule {
  return {
    id,
    category: 'correctness',
    severity: 'warning',
    aliases: {
      ...(hadolint ? { hadolint: [hadolint] } : {}),
      buildkit: ['MultipleInstructionsDisallowed'],
      ...(trivy ? { trivy: [trivy] } : {}),
    },
    title,
    fixable: true,
    check({ model }) {
      const out: Finding[] = [];
      for (const stage of model.stages) {
        const hits = stage.steps.filter((s) => s.keyword === keyword);
        for (let i = 0; i < hits.length - 1; i++) {
          const step = hits[i];
          const last = hits[hits.length - 1];
          out.push({
            ruleId: id,
            message: t('Only the last {0} of a stage takes effect: this one (line {1}) is overridden by the {0} on line {2}.', keyword, step.range.start.line + 1, last.range.start.line + 1),
            range: step.range.start.line === step.range.end.line ? step.range : { start: step.range.start, end: step.keywordRange.end },
            aliases: {
              ...(hadolint ? { hadolint } : {}),
              buildkit: 'MultipleInstructionsDisallowed',
              ...(trivy ? { trivy } : {}),
            },
            fixes: [{ title: t('Remove this overridden {0}', keyword), edits: [deleteStepLines(model, step)], isPreferred: true }],
          });
        }
      }
      return out;
    },
  };
}
