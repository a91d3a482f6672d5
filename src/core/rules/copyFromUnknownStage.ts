import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { editDistance } from './util';

/** Whether a --from value can only be an image reference (not a stage name). */
export function looksLikeImage(ref: string): boolean {
  return /[:/@.]/.test(ref);
}

export const copyFromUnknownStage: Rule = {
  id: 'copy-from-unknown-stage',
  category: 'correctness',
  severity: 'error',
  aliases: { hadolint: ['DL3022', 'DL3023'], trivy: ['DS-0006'] },
  title: 'COPY --from names no stage of this Dockerfile (BuildKit would pull it as an image), or its own stage',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    const names = model.stages.filter((s) => s.name).map((s) => ({ name: s.name as string, index: s.index }));
    for (const stage of model.stages) {
      for (const edge of stage.edges) {
        if (edge.kind !== 'copy-from') continue;
        const step = model.steps[edge.step];
        const kw = step.keyword;
        const written = step.flags.find((f) => f.name.toLowerCase() === 'from')?.value ?? '';
        if (kw === 'ADD') {
          out.push({
            ruleId: 'copy-from-unknown-stage',
            message: t('ADD has no --from flag: BuildKit rejects it. Use COPY --from={0} to copy from a stage or image.', written),
            range: edge.range,
            aliases: {},
          });
          continue;
        }
        if (written.includes('$')) {
          // BuildKit does not expand variables in --from; it fails the build.
          out.push({
            ruleId: 'copy-from-unknown-stage',
            message: t('COPY --from={0}: BuildKit does not expand variables in --from and fails the build. Define a stage with FROM {0} AS <name> and copy from that name.', written),
            range: edge.range,
            aliases: {},
          });
          continue;
        }
        const ref = written;
        const isNumber = /^\d+$/.test(ref);
        const selfByName = !isNumber && stage.name !== undefined && stage.name.toLowerCase() === ref.toLowerCase();
        const selfByIndex = isNumber && Number(ref) === stage.index;
        if (selfByName || selfByIndex) {
          out.push({
            ruleId: 'copy-from-unknown-stage',
            message: t('COPY --from={0} refers to the stage it is in: a stage cannot copy from itself.', ref),
            range: edge.range,
            // hadolint and Trivy compare stage names only.
            aliases: selfByName ? { hadolint: 'DL3023', trivy: 'DS-0006' } : {},
            severity: 'error',
          });
          continue;
        }
        if (edge.stage !== undefined) {
          if (edge.stage > stage.index) {
            out.push({
              ruleId: 'copy-from-unknown-stage',
              message: t('COPY --from={0} refers to a stage defined later in the file: current BuildKit fails the build (a stage must be defined before the stage that copies from it; only older engines accepted it). Move stage "{0}" up.', ref),
              range: edge.range,
              aliases: { hadolint: 'DL3022' },
            });
          }
          continue;
        }
        if (isNumber) {
          out.push({
            ruleId: 'copy-from-unknown-stage',
            message: t('COPY --from={0}: there is no earlier stage with index {0} (stages are numbered from 0).', ref),
            range: edge.range,
            aliases: {},
          });
          continue;
        }
        if (looksLikeImage(ref)) continue;
        const finding: Finding = {
          ruleId: 'copy-from-unknown-stage',
          message: t('COPY --from={0}: no stage is named "{0}", so BuildKit will pull an image called "{0}" from Docker Hub. Name a stage defined above, or write the image with a tag.', ref),
          range: edge.range,
          aliases: { hadolint: 'DL3022' },
        };
        const close = names
          .filter((n) => n.index !== stage.index)
          .map((n) => ({ ...n, d: editDistance(n.name.toLowerCase(), ref.toLowerCase()) }))
          .filter((n) => n.d <= Math.max(1, Math.floor(ref.length / 3)))
          .sort((a, b) => a.d - b.d);
        if (close.length) {
          finding.fixes = [{ title: t('Change to stage "{0}"', close[0].name), edits: [{ range: edge.range, newText: close[0].name }], isPreferred: true }];
        }
        out.push(finding);
      }
    }
    return out;
  },
};
