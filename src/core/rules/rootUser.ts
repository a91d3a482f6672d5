import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import type { DockerfileModel, Stage, Step } from '../model';
import { expandedArgs } from './util';

/** Whether a USER value means uid 0 (`root`, `0`, `root:group`, `0:0`). Unknown variables are not root. */
export function isRootUser(value: string): boolean {
  const u = value.trim().split(':')[0].trim().toLowerCase();
  return u === 'root' || u === '0';
}

/**
 * The last USER step that determines who the target image runs as: walks the target stage and then the stages
 * it is built FROM, since a stage inherits its parent's USER.
 */
export function effectiveUserStep(model: DockerfileModel, stage: Stage): { step?: Step; stage: Stage } {
  let s: Stage | undefined = stage;
  const seen = new Set<number>();
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    for (let i = s.steps.length - 1; i >= 0; i--) {
      if (s.steps[i].keyword === 'USER') return { step: s.steps[i], stage: s };
    }
    s = s.baseKind === 'stage' && s.baseStage !== undefined ? model.stages[s.baseStage] : undefined;
  }
  return { stage: s ?? stage };
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
      finding.fixes = [{
        title: t('Run as an unprivileged user (USER 65534:65534, "nobody")'),
        edits: [{ range, newText: '65534:65534' }],
        isPreferred: true,
      }];
    }
    return [finding];
  },
};

