import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import type { DockerfileModel, Stage, Step } from '../model';
import { expandedArgs, insertLineAfter } from './util';

/** Steps that build the filesystem and may need root. */
export const BUILD_STEPS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** Whether a USER value means uid 0 (`root`, `0`, `root:group`, `0:0`). Unknown variables are not root. */
export function isRootUser(value: string): boolean {
  // User names are case-sensitive on Linux; any all-zero uid is uid 0.
  const u = value.trim().split(':')[0].trim();
  return u === 'root' || /^0+$/.test(u);
}

/**
 * The last USER step that determines who the target image runs as: walks the target stage and then the stages
 * it is built FROM, since a stage inherits its parent's USER.
 */
export function effectiveUserStep(model: DockerfileModel, stage: Stage): { step?: Step; stage: Stage } {
  let s: Stage = stage;
  const seen = new Set<number>();
  for (;;) {
    seen.add(s.index);
    for (let i = s.steps.length - 1; i >= 0; i--) {
      if (s.steps[i].keyword === 'USER') return { step: s.steps[i], stage: s };
    }
    const parent = s.baseKind === 'stage' && s.baseStage !== undefined ? model.stages[s.baseStage] : undefined;
    if (!parent || seen.has(parent.index)) return { stage: s };
    s = parent;
  }
}

export const rootUser: Rule = {
  id: 'root-user',
  category: 'security',
  severity: 'warning',
  aliases: { hadolint: ['DL3002'], trivy: ['DS-0002'] },
  title: 'The image runs as root: the last USER of the target stage is root or 0',
  fixable: true,
  check({ model, target }) {
    if (!target) return [];
    const { step } = effectiveUserStep(model, target);
    if (!step) return [];
    const user = expandedArgs(model, step);
    if (!user.known || !isRootUser(user.value)) return [];
    const range = step.argsRange ?? step.range;
    const finding: Finding = {
      ruleId: 'root-user',
      message: t('The image runs as root: the last USER is "{0}". A process that escapes the container is root on the host unless user namespaces remap it. Switch to an unprivileged user.', user.value),
      range,
      aliases: { hadolint: 'DL3002', trivy: 'DS-0002' },
    };
    // Only offer a fix when the USER is in the target stage itself (editing a parent stage changes it too).
    if (step.stage === target.index) {
      const after = target.steps.filter((s) => s.index > step.index && BUILD_STEPS.has(s.keyword));
      finding.fixes = [after.length === 0
        ? { title: t('Run as an unprivileged user (USER 65534:65534, "nobody")'), edits: [{ range, newText: '65534:65534' }], isPreferred: true }
        // Later build steps may need root: keep them as they are and switch user after the last one.
        : { title: t('Add "USER 65534:65534" (nobody) after the last build step'), edits: [insertLineAfter(model, after[after.length - 1], 'USER 65534:65534')], isPreferred: true }];
    }
    return [finding];
  },
};

