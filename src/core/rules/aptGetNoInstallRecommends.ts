import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { APT, callRange, callText, imageStages, insertAfterWord, isInstall, managerCalls, runSteps, isDryRun } from './packages';

const FALSE = new Set(['false', '0', 'no', 'off']);

export const aptGetNoInstallRecommends: Rule = {
  id: 'apt-get-no-install-recommends',
  category: 'size',
  severity: 'info',
  aliases: { hadolint: ['DL3015'], trivy: ['DS-0029'] },
  title: 'apt-get install without --no-install-recommends also installs every recommended package',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(imageStages(ctx))) {
      for (const call of managerCalls(ctx.model, step)) {
        if (!APT.has(call.manager) || !isInstall(call) || call.operands.length === 0 || isDryRun(call)) continue;
        if (call.args.options.some((o) => o.name === 'no-install-recommends')) continue;
        // -o APT::Install-Recommends=false, or the same setting written as an operand (hadolint accepts both).
        const settings = [
          ...call.args.options.filter((o) => o.name === 'o' || o.name === 'option').map((o) => o.value ?? ''),
          ...call.operands.map((w) => w.value ?? ''),
        ];
        if (settings.some((v) => /^APT::Install-Recommends=/i.test(v) && FALSE.has(v.slice(v.indexOf('=') + 1).toLowerCase()))) continue;
        const aliases: Aliases = call.manager === 'apt-get' ? { hadolint: 'DL3015', trivy: 'DS-0029' } : {};
        out.push({
          ruleId: 'apt-get-no-install-recommends',
          message: t('"{0}" without --no-install-recommends also installs the packages these recommend, which the image rarely needs. Add --no-install-recommends and list what you need.', callText(call)),
          range: callRange(call),
          aliases,
          fixes: [{ title: t('Add --no-install-recommends'), edits: [insertAfterWord(call.subEnd, '--no-install-recommends')], isPreferred: true }],
        });
      }
    }
    return out;
  },
};
