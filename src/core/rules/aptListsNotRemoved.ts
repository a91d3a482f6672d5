import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { APT, appendToRun, mayMention, asManagerCall, cacheMountOn, callRange, callText, imageStages, removesPath, runCommands, runSteps } from './packages';

const LISTS = '/var/lib/apt/lists';

export const aptListsNotRemoved: Rule = {
  id: 'apt-lists-not-removed',
  category: 'size',
  severity: 'info',
  aliases: { hadolint: ['DL3009'] },
  title: 'apt-get update leaves the package lists (tens of MB) in the layer unless the same RUN removes them',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(imageStages(ctx))) {
      // The lists live in a cache or tmpfs mount, not in the layer.
      if (cacheMountOn(step, [LISTS])) continue;
      // Only an apt call (`apt-get update`) can make a finding: skip the parse when no apt name occurs.
      if (!mayMention(step, ['apt'])) continue;
      const cmds = runCommands(ctx.model, step);
      let lastUpdate: ReturnType<typeof asManagerCall>;
      for (const c of cmds) {
        const call = asManagerCall(c);
        if (call && APT.has(call.manager) && call.sub === 'update') lastUpdate = call;
      }
      if (!lastUpdate) continue;
      const after = lastUpdate.cmd.index;
      if (removesPath(cmds, after, [LISTS])) continue;
      // `apt-get distclean` (apt 2.7+) removes the lists too; so does `find /var/lib/apt/lists ... -delete`.
      if (cmds.some((c) => {
        if (c.index <= after) return false;
        const call = asManagerCall(c);
        if (call && APT.has(call.manager) && (call.sub === 'distclean' || call.sub === 'dist-clean')) return true;
        return c.name === 'find' && c.args.some((w) => w.value?.replace(/\/+$/, '') === LISTS) && c.args.some((w) => w.value === '-delete');
      })) continue;
      const edit = appendToRun(ctx.model, step, 'rm -rf /var/lib/apt/lists/*');
      out.push({
        ruleId: 'apt-lists-not-removed',
        message: t('"{0}" downloads the package lists into /var/lib/apt/lists, and they stay in this layer. Remove them at the end of the same RUN (rm -rf /var/lib/apt/lists/*) or keep them in a cache mount.', callText(lastUpdate)),
        range: callRange(lastUpdate),
        aliases: { hadolint: 'DL3009' },
        fixes: edit ? [{ title: t('Append "rm -rf /var/lib/apt/lists/*" to this RUN'), edits: [edit], isPreferred: true }] : undefined,
      });
    }
    return out;
  },
};
