import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { copyArgs } from './words';

export const copyFromRoot: Rule = {
  id: 'copy-from-root',
  category: 'size',
  severity: 'warning',
  aliases: { hadolint: ['DL3067'] },
  title: 'COPY --from=<stage> / /: copies a whole filesystem on top of the image',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      for (const step of stage.steps) {
        if (step.keyword !== 'COPY') continue;
        const from = step.flags.find((f) => f.name.toLowerCase() === 'from');
        if (!from) continue;
        const args = copyArgs(model, step);
        if (!args.dest || args.dest.value !== '/' || !args.sources.some((s) => s.value === '/')) continue;
        out.push({
          ruleId: 'copy-from-root',
          message: t('COPY --from={0} / / copies that whole filesystem (package databases, caches, /etc) over this image: the layer is as big as the source and can silently replace files. Copy only the directories you need.', from.value ?? ''),
          range: step.range.start.line === step.range.end.line ? step.range : step.keywordRange,
          aliases: { hadolint: 'DL3067' },
        });
      }
    }
    return out;
  },
};
