import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { allStages, callText, hasOption, ManagerCall, managerCalls, PkgWord, runSteps, isDryRun } from './packages';

interface PinCheck {
  hadolint: string;
  /** How a pinned package is written, for the message: `{name}` stands for the package. */
  example: string;
  /** The words of the call that name packages (undefined: the call is not checked at all). */
  packages(call: ManagerCall): PkgWord[] | undefined;
  pinned(pkg: string, call: ManagerCall): boolean;
}

const MOVING_GO_QUERIES = new Set(['latest', 'upgrade', 'patch', 'master', 'main', 'HEAD', 'head', 'trunk', 'develop']);

/** Distribution package managers: their pins are advice (info), since old versions leave the archives. */
const OS_MANAGERS = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'zypper']);

const RPM_VERSION_PART = /^[A-Za-z0-9.~^_:+]+$/;

/** dnf's reading (hadolint DL3041): a dash, then only version-like parts, one of which starts with a digit. */
function rpmPinned(pkg: string): boolean {
  if (pkg.endsWith('.rpm') || pkg.includes('/') || /[()<>=*?[\]]/.test(pkg)) return true;
  const parts = pkg.split('-');
  if (parts.length <= 1) return false;
  const rest = parts.slice(1);
  return rest.every((p) => RPM_VERSION_PART.test(p)) && rest.some((p) => /^\d/.test(p));
}

const installs = (subs: string[]) => (call: ManagerCall) => (subs.includes(call.sub) ? call.operands : undefined);

const CHECKS: Partial<Record<ManagerCall['manager'], PinCheck>> = {
  'apt-get': {
    hadolint: 'DL3008',
    example: '{name}=<version>',
    packages: installs(['install']),
    pinned: (p) => p.includes('=') || p.includes('/') || p.endsWith('.deb'),
  },
  apk: {
    hadolint: 'DL3018',
    example: '{name}=<version>',
    packages: installs(['add']),
    pinned: (p) => /[=~<>/]/.test(p) || p.endsWith('.apk'),
  },
  pip: {
    hadolint: 'DL3013',
    example: '{name}==<version>',
    packages(call) {
      if (call.sub !== 'install') return undefined;
      // Requirement and constraint files carry their own pins.
      if (hasOption(call.args, 'r', 'requirement', 'c', 'constraint')) return undefined;
      return call.operands;
    },
    pinned: (p) => /(==|>=|<=|~=|!=|<|>|@)/.test(p) || p.includes('/') || p === '.' || p.endsWith('.whl') || p.endsWith('.tar.gz') || p.endsWith('.zip'),
  },
  npm: {
    hadolint: 'DL3016',
    example: '{name}@<version>',
    packages: installs(['install', 'i', 'add']),
    pinned(p) {
      if (/^(git(\+[a-z]+)?:\/\/|github:|gitlab:|bitbucket:)/.test(p)) return p.includes('#');
      if (/\.(tar|tar\.gz|tgz)$/.test(p) || /^(\/|\.\/|\.\.\/|~\/|\.$|file:)/.test(p)) return true;
      const name = p.startsWith('@') ? p.slice(p.indexOf('/') + 1) : p;
      const at = name.indexOf('@');
      if (at < 0) return p.includes('#');
      const spec = name.slice(at + 1);
      return spec !== '' && spec !== 'latest' && spec !== '*' && spec !== 'x';
    },
  },
  gem: {
    hadolint: 'DL3028',
    example: '{name}:<version>',
    packages(call) {
      if (call.sub !== 'install' && call.sub !== 'i') return undefined;
      if (hasOption(call.args, 'v', 'version')) return undefined;
      return call.operands;
    },
    pinned: (p) => p.includes(':') || p.endsWith('.gem') || p.includes('/'),
  },
  go: {
    hadolint: 'DL3062',
    example: '{name}@<version>',
    packages: installs(['install']),
    // Without @version, `go install` builds the version the current module's go.mod requires (and fails outside a
    // module), so only the moving queries are unpinned: @latest, @upgrade, @patch and branch names.
    pinned(p) {
      const at = p.lastIndexOf('@');
      return at < 0 || !MOVING_GO_QUERIES.has(p.slice(at + 1));
    },
  },
  yum: { hadolint: 'DL3033', example: '{name}-<version>', packages: rpmPackages, pinned: rpmPinnedOrModule },
  dnf: { hadolint: 'DL3041', example: '{name}-<version>', packages: rpmPackages, pinned: rpmPinnedOrModule },
  microdnf: { hadolint: 'DL3041', example: '{name}-<version>', packages: rpmPackages, pinned: rpmPinnedOrModule },
  zypper: {
    hadolint: 'DL3037',
    example: '{name}=<version>',
    packages: installs(['install', 'in']),
    pinned: (p) => /[=<>/]/.test(p) || p.endsWith('.rpm'),
  },
};

function rpmPackages(call: ManagerCall): PkgWord[] | undefined {
  if (call.sub !== 'install' && call.sub !== 'module install') return undefined;
  // `@group` and `@module:stream` name groups and modules, not packages.
  return call.operands.filter((w) => !w.value?.startsWith('@') || call.sub === 'module install');
}

function rpmPinnedOrModule(p: string, call: ManagerCall): boolean {
  if (call.sub === 'module install') return p.includes(':');
  return rpmPinned(p);
}

const MAX_LISTED = 4;

/** `pkg@latest` → `pkg`, for the example in the message. */
function stripVersion(name: string): string {
  const at = name.lastIndexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}

export const unpinnedPackageVersion: Rule = {
  id: 'unpinned-package-version',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3008', 'DL3018', 'DL3013', 'DL3016', 'DL3028', 'DL3062', 'DL3033', 'DL3041', 'DL3037'] },
  title: 'Packages installed without a version (apt-get, apk, pip, npm, gem, go install, yum, dnf, zypper)',
  fixable: false,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(allStages(ctx))) {
      for (const call of managerCalls(ctx.model, step)) {
        const check = CHECKS[call.manager === 'apt' ? 'apt-get' : call.manager];
        if (!check || isDryRun(call)) continue;
        const words = check.packages(call);
        if (!words) continue;
        // Words with a variable ($VERSION, ${PKGS}) are taken as pinned: the value comes from an ARG or ENV.
        const unpinned = words.filter((w) => w.value !== undefined && w.value !== '' && !check.pinned(w.value, call));
        if (unpinned.length === 0) continue;
        const names = unpinned.map((w) => w.value as string);
        const aliases: Aliases = call.manager === 'apt' ? {} : { hadolint: check.hadolint };
        const example = check.example.replace('{name}', stripVersion(names[0]));
        const listed = names.length > MAX_LISTED ? t('{0} and {1} more', names.slice(0, MAX_LISTED).join(', '), names.length - MAX_LISTED) : names.join(', ');
        out.push({
          ruleId: 'unpinned-package-version',
          message: names.length === 1
            ? t('"{0}" installs {1} without a version, so two builds can install different versions. Pin it (like {2}), or accept the drift and suppress this.', callText(call), names[0], example)
            : t('"{0}" installs {1} packages without a version ({2}), so two builds can install different versions. Pin them (like {3}), or accept the drift and suppress this.', callText(call), names.length, listed, example),
          range: { start: unpinned[0].range.start, end: unpinned[unpinned.length - 1].range.end.line === unpinned[0].range.start.line ? unpinned[unpinned.length - 1].range.end : unpinned[0].range.end },
          aliases,
          severity: OS_MANAGERS.has(call.manager) ? 'info' : undefined,
        });
      }
    }
    return out;
  },
};
