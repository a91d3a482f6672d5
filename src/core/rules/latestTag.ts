import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';

export const latestTag: Rule = {
  id: 'latest-tag',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3006', 'DL3007'], trivy: ['DS-0001'] },
  title: 'Base image has no tag or uses :latest, so builds are not reproducible',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      if (stage.baseKind !== 'image' || !stage.image || !stage.baseRange) continue;
      if (stage.baseUnresolved.length) continue; // depends on a build-arg we cannot know
      const img = stage.image;
      if (img.digest) continue;
      const written = stage.from.args[0]?.value ?? '';
      const viaVariable = written.includes('$');
      const aliases: Aliases = { trivy: 'DS-0001' };
      let message: string;
      if (!img.tag) {
        if (!viaVariable) aliases.hadolint = 'DL3006';
        message = t('"{0}" has no tag, so it means "{0}:latest" — whatever that is on the day you build. Pin a version tag (and ideally a digest).', img.raw);
      } else if (img.tag.toLowerCase() === 'latest') {
        if (!viaVariable) aliases.hadolint = 'DL3007';
        message = t('"{0}" uses the latest tag, which moves: two builds of the same Dockerfile can get different base images. Pin a version tag (and ideally a digest).', img.raw);
      } else continue;
      out.push({ ruleId: 'latest-tag', message, range: stage.baseRange, aliases });
    }
    return out;
  },
};
