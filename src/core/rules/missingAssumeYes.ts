import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { allStages, callRange, callText, insertAfterWord, ManagerCall, managerCalls, runSteps, ZYPPER_NON_INTERACTIVE, isDryRun } from './packages';

/** Subcommands that ask "Do you want to continue? [Y/n]" before changing packages. */
const PROMPTING: Partial<Record<ManagerCall['manager'], Set<string>>> = {
  'apt-get': new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'autopurge', 'build-dep', 'reinstall']),
  apt: new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'autopurge', 'build-dep', 'reinstall']),
  yum: new Set(['install', 'groupinstall', 'localinstall', 'reinstall', 'update', 'upgrade', 'remove', 'erase', 'downgrade', 'autoremove', 'groupremove', 'groupupdate', 'distro-sync', 'module install', 'swap']),
  dnf: new Set(['install', 'groupinstall', 'localinstall', 'reinstall', 'update', 'upgrade', 'remove', 'erase', 'downgrade', 'autoremove', 'groupremove', 'groupupdate', 'distro-sync', 'module install', 'swap', 'in', 'rm', 'up']),
  zypper: new Set(['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch', 'update', 'up', 'dist-upgrade', 'dup', 'install-new-recommends', 'inr']),
};

const TRUE = new Set(['true', '1', 'yes', 'on']);

function isNonInteractive(call: ManagerCall): boolean {
  const opts = call.args.options;
  switch (call.manager) {
    case 'apt-get':
    case 'apt': {
      if (opts.some((o) => o.name === 'y' || o.name === 'yes' || o.name === 'assume-yes')) return true;
      // -qq (quiet level 2) implies -y; so do --quiet=2 and -q=2.
      const q = opts.filter((o) => o.name === 'q' || o.name === 'quiet');
      if (q.some((o) => o.value === '2') || q.filter((o) => o.value === undefined).length >= 2) return true;
      return opts.some((o) => (o.name === 'o' || o.name === 'option') && /^APT::Get::Assume-Yes=/i.test(o.value ?? '')
        && TRUE.has((o.value ?? '').slice((o.value ?? '').indexOf('=') + 1).toLowerCase()));
    }
    case 'yum':
    case 'dnf':
      if (opts.some((o) => o.name === 'y' || o.name === 'assumeyes')) return true;
      return opts.some((o) => o.name === 'setopt' && /^assumeyes=/i.test(o.value ?? '') && TRUE.has((o.value ?? '').slice(10).toLowerCase()));
    case 'zypper':
      return opts.some((o) => o.name === 'y' || o.name === 'no-confirm' || ZYPPER_NON_INTERACTIVE.includes(o.name));
    default:
      return true;
  }
}

function aliasesFor(call: ManagerCall): Aliases {
  switch (call.manager) {
    case 'apt-get':
      return call.sub === 'install' ? { hadolint: 'DL3014', trivy: 'DS-0021' } : { hadolint: 'DL3014' };
    case 'apt':
      return {};
    case 'yum':
      return { hadolint: 'DL3030' };
    case 'dnf':
      return { hadolint: 'DL3038' };
    case 'zypper':
      return { hadolint: 'DL3034' };
    default:
      return {};
  }
}

export const missingAssumeYes: Rule = {
  id: 'missing-assume-yes',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3014', 'DL3030', 'DL3038', 'DL3034'], trivy: ['DS-0021'] },
  title: 'apt-get / yum / dnf / zypper would ask for confirmation, which a build cannot give: add -y',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(allStages(ctx))) {
      for (const call of managerCalls(ctx.model, step)) {
        const subs = PROMPTING[call.manager];
        if (!subs || !subs.has(call.sub) || isNonInteractive(call) || isDryRun(call)) continue;
        // An install with nothing named (`apt-get install` alone) has nothing to confirm, except the upgrades.
        if ((call.sub === 'install' || call.sub === 'in') && call.operands.length === 0 && call.manager !== 'apt-get' && call.manager !== 'apt') continue;
        out.push({
          ruleId: 'missing-assume-yes',
          message: t('"{0}" asks for confirmation before it changes packages; a build has no one to answer, so it fails (or aborts). Add -y.', callText(call)),
          range: callRange(call),
          aliases: aliasesFor(call),
          fixes: [{ title: t('Add -y'), edits: [insertAfterWord(call.subEnd, '-y')], isPreferred: true }],
        });
      }
    }
    return out;
  },
};
