import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { cacheMountOn, callRange, callText, imageStages, insertAfterWord, isDryRun, managerCalls, removesPath, runCommands, runSteps } from './packages';

export const APK_CACHE_DIRS = ['/var/cache/apk', '/etc/apk/cache'];

export const apkAddNoCache: Rule = {
  id: 'apk-add-no-cache',
  category: 'size',
  severity: 'info',
  aliases: { hadolint: ['DL3019'], trivy: ['DS-0025'] },
  title: 'apk add without --no-cache leaves the package index in /var/cache/apk in the layer',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(imageStages(ctx))) {
      if (cacheMountOn(step, APK_CACHE_DIRS)) continue;
      const calls = managerCalls(ctx.model, step);
      if (!calls.length) continue;
      const cmds = runCommands(ctx.model, step);
      for (const call of calls) {
        if (call.manager !== 'apk' || call.sub !== 'add' || isDryRun(call)) continue;
        // --no-network installs only what is already on disk: nothing is downloaded, so nothing is cached.
        if (call.args.options.some((o) => o.name === 'no-cache' || o.name === 'no-network')) continue;
        // Removing the cache later in the same RUN keeps it out of the layer too.
        if (removesPath(cmds, call.cmd.index, ['/var/cache/apk'])) continue;
        out.push({
          ruleId: 'apk-add-no-cache',
          message: t('"{0}" without --no-cache keeps the downloaded package index in /var/cache/apk, in this layer. Add --no-cache (it also makes "apk update" unnecessary).', callText(call)),
          range: callRange(call),
          aliases: { hadolint: 'DL3019', trivy: 'DS-0025' },
          fixes: [{ title: t('Add --no-cache'), edits: [insertAfterWord(call.subEnd, '--no-cache')], isPreferred: true }],
        });
      }
    }
    return out;
  },
};
