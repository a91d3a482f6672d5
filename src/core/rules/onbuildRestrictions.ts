import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';

const DISALLOWED = ['ONBUILD', 'FROM', 'MAINTAINER'];

export const onbuildRestrictions: Rule = {
  id: 'onbuild-restrictions',
  category: 'correctness',
  severity: 'error',
  aliases: { hadolint: ['DL3043'] },
  title: 'ONBUILD triggers ONBUILD, FROM or MAINTAINER, which Docker does not allow',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of model.steps) {
      const trig = step.keyword === 'ONBUILD' ? step.trigger : undefined;
      if (!trig || !DISALLOWED.includes(trig.keyword)) continue;
      out.push({
        ruleId: 'onbuild-restrictions',
        message: trig.keyword === 'ONBUILD'
          ? t('ONBUILD ONBUILD is not allowed: Docker refuses to build this file. A trigger cannot register another trigger.')
          : t('ONBUILD {0} is not allowed: Docker refuses to build this file. {0} cannot run as a trigger in the image that builds FROM this one.', trig.keyword),
        range: trig.keywordRange,
        aliases: { hadolint: 'DL3043' },
      });
    }
    return out;
  },
};
