import type { Stage, Step } from '../model';
import type { Rule, RuleContext } from '../rule';
import type { Finding, TextEdit } from '../types';
import { t } from '../l10n';
import { APK_CACHE_DIRS } from './apkAddNoCache';
import { cacheMountOn, callRange, callText, isDryRun, isYarnInstall, ManagerCall, managerCalls } from './packages';
import { PIP_CACHE_DIRS } from './pipNoCacheDir';
import { YARN_CACHE_DIRS } from './yarnCacheNotCleaned';

type Kind = 'apt' | 'apk' | 'rpm' | 'pip' | 'npm' | 'yarn' | 'go';

function kindOf(call: ManagerCall): Kind | undefined {
  switch (call.manager) {
    case 'apt-get':
    case 'apt':
      return call.sub === 'install' ? 'apt' : undefined;
    case 'apk':
      return call.sub === 'add' ? 'apk' : undefined;
    case 'yum':
    case 'dnf':
    case 'microdnf':
      return call.sub === 'install' ? 'rpm' : undefined;
    case 'pip':
      return call.sub === 'install' ? 'pip' : undefined;
    case 'npm':
      return call.sub === 'install' || call.sub === 'i' || call.sub === 'ci' ? 'npm' : undefined;
    case 'yarn':
      return isYarnInstall(call) ? 'yarn' : undefined;
    case 'go':
      return call.sub === 'mod download' || call.sub === 'build' || call.sub === 'install' ? 'go' : undefined;
    default:
      return undefined;
  }
}

function isRoot(step: Step): boolean {
  const u = step.user.value.split(':')[0];
  return u === 'root' || u === '0';
}

/** Where the manager keeps its downloads: every directory a cache mount may target, the first is the suggestion. */
function cacheDirs(kind: Kind, step: Step, golang: boolean): { dirs: string[]; suggest: string[]; fixable: boolean } {
  const env = (n: string) => step.scope.get(n)?.value;
  const root = isRoot(step);
  switch (kind) {
    case 'apt':
      return { dirs: ['/var/cache/apt', '/var/lib/apt'], suggest: ['/var/cache/apt,sharing=locked', '/var/lib/apt,sharing=locked'], fixable: false };
    case 'apk':
      return { dirs: APK_CACHE_DIRS, suggest: ['/etc/apk/cache'], fixable: false };
    case 'rpm':
      return { dirs: ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5'], suggest: ['/var/cache/dnf'], fixable: false };
    case 'pip': {
      const d = env('PIP_CACHE_DIR');
      return { dirs: d ? [...PIP_CACHE_DIRS, d] : PIP_CACHE_DIRS, suggest: [d ?? '/root/.cache/pip'], fixable: !!d || root };
    }
    case 'npm': {
      const d = env('npm_config_cache') ?? env('NPM_CONFIG_CACHE');
      return { dirs: d ? ['~/.npm', d] : ['~/.npm'], suggest: [d ?? '/root/.npm'], fixable: !!d || root };
    }
    case 'yarn': {
      const d = env('YARN_CACHE_FOLDER');
      return { dirs: d ? [...YARN_CACHE_DIRS, d] : YARN_CACHE_DIRS, suggest: [d ?? '/usr/local/share/.cache/yarn'], fixable: !!d || root };
    }
    case 'go': {
      const gopath = env('GOPATH');
      const mod = env('GOMODCACHE') ?? (gopath ? `${gopath.split(':')[0]}/pkg/mod` : '/go/pkg/mod');
      const build = env('GOCACHE') ?? '/root/.cache/go-build';
      return {
        dirs: [mod, '~/go/pkg/mod', '/go/pkg/mod', build, '~/.cache/go-build'],
        suggest: [mod, build],
        fixable: root && (golang || !!gopath || !!env('GOMODCACHE')),
      };
    }
  }
}

/** Flags that switch the manager's cache off, so a cache mount would hold nothing. */
function disablesCache(call: ManagerCall, step: Step): boolean {
  if (call.manager === 'pip') {
    const v = step.scope.get('PIP_NO_CACHE_DIR')?.value;
    return call.args.options.some((o) => o.name === 'no-cache-dir') || (v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false');
  }
  if (call.manager === 'apk') return call.args.options.some((o) => o.name === 'no-cache');
  return false;
}

/** Stages from the root of the FROM chain down to `stage`. */
function chain(ctx: RuleContext, stage: Stage): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<number>();
  let s: Stage | undefined = stage;
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    out.unshift(s);
    s = s.baseKind === 'stage' && s.baseStage !== undefined ? ctx.model.stages[s.baseStage] : undefined;
  }
  return out;
}

const isCopy = (s: Step) => s.keyword === 'COPY' || s.keyword === 'ADD';

/** A COPY/ADD of the whole build context or of a directory tree (`COPY . .`, `COPY src/ /app/`), not from a stage. */
function isBroadCopy(s: Step): boolean {
  if (!isCopy(s) || s.flags.some((f) => f.name.toLowerCase() === 'from')) return false;
  const sources = s.json ? s.json.slice(0, -1) : s.args.slice(0, -1).map((w) => w.value.replace(/^["']|["']$/g, ''));
  return sources.some((v) => v === '.' || v === './' || v.endsWith('/') || v.endsWith('/.') || v.includes('*'));
}

/** Distribution package managers reinstall only when the install line changes, unless a broad COPY precedes it. */
const OS_KINDS = new Set<Kind>(['apt', 'apk', 'rpm']);

export const packageCacheMount: Rule = {
  id: 'package-cache-mount',
  category: 'cache',
  severity: 'info',
  aliases: {},
  title: 'A package install that reruns after a COPY downloads everything again: a cache mount keeps the downloads',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    for (const stage of ctx.requiredStages) {
      const stages = chain(ctx, stage);
      const copiedInParents = stages.slice(0, -1).some((s) => s.steps.some(isCopy));
      const broadInParents = stages.slice(0, -1).some((s) => s.steps.some(isBroadCopy));
      const root = stages[0];
      const golang = root.baseKind === 'image' && !!root.image && /(^|\/)golang$/.test(root.image.repository ?? '');
      let copied = copiedInParents;
      let broad = broadInParents;
      for (const step of stage.steps) {
        if (isCopy(step)) {
          copied = true;
          broad = broad || isBroadCopy(step);
          continue;
        }
        if (step.keyword !== 'RUN' || !copied) continue;
        for (const call of managerCalls(ctx.model, step)) {
          const kind = kindOf(call);
          if (!kind || (OS_KINDS.has(kind) && !broad) || isDryRun(call)) continue;
          const { dirs, suggest, fixable } = cacheDirs(kind, step, golang);
          if (cacheMountOn(step, dirs)) break;
          const flags = suggest.map((d) => `--mount=type=cache,target=${d}`).join(' ');
          let edits: TextEdit[] | undefined;
          if (fixable && !disablesCache(call, step)) edits = [{ range: { start: step.keywordRange.end, end: step.keywordRange.end }, newText: ` ${flags}` }];
          out.push({
            ruleId: 'package-cache-mount',
            message: t('"{0}" reruns whenever a file copied before it changes, and then downloads every package again. A cache mount keeps the downloads between builds (and out of the image): RUN {1} ...', callText(call), flags),
            range: callRange(call),
            aliases: {},
            fixes: edits ? [{ title: t('Add a cache mount for the {0} cache', call.manager), edits, isPreferred: true }] : undefined,
          });
          break;
        }
      }
    }
    return out;
  },
};

