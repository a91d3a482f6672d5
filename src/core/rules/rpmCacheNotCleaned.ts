import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { appendToRun, cacheMountOn, callRange, callText, imageStages, ManagerCall, managerCalls, removesPath, runCommands, runSteps } from './packages';

type Rpm = 'yum' | 'dnf' | 'microdnf' | 'zypper';

const INSTALL: Record<Rpm, Set<string>> = {
  yum: new Set(['install', 'groupinstall', 'localinstall', 'reinstall', 'module install']),
  dnf: new Set(['install', 'in', 'groupinstall', 'localinstall', 'reinstall', 'module install']),
  microdnf: new Set(['install', 'reinstall', 'module install']),
  zypper: new Set(['install', 'in', 'source-install', 'si', 'patch']),
};

const CACHE_DIRS: Record<Rpm, string[]> = {
  yum: ['/var/cache/yum', '/var/cache/dnf'],
  dnf: ['/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/yum'],
  microdnf: ['/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/yum'],
  zypper: ['/var/cache/zypp'],
};

const CLEAN: Record<Rpm, string> = { yum: 'yum clean all', dnf: 'dnf clean all', microdnf: 'microdnf clean all', zypper: 'zypper clean --all' };

const ALIASES: Record<Rpm, Aliases> = {
  yum: { hadolint: 'DL3032', trivy: 'DS-0015' },
  dnf: { hadolint: 'DL3040', trivy: 'DS-0019' },
  microdnf: { hadolint: 'DL3040', trivy: 'DS-0027' },
  zypper: { hadolint: 'DL3036', trivy: 'DS-0020' },
};

function isRpm(m: string): m is Rpm {
  return m === 'yum' || m === 'dnf' || m === 'microdnf' || m === 'zypper';
}

/** A clean that empties this manager's cache: `yum|dnf|microdnf clean all` (they share /var/cache), `zypper clean`. */
function cleans(call: ManagerCall, manager: Rpm): boolean {
  if (manager === 'zypper') return call.manager === 'zypper' && (call.sub === 'clean' || call.sub === 'cc');
  return (call.manager === 'yum' || call.manager === 'dnf' || call.manager === 'microdnf') && call.sub === 'clean'
    && call.operands.some((w) => w.value === 'all');
}

export const rpmCacheNotCleaned: Rule = {
  id: 'rpm-cache-not-cleaned',
  category: 'size',
  severity: 'warning',
  aliases: { hadolint: ['DL3032', 'DL3040', 'DL3036'], trivy: ['DS-0015', 'DS-0019', 'DS-0027', 'DS-0020'] },
  title: 'yum / dnf / microdnf / zypper install without a clean in the same RUN leaves the package cache in the layer',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(imageStages(ctx))) {
      const calls = managerCalls(ctx.model, step);
      if (!calls.length) continue;
      const cmds = runCommands(ctx.model, step);
      // The last install of each manager: a clean must come after it.
      const lastInstall = new Map<Rpm, ManagerCall>();
      for (const c of calls) if (isRpm(c.manager) && INSTALL[c.manager].has(c.sub)) lastInstall.set(c.manager, c);
      for (const [manager, call] of lastInstall) {
        if (cacheMountOn(step, CACHE_DIRS[manager])) continue;
        if (calls.some((c) => c.cmd.index > call.cmd.index && cleans(c, manager))) continue;
        if (removesPath(cmds, call.cmd.index, CACHE_DIRS[manager])) continue;
        const edit = appendToRun(ctx.model, step, CLEAN[manager]);
        out.push({
          ruleId: 'rpm-cache-not-cleaned',
          message: t('"{0}" leaves its metadata and package cache under /var/cache in this layer. End the same RUN with "{1}" (or use a cache mount).', callText(call), CLEAN[manager]),
          range: callRange(call),
          aliases: ALIASES[manager],
          fixes: edit ? [{ title: t('Append "{0}" to this RUN', CLEAN[manager]), edits: [edit], isPreferred: true }] : undefined,
        });
      }
    }
    return out;
  },
};
