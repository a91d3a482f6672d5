import type { DockerfileModel, Step } from '../model';
import type { Rule } from '../rule';
import type { Aliases, Finding, Fix } from '../types';
import { t } from '../l10n';
import { allStages, callRange, callText, ManagerCall, managerCalls, runSteps } from './packages';
import { deleteStepLines } from './util';

type Family = 'apt' | 'apk' | 'rpm' | 'zypper';

/** The family of an index refresh (`apt-get update`, `apk update`, `yum makecache`, `zypper refresh`), if it is one. */
function refreshFamily(call: ManagerCall): Family | undefined {
  switch (call.manager) {
    case 'apt-get':
    case 'apt':
      return call.sub === 'update' ? 'apt' : undefined;
    case 'apk':
      return call.sub === 'update' ? 'apk' : undefined;
    case 'yum':
    case 'dnf':
    case 'microdnf':
      return call.sub === 'makecache' ? 'rpm' : undefined;
    case 'zypper':
      return call.sub === 'refresh' || call.sub === 'ref' ? 'zypper' : undefined;
    default:
      return undefined;
  }
}

const INSTALLS: Record<Family, Set<string>> = {
  apt: new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'reinstall', 'build-dep', 'source', 'download', 'satisfy']),
  apk: new Set(['add', 'upgrade', 'fix']),
  rpm: new Set(['install', 'groupinstall', 'localinstall', 'reinstall', 'update', 'upgrade', 'distro-sync', 'module install', 'in', 'up']),
  zypper: new Set(['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'source-install', 'si', 'patch', 'install-new-recommends', 'inr']),
};

function familyOf(call: ManagerCall): Family | undefined {
  switch (call.manager) {
    case 'apt-get':
    case 'apt':
      return 'apt';
    case 'apk':
      return 'apk';
    case 'yum':
    case 'dnf':
    case 'microdnf':
      return 'rpm';
    case 'zypper':
      return 'zypper';
    default:
      return undefined;
  }
}

function installsAfter(calls: readonly ManagerCall[], family: Family, index: number): boolean {
  return calls.some((c) => c.cmd.index > index && familyOf(c) === family && INSTALLS[family].has(c.sub));
}

export const packageIndexUpdateAlone: Rule = {
  id: 'package-index-update-alone',
  category: 'cache',
  severity: 'warning',
  aliases: { trivy: ['DS-0017'] },
  title: 'A package index update in a RUN without an install: the cached layer keeps an old index for later installs',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(allStages(ctx))) {
      const calls = managerCalls(ctx.model, step);
      for (const call of calls) {
        const family = refreshFamily(call);
        if (!family || installsAfter(calls, family, call.cmd.index)) continue;
        // Trivy's DS-0017 reads `update` (and `up`) of apt-get, apt, apk, yum, dnf and zypper.
        const aliases: Aliases = call.sub === 'update' ? { trivy: 'DS-0017' } : {};
        const fix = mergeFix(ctx.model, step, family);
        out.push({
          ruleId: 'package-index-update-alone',
          message: t('"{0}" runs without an install after it in the same RUN. Docker caches this layer, so a later RUN that installs gets the index from whenever the layer was first built, and fails or installs old versions once the mirror moves on. Update and install in one RUN.', callText(call)),
          range: callRange(call),
          aliases,
          fixes: fix ? [fix] : undefined,
        });
        break;
      }
    }
    return out;
  },
};

/** Merges an update-only RUN into the next instruction when that is a RUN which installs with the same family. */
function mergeFix(model: DockerfileModel, step: Step, family: Family): Fix | undefined {
  if (step.isTrigger || step.json || step.heredocs.length || step.flags.length) return undefined;
  const next = model.steps[step.index + 1];
  if (!next || next.keyword !== 'RUN' || next.stage !== step.stage || next.json || next.heredocs.length || !next.argsRange) return undefined;
  const calls = managerCalls(model, next);
  if (!calls.some((c) => familyOf(c) === family && INSTALLS[family].has(c.sub))) return undefined;
  const script = step.argsText.trim().replace(/\s*;$/, '');
  if (!script || script.includes('#') || /(&&|\|\||[|&\\(;])$/.test(script)) return undefined;
  return {
    title: t('Move it into the next RUN, before the install'),
    edits: [
      deleteStepLines(model, step),
      { range: { start: next.argsRange.start, end: next.argsRange.start }, newText: `${script} && ` },
    ],
    isPreferred: true,
  };
}
