import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { allStages, callRange, callText, managerCalls, runSteps } from './packages';

export const distUpgrade: Rule = {
  id: 'dist-upgrade',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3035'], trivy: ['DS-0024'] },
  title: 'dist-upgrade in a build may add and remove packages of the base image; use a newer base image instead',
  fixable: false,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(allStages(ctx))) {
      for (const call of managerCalls(ctx.model, step)) {
        let aliases: Aliases | undefined;
        if ((call.manager === 'apt-get' || call.manager === 'apt') && (call.sub === 'dist-upgrade' || call.sub === 'full-upgrade')) {
          aliases = call.manager === 'apt-get' && call.sub === 'dist-upgrade' ? { trivy: 'DS-0024' } : {};
        } else if (call.manager === 'zypper' && (call.sub === 'dist-upgrade' || call.sub === 'dup')) {
          aliases = { hadolint: 'DL3035' };
        }
        if (!aliases) continue;
        out.push({
          ruleId: 'dist-upgrade',
          message: t('"{0}" upgrades the base image\'s packages and may install or remove packages to do so: the image then differs from the base image it names, and from one build to the next. Use a newer base image (or a plain upgrade of the packages you need).', callText(call)),
          range: callRange(call),
          aliases,
        });
      }
    }
    return out;
  },
};
