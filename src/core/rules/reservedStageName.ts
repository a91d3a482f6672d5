import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';

/** Names BuildKit gives a meaning of its own: the empty image and the build context. */
export const RESERVED_STAGE_NAMES = ['scratch', 'context'];

export const reservedStageName: Rule = {
  id: 'reserved-stage-name',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3063'], buildkit: ['ReservedStageName'] },
  title: 'A stage is named scratch or context, names Docker already gives a meaning',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      if (!stage.name || !stage.nameRange) continue;
      const lower = stage.name.toLowerCase();
      if (!RESERVED_STAGE_NAMES.includes(lower)) continue;
      out.push({
        ruleId: 'reserved-stage-name',
        message: lower === 'scratch'
          ? t('Stage name "{0}" is reserved: FROM scratch means the empty image, so later references to this stage are confusing at best. Rename the stage.', stage.name)
          : t('Stage name "{0}" is reserved: "context" names the build context (COPY --from=context, named contexts), so references to this stage are ambiguous. Rename the stage.', stage.name),
        range: stage.nameRange,
        aliases: { hadolint: 'DL3063', buildkit: 'ReservedStageName' },
      });
    }
    return out;
  },
};
