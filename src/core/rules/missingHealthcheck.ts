import type { Rule } from '../rule';
import type { Stage } from '../model';
import type { Finding } from '../types';
import { t } from '../l10n';
import { fromHeadRange } from './util';

export const missingHealthcheck: Rule = {
  id: 'missing-healthcheck',
  category: 'correctness',
  severity: 'info',
  aliases: { hadolint: ['DL3057'], trivy: ['DS-0026'] },
  title: 'The target image has no HEALTHCHECK (off by default)',
  fixable: false,
  defaultEnabled: false,
  check({ model, target }) {
    if (!target || model.fragment) return [];
    // HEALTHCHECK is inherited through FROM <stage>; HEALTHCHECK NONE is a decision, not an omission.
    for (let s: Stage | undefined = target; s; s = s.baseStage !== undefined ? model.stages[s.baseStage] : undefined) {
      if (s.steps.some((x) => x.keyword === 'HEALTHCHECK')) return [];
      if (s.baseKind !== 'stage') break;
    }
    const finding: Finding = {
      ruleId: 'missing-healthcheck',
      message: t('The image built from this stage has no HEALTHCHECK: Docker reports the container as running even when the application in it hangs. Add HEALTHCHECK CMD <command that fails when the service is unhealthy>, or HEALTHCHECK NONE to say it is deliberate. (The base image may define one.)'),
      range: fromHeadRange(target),
      aliases: { hadolint: 'DL3057', trivy: 'DS-0026' },
    };
    return [finding];
  },
};
