import type { Rule } from '../rule';
import { t } from '../l10n';
import type { Step } from '../model';
import { BUILD_STEPS, effectiveUserStep } from './rootUser';
import { fromHeadRange, insertLineAfter } from './util';
import { parseRunScript } from '../shell';
import type { DockerfileModel, Stage } from '../model';

/** Programs an entrypoint uses to drop root privileges at run time. */
const PRIVILEGE_DROPPERS = new Set(['gosu', 'su-exec', 'setpriv', 'runuser', 'chpst', 's6-setuidgid']);

/**
 * The privilege-dropping tool the target image's RUN steps install or exercise (official images run e.g.
 * `gosu nobody true` to check it works), if any. Only commands of the parsed scripts count, not text.
 */
function privilegeDropper(model: DockerfileModel, target: Stage): string | undefined {
  const seen = new Set<number>();
  for (let s: Stage | undefined = target; s && !seen.has(s.index); s = s.baseKind === 'stage' && s.baseStage !== undefined ? model.stages[s.baseStage] : undefined) {
    seen.add(s.index);
    for (const step of s.steps) {
      if (step.keyword !== 'RUN' || !/gosu|su-exec|setpriv|runuser|chpst|setuidgid/.test(step.argsText)) continue;
      for (const c of parseRunScript(model, step).commands) if (PRIVILEGE_DROPPERS.has(c.program)) return c.program;
    }
  }
  return undefined;
}

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
    const dropper = privilegeDropper(model, target);
    const message = dropper
      ? t('No USER instruction: containers from this image start as root. The image sets up {0}, so its entrypoint probably drops to an unprivileged user at run time; check that it does, or add a USER if the process can start unprivileged.', dropper)
      : root.baseKind === 'scratch'
      ? t('No USER instruction: containers from this image run as root (uid 0); an image built FROM scratch has no user of its own. Add a USER with an unprivileged uid.')
      : t('No USER instruction: containers from this image run as root (uid 0) unless the base image "{0}" sets a user. Add a USER with an unprivileged user.', root.base);
    return [{
      ruleId: 'missing-user',
      message,
      range: fromHeadRange(target),
      aliases: { trivy: 'DS-0002' },
      // Dropping privileges in the entrypoint is a deliberate, common pattern (official images): a note, not a warning.
      ...(dropper ? { severity: 'info' as const } : {}),
      fixes: [{
        title: t('Add "USER 65534:65534" (nobody) after the last build step'),
        edits: [insertLineAfter(model, anchor, 'USER 65534:65534')],
        isPreferred: true,
      }],
    }];
  },
};
