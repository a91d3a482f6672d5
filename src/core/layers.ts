/**
 * Layer preview: for each step of each stage the target needs, whether it makes a filesystem layer or only
 * changes image metadata, its layer number, the context files a COPY/ADD takes (count and bytes — the size
 * `docker history` reports for the layer), and for RUN an estimate of what it installs or leaves behind.
 *
 * Layers as Docker 20.10's BuildKit makes them (checked with `docker image inspect` / `docker history`): every
 * RUN, COPY and ADD makes a layer, even an empty one (`RUN true`); WORKDIR makes a (usually empty) layer unless
 * its directory is `/`; every other instruction only changes the image configuration.
 */
import type { DockerfileModel, Stage, Step } from './model';
import { resolvePath } from './model';
import { expand } from './variables';
import type { ContextIndex, SourceSelection } from './context';
import { contextRelative, descendants, selectSource } from './context';
import { IgnoreMatcher } from './dockerignore';
import { copyWords, isRemoteSource, isVertex } from './cache';

export type LayerKind = 'layer' | 'metadata' | 'none';

export interface SourceInfo {
  source: string;
  files: number;
  bytes: number;
  /** Nothing in the context matches: BuildKit fails the step. */
  missing: boolean;
  /** Up to 20 context-relative paths it takes. */
  sample: string[];
}

export interface CopyInfo {
  dest: string;
  sources: SourceInfo[];
  /** Totals over the sources (a file taken by two sources counts twice, as in the layer). */
  files: number;
  bytes: number;
  /** `--from`: the stage name/index or image it copies from. */
  from?: string;
  fromStage?: number;
  /** For `--from` a stage: how well the files could be traced back to the context. */
  traced?: 'exact' | 'partial' | 'none';
  remote: string[];
  exclude: string[];
  parents: boolean;
}

export interface Leftover {
  /** English description (translated where shown). */
  what: string;
  path: string;
  /** Rough size, as text ("20-40 MB"). */
  size?: string;
}

export interface RunEstimate {
  /** Always true: these are guesses from the command text. */
  estimate: true;
  /** Packages the command installs, by package manager. */
  installs: Array<{ manager: string; packages: string[] }>;
  leftovers: Leftover[];
}

export interface StepLayer {
  step: Step;
  stage: number;
  /** 1-based line where the instruction starts. */
  line: number;
  instruction: string;
  kind: LayerKind;
  /** Layer number above the stage's base image (1-based). */
  layer?: number;
  /** Layer number in the image, counting the base image's layers, when their count is known. */
  imageLayer?: number;
  copy?: CopyInfo;
  run?: RunEstimate;
  /** WORKDIR: an (almost always) empty layer. */
  emptyLayer?: boolean;
}

export interface StageLayers {
  stage: Stage;
  /** True when the target needs this stage. */
  required: boolean;
  /** Layers of the base image (0 for scratch, the base stage's total for a stage), when known. */
  baseLayers?: number;
  /** Layers this stage adds. */
  ownLayers: number;
  steps: StepLayer[];
}

export interface LayerPreview {
  stages: StageLayers[];
  byStep: Map<number, StepLayer>;
  target: number;
  context?: ContextIndex;
}

export interface LayerOptions {
  context?: ContextIndex;
  /** Layer count of an external image, when the caller knows it. */
  baseLayers?: (ref: string) => number | undefined;
  /** Include stages the target does not need (default: only needed ones). */
  allStages?: boolean;
}

const LAYER_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);
const NO_EFFECT = new Set(['FROM', 'ARG']);

export function layerKind(model: DockerfileModel, step: Step): LayerKind {
  if (LAYER_INSTRUCTIONS.has(step.keyword)) return 'layer';
  if (step.keyword === 'WORKDIR') return isVertex(model, step) ? 'layer' : 'metadata';
  if (NO_EFFECT.has(step.keyword)) return 'none';
  return 'metadata';
}

function sourceInfo(sel: SourceSelection): SourceInfo {
  return {
    source: sel.source,
    files: sel.fileCount,
    bytes: sel.bytes,
    missing: sel.missing,
    sample: sel.entries.filter((e) => e.type !== 'directory').slice(0, 20).map((e) => e.path),
  };
}

/** Computes the layer preview for the stages the target needs (or all stages). */
export function computeLayers(model: DockerfileModel, opts: LayerOptions = {}): LayerPreview {
  const byStep = new Map<number, StepLayer>();
  const results: StageLayers[] = [];
  const totals = new Map<number, number | undefined>();
  const required = new Set(model.requiredStages);
  for (const stage of model.stages) {
    if (!opts.allStages && !required.has(stage.index)) continue;
    let baseLayers: number | undefined;
    if (stage.baseKind === 'scratch') baseLayers = 0;
    else if (stage.baseKind === 'stage' && stage.baseStage !== undefined) baseLayers = totals.get(stage.baseStage);
    else if (stage.base) baseLayers = opts.baseLayers?.(stage.base);
    let own = 0;
    const steps: StepLayer[] = [];
    for (const step of stage.steps) {
      const kind = layerKind(model, step);
      const sl: StepLayer = { step, stage: stage.index, line: step.range.start.line + 1, instruction: step.keyword, kind };
      if (kind === 'layer') {
        own++;
        sl.layer = own;
        if (baseLayers !== undefined) sl.imageLayer = baseLayers + own;
      }
      if (step.keyword === 'COPY' || step.keyword === 'ADD') sl.copy = copyInfo(model, step, opts.context);
      else if (step.keyword === 'RUN') sl.run = estimateRun(model, step);
      else if (step.keyword === 'WORKDIR' && kind === 'layer') sl.emptyLayer = true;
      steps.push(sl);
      byStep.set(step.index, sl);
    }
    totals.set(stage.index, baseLayers === undefined ? undefined : baseLayers + own);
    results.push({ stage, required: required.has(stage.index), baseLayers, ownLayers: own, steps });
  }
  // COPY --from a stage: trace the files back to that stage's context COPYs where possible
  for (const r of results) {
    for (const sl of r.steps) {
      if (sl.copy?.fromStage !== undefined && opts.context) traceFrom(model, sl, byStep, opts.context);
    }
  }
  return { stages: results, byStep, target: model.target, context: opts.context };
}

function copyInfo(model: DockerfileModel, step: Step, ctx: ContextIndex | undefined): CopyInfo {
  const { sources, dest } = copyWords(model, step);
  const flag = (name: string) => step.flags.filter((f) => f.name.toLowerCase() === name);
  const fromFlag = flag('from').pop();
  const exclude = flag('exclude').map((f) => expand(f.value ?? '', step.scope, model.escapeChar).value).filter(Boolean);
  const info: CopyInfo = {
    dest: resolvePath(step.workdir.value, dest),
    sources: [],
    files: 0,
    bytes: 0,
    remote: [],
    exclude,
    parents: flag('parents').length > 0 && flag('parents').pop()?.value !== 'false',
  };
  if (fromFlag?.value) {
    const ref = expand(fromFlag.value, step.scope, model.escapeChar).value;
    info.from = ref;
    const edge = model.stages[step.stage]?.edges.find((e) => e.step === step.index && e.kind === 'copy-from');
    if (edge?.stage !== undefined) info.fromStage = edge.stage;
    info.traced = 'none';
    for (const s of sources) info.sources.push({ source: s, files: 0, bytes: 0, missing: false, sample: [] });
    return info;
  }
  const excludeMatcher = exclude.length ? new IgnoreMatcher(exclude) : undefined;
  for (const s of sources) {
    if (step.keyword === 'ADD' && isRemoteSource(s)) {
      info.remote.push(s);
      continue;
    }
    if (!ctx) {
      info.sources.push({ source: s, files: 0, bytes: 0, missing: false, sample: [] });
      continue;
    }
    const si = sourceInfo(selectSource(ctx, s, excludeMatcher));
    info.sources.push(si);
    info.files += si.files;
    info.bytes += si.bytes;
  }
  return info;
}

/** Follows `COPY --from=stage /path` back to the COPY steps of that stage that put context files under /path. */
function traceFrom(model: DockerfileModel, sl: StepLayer, byStep: Map<number, StepLayer>, ctx: ContextIndex): void {
  const copy = sl.copy!;
  const chain: Stage[] = [];
  let si: number | undefined = copy.fromStage;
  const seen = new Set<number>();
  while (si !== undefined && !seen.has(si)) {
    seen.add(si);
    const st: Stage = model.stages[si];
    chain.unshift(st);
    si = st.baseKind === 'stage' ? st.baseStage : undefined;
  }
  const steps = chain.flatMap((st) => st.steps);
  let files = 0;
  let bytes = 0;
  let exact = true;
  let any = false;
  copy.sources = copy.sources.map((src) => {
    const path = resolvePath('/', src.source);
    let sFiles = 0;
    let sBytes = 0;
    const sample: string[] = [];
    for (const st of steps) {
      if (st.keyword === 'RUN') {
        exact = false; // a RUN may add, change or remove files there
        continue;
      }
      const other = byStep.get(st.index)?.copy;
      if (!other || other.from !== undefined) continue;
      const dest = other.dest;
      for (const os of other.sources) {
        const rel = contextRelative(os.source);
        const entry = ctx.byPath.get(rel);
        const isDirSource = rel === '.' || entry?.type === 'directory';
        if (isDirSource && (path === dest || path.startsWith(dest.replace(/\/$/, '') + '/') || dest.startsWith(path.replace(/\/$/, '') + '/') || path === '/')) {
          // files of that directory source that land under `path`
          const below = path === dest || dest.startsWith(path.replace(/\/$/, '') + '/') || path === '/' ? '' : path.slice(dest.replace(/\/$/, '').length + 1);
          const root = rel === '.' ? '' : rel;
          const sub = below ? (root ? `${root}/${below}` : below) : root || '.';
          const list = sub === '.' ? ctx.entries : ctx.byPath.get(sub)?.type === 'directory' ? descendants(ctx, sub) : ctx.byPath.get(sub) ? [ctx.byPath.get(sub)!] : [];
          for (const e of list) {
            if (e.type === 'directory') continue;
            sFiles++;
            if (e.type === 'file') sBytes += e.size;
            if (sample.length < 20) sample.push(e.path);
          }
          any = true;
        } else if (!isDirSource && entry && (path === dest || dest.startsWith(path.replace(/\/$/, '') + '/') || path === '/' || resolvePath(dest.endsWith('/') ? dest : dest + '/', '') === path)) {
          sFiles++;
          if (entry.type === 'file') sBytes += entry.size;
          if (sample.length < 20) sample.push(entry.path);
          any = true;
        }
      }
    }
    files += sFiles;
    bytes += sBytes;
    return { ...src, files: sFiles, bytes: sBytes, sample };
  });
  copy.files = files;
  copy.bytes = bytes;
  copy.traced = any ? (exact ? 'exact' : 'partial') : 'none';
}

// ---------------------------------------------------------------------------------------------------------------
// RUN estimates

interface ManagerRule {
  manager: string;
  install: RegExp;
  /** What the install leaves behind unless `cleaned` matches (or a cache mount covers `path`). */
  leftover?: Leftover;
  cleaned?: RegExp;
}

const MANAGERS: ManagerRule[] = [
  { manager: 'apt', install: /\bapt(?:-get)?\s+(?:-\S+\s+)*install\b([^;&|]*)/g, leftover: { what: 'apt package lists', path: '/var/lib/apt/lists', size: '20-50 MB' }, cleaned: /rm\s+-[a-z]*r[a-z]*f?[a-z]*\s+[^;&|]*\/var\/lib\/apt\/lists/ },
  { manager: 'apk', install: /\bapk\s+(?:-\S+\s+)*add\b([^;&|]*)/g, leftover: { what: 'apk package index cache', path: '/var/cache/apk', size: '1-3 MB' }, cleaned: /--no-cache|rm\s+-[a-z]*\s+[^;&|]*\/var\/cache\/apk/ },
  { manager: 'dnf', install: /\b(?:dnf|yum|microdnf)\s+(?:-\S+\s+)*install\b([^;&|]*)/g, leftover: { what: 'dnf/yum metadata and package cache', path: '/var/cache/dnf', size: '20-100 MB' }, cleaned: /\b(?:dnf|yum|microdnf)\s+clean\s+all|rm\s+-[a-z]*\s+[^;&|]*\/var\/cache\/(?:yum|dnf)/ },
  { manager: 'zypper', install: /\bzypper\s+(?:-\S+\s+)*(?:install|in)\b([^;&|]*)/g, leftover: { what: 'zypper package cache', path: '/var/cache/zypp', size: '10-50 MB' }, cleaned: /zypper\s+clean/ },
  { manager: 'pip', install: /\bpip3?\s+(?:-\S+\s+)*install\b([^;&|]*)/g, leftover: { what: 'pip download cache', path: '/root/.cache/pip', size: 'about the size of the wheels' }, cleaned: /--no-cache-dir|PIP_NO_CACHE_DIR|rm\s+-[a-z]*\s+[^;&|]*\.cache\/pip/ },
  { manager: 'npm', install: /\bnpm\s+(?:install|ci|i)\b([^;&|]*)/g, leftover: { what: 'npm cache', path: '/root/.npm', size: 'about the size of node_modules' }, cleaned: /npm\s+cache\s+clean|rm\s+-[a-z]*\s+[^;&|]*\.npm\b/ },
  { manager: 'yarn', install: /\byarn(?:\s+install)?\b(?=\s*(?:$|&&|;|\||--))([^;&|]*)/g, leftover: { what: 'yarn cache', path: '/usr/local/share/.cache/yarn', size: 'about the size of node_modules' }, cleaned: /yarn\s+cache\s+clean/ },
  { manager: 'gem', install: /\bgem\s+install\b([^;&|]*)/g, leftover: { what: 'gem documentation and cache', path: '/usr/local/bundle/cache', size: '1-20 MB' }, cleaned: /--no-document|--no-doc/ },
  { manager: 'go', install: /\bgo\s+(?:build|install|mod\s+download|get)\b([^;&|]*)/g, leftover: { what: 'Go build and module caches', path: '/root/.cache/go-build', size: '50-500 MB' }, cleaned: /go\s+clean\s+-(?:cache|modcache)/ },
];

const ARCHIVE = /\b(?:curl|wget)\b[^;&|]*?(?:-o\s*|-O\s*|>\s*|\s)(\S+\.(?:tar\.gz|tgz|tar\.xz|tar\.bz2|tar|zip|deb|rpm|whl|jar))\b/g;

/** Guesses what a RUN installs and leaves behind in its layer, from the command text. */
export function estimateRun(model: DockerfileModel, step: Step): RunEstimate {
  const text = step.json ? step.json.join(' ') : step.heredocs.length ? step.heredocs.map((h) => h.content).join('\n') : step.argsText;
  const cacheTargets = step.mounts.filter((m) => m.type === 'cache' || m.type === 'tmpfs').map((m) => m.target ?? '');
  const covered = (path: string) => cacheTargets.some((t) => t && (path === t || path.startsWith(t.replace(/\/$/, '') + '/') || t.startsWith(path)));
  const installs: RunEstimate['installs'] = [];
  const leftovers: Leftover[] = [];
  for (const rule of MANAGERS) {
    rule.install.lastIndex = 0;
    let m: RegExpExecArray | null;
    const pkgs: string[] = [];
    let found = false;
    while ((m = rule.install.exec(text))) {
      found = true;
      for (const w of (m[1] ?? '').trim().split(/\s+/)) {
        if (!w || w.startsWith('-') || w.startsWith('$(') || w === '\\' || /^[<>]/.test(w)) continue;
        if (rule.manager === 'go') continue;
        if (pkgs.length < 30) pkgs.push(w);
      }
    }
    if (!found) continue;
    if (pkgs.length) installs.push({ manager: rule.manager, packages: pkgs });
    if (rule.leftover && !(rule.cleaned && rule.cleaned.test(text)) && !covered(rule.leftover.path)) leftovers.push(rule.leftover);
  }
  ARCHIVE.lastIndex = 0;
  let a: RegExpExecArray | null;
  while ((a = ARCHIVE.exec(text))) {
    const file = a[1].replace(/^['"]|['"]$/g, '');
    const base = file.replace(/^.*\//, '');
    if (new RegExp(`\\brm\\b[^;&|]*${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(text)) continue;
    leftovers.push({ what: 'downloaded archive', path: resolvePath(step.workdir.value, file) });
  }
  void model;
  return { estimate: true, installs, leftovers };
}

/** "1.2 MB" style sizes (decimal units, as `docker history` prints them). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]}`;
}


