import type { Rule } from '../rule';
import { t } from '../l10n';
import type { Step } from '../model';
import { BUILD_STEPS, effectiveUserStep } from './rootUser';
import { fromHeadRange, insertLineAfter } from './util';

/** Base images known to run as a non-root user by default. */
export function baseRunsAsNonRoot(image: string): boolean {
  const s = image.toLowerCase();
  return /(^|[:\-_/])nonroot([:\-_@]|$)/.test(s) || /(^|\/)(windows|nanoserver|servercore)(\/|:|$)/.test(s)
    || s.startsWith('mcr.microsoft.com/windows');
}

export const missingUser: Rule = {
  id: 'missing-user',
  category: 'security',
  severity: 'warning',
  aliases: { trivy: ['DS-0002'] },
  title: 'No USER anywhere in the target image: it runs as root unless the base image sets a user',
  fixable: true,
  check({ model, target }) {
    if (!target || model.fragment) return [];
    const { step, stage: root } = effectiveUserStep(model, target);
    if (step) return [];
    if (root.baseKind === 'image' && baseRunsAsNonRoot(root.base)) return [];
    if (root.baseKind === 'unknown' && root.baseUnresolved.length) return [];
    // Insert after the last filesystem step of the target stage so build steps keep running as root.
    let anchor: Step = target.from;
    for (const s of target.steps) if (BUILD_STEPS.has(s.keyword)) anchor = s;
    const message = root.baseKind === 'scratch'
      ? t('No USER instruction: containers from this image run as root (uid 0); an image built FROM scratch has no user of its own. Add a USER with an unprivileged uid.')
      : t('No USER instruction: containers from this image run as root (uid 0) unless the base image "{0}" sets a user. Add a USER with an unprivileged user.', root.base);
    return [{
      ruleId: 'missing-user',
      message,
      range: fromHeadRange(target),
      aliases: { trivy: 'DS-0002' },
      fixes: [{
        title: t('Add "USER 65534:65534" (nobody) after the last build step'),
        edits: [insertLineAfter(model, anchor, 'USER 65534:65534')],
        isPreferred: true,
      }],
    }];
  },
};
