import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import type { Stage } from '../model';
import { t } from '../l10n';

export const duplicateStageName: Rule = {
  id: 'duplicate-stage-name',
  category: 'correctness',
  severity: 'error',
  aliases: { hadolint: ['DL3024'], buildkit: ['DuplicateStageName'], trivy: ['DS-0012'] },
  title: 'Two stages have the same name (names are compared case-insensitively)',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    const seen = new Map<string, Stage>();
    for (const stage of model.stages) {
      if (!stage.name || !stage.nameRange) continue;
      const key = stage.name.toLowerCase();
      const first = seen.get(key);
      if (!first) {
        seen.set(key, stage);
        continue;
      }
      // BuildKit and Trivy lower-case stage names; hadolint compares them as written.
      const aliases: Aliases = { buildkit: 'DuplicateStageName', trivy: 'DS-0012' };
      if (model.stages.some((s) => s.index < stage.index && s.name === stage.name)) aliases.hadolint = 'DL3024';
      out.push({
        ruleId: 'duplicate-stage-name',
        message: t('Stage name "{0}" is already used by the stage on line {1}: references to "{0}" (FROM, COPY --from, --target) become ambiguous. Give each stage its own name.', stage.name, first.from.range.start.line + 1),
        range: stage.nameRange,
        aliases,
      });
    }
    return out;
  },
};
