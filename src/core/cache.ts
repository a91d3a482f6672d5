/**
 * The build-cache model: for each step, the cache key BuildKit computes — symbolically — and from two builds
 * (before and after a change) which steps BuildKit serves from cache and which it executes again.
 *
 * What BuildKit puts in a step's key (each point checked against Docker 20.10's BuildKit; docs/layers-and-cache.md):
 * - the parent step's key: within a stage, once a step executes, every later step executes too;
 * - RUN: the command as written (shell form is not expanded: whitespace counts, the keyword's case does not), the
 *   shell, USER, WORKDIR, every ENV in effect and every ARG declared before it in the stage that has a value
 *   (used or not), bind-mount sources by content; not: proxy ARGs, cache/secret/ssh mount contents, comments;
 * - COPY/ADD: sources and destination after variable expansion (whitespace does not count), flags, and the
 *   *content* of what it copies: file bytes, file mode, symlink targets, which files and directories exist —
 *   not mtime, not owner (the CLI resets it), not a directory's mode. ENV, ARG and USER do not enter the key
 *   of a COPY unless its text uses them;
 * - COPY --from=stage: the content at the source path in that stage's result — a stage that was rebuilt but
 *   produced the same bytes there does not invalidate the COPY;
 * - WORKDIR (other than `/`): the directory and USER (BuildKit creates it as that user);
 * - metadata instructions (ENV, ARG, USER, LABEL, CMD, ...) make no step of their own;
 * - FROM <image>: the image's layers (not its tag or ID). The image's configuration enters only the steps that read
 *   it: every RUN (its ENV; its USER and WORKDIR until the Dockerfile sets its own; its SHELL for the shell form
 *   until a SHELL step), WORKDIR (the USER it creates the directory as, until a USER step; a relative path, until
 *   an absolute WORKDIR), COPY/ADD to a relative destination (until an absolute WORKDIR), and any expansion of a
 *   variable only the image defines. Never COPY/ADD to an absolute path, --chown or --chmod.
 *
 * Contents are tracked symbolically: a context file is "the same in both builds" or "version old/new"; a RUN's
 * output is derived from its text and the files it reads when runEffects() understands the command, and is
 * otherwise tied to its cache key (re-executing it is assumed to change everything it may write).
 */
import type { DockerfileModel, Stage, Step } from './model';
import { resolvePath } from './model';
import { expand, unquote } from './variables';
import { runEffects } from './runEffects';
import { contextRelative, inContext, sourceSelects } from './context';
import { cleanPath, hasGlob, IgnoreMatcher } from './dockerignore';
import { basename } from './fs';

// ---------------------------------------------------------------------------------------------------------------
// hashing

/** A 64-bit-ish string hash (two 32-bit FNV-1a lanes), hex. Deterministic; only compared, never stored. */
export function hashText(...parts: Array<string | number | undefined>): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  const s = parts.map((p) => (p === undefined ? '\u0002' : String(p))).join('\u0001');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
    h2 ^= h2 >>> 13;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0') + s.length.toString(36);
}

// ---------------------------------------------------------------------------------------------------------------
// the context as the cache model sees it

/**
 * The context of one build, as far as it differs from the other build: `changed` maps each context-relative
 * path that differs to this build's version token (undefined when the path is absent or excluded in this build).
 * Paths in `dirs` stand for "something under this directory" (from `--changed DIR`).
 */
export interface ContextView {
  changed: Map<string, string | undefined>;
  dirs?: Set<string>;
}

export const EMPTY_CONTEXT: ContextView = { changed: new Map() };

/** Two context views for "these paths changed", honouring the ignore file (an excluded path changes nothing). */
export function changedPathsViews(paths: Iterable<string>, matcher: IgnoreMatcher | undefined, dirs: Iterable<string> = []): { previous: ContextView; current: ContextView } {
  const previous: ContextView = { changed: new Map(), dirs: new Set() };
  const current: ContextView = { changed: new Map(), dirs: new Set() };
  const dirSet = new Set([...dirs].map(contextRelative));
  for (const raw of paths) {
    const p = contextRelative(raw);
    if (p === '.') {
      previous.dirs!.add(p);
      current.dirs!.add(p);
      previous.changed.set(p, 'old');
      current.changed.set(p, 'new');
      continue;
    }
    const isDir = dirSet.has(p);
    if (matcher && !isDir && !inContext(matcher, p)) continue;
    if (matcher && isDir && !inContext(matcher, p) && !matcher.descendsInto(p)) continue;
    previous.changed.set(p, 'old');
    current.changed.set(p, 'new');
    if (isDir) {
      previous.dirs!.add(p);
      current.dirs!.add(p);
    }
  }
  return { previous, current };
}

/** Whether something under directory `dir` may be taken by the source. */
function sourceMayTake(source: string, dir: string): boolean {
  if (dir === '.') return true;
  if (sourceSelects(source, dir)) return true;
  const rel = contextRelative(source);
  if (rel === '.') return true;
  if (!hasGlob(rel)) return rel.startsWith(dir + '/');
  const fixed = rel.split('/').filter((_, i, a) => !a.slice(0, i + 1).some((seg) => /[*?[]/.test(seg))).join('/');
  return fixed === '' || fixed.startsWith(dir + '/') || dir.startsWith(fixed + '/') || fixed === dir;
}

/** Changed paths one source takes, with where each lands below `dest` (absolute). */
function changedTaken(view: ContextView, source: string, dest: string, destIsDir: boolean): Array<{ path: string; version: string | undefined; to: string }> {
  const out: Array<{ path: string; version: string | undefined; to: string }> = [];
  const rel = contextRelative(source);
  for (const [p, version] of view.changed) {
    const isDir = view.dirs?.has(p) ?? false;
    const taken = isDir ? sourceMayTake(source, p) : sourceSelects(source, p);
    if (!taken) continue;
    let to: string;
    if (rel === '.') to = joinAbs(dest, p);
    else if (!hasGlob(rel) && p !== rel && p.startsWith(rel + '/')) to = joinAbs(dest, p.slice(rel.length + 1));
    else if (!hasGlob(rel) && p === rel) to = destIsDir ? joinAbs(dest, basename(p)) : dest;
    else to = joinAbs(dest, basename(p));
    out.push({ path: p, version, to });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

function joinAbs(dir: string, rel: string): string {
  return cleanPath(`${dir}/${rel}`);
}

// ---------------------------------------------------------------------------------------------------------------
// symbolic filesystem contents

interface FsEntry {
  path: string;
  token: string;
  /** The write replaces what was at `path` (a file written with `>`, a removal). */
  cover: boolean;
}

interface FsLayer {
  entries: FsEntry[];
  /** A write of unknown paths (an opaque RUN): affects every path. */
  any?: string;
}

type FsState = readonly FsLayer[];

function isUnder(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

/** A token for what is at `path` (and below it) in a symbolic filesystem. */
function contentAt(fs: FsState, path: string): string {
  let acc: string[] = [];
  for (const layer of fs) {
    for (const e of layer.entries) {
      if (isUnder(path, e.path)) {
        if (e.cover) acc = [e.token];
        else acc.push(e.token);
      } else if (isUnder(e.path, path)) acc.push(`${e.path}=${e.token}`);
    }
    if (layer.any) acc.push(`*=${layer.any}`);
  }
  return hashText('content', ...acc);
}

// ---------------------------------------------------------------------------------------------------------------
// one build

/** The parts of an image's configuration a later step's cache key can read. */
export type BaseConfigField = 'env' | 'user' | 'workdir' | 'shell';
export const BASE_CONFIG_FIELDS: readonly BaseConfigField[] = ['env', 'user', 'workdir', 'shell'];

export interface BuildSide {
  model: DockerfileModel;
  context: ContextView;
  /** A token for an external image's layers (changes when the image's layers are considered changed). */
  imageToken?: (ref: string) => string;
  /** A token for one part of an external base image's configuration (changes when that part is considered changed). */
  imageConfigToken?: (ref: string, field: BaseConfigField) => string;
}

export interface StepKey {
  step: Step;
  key: string;
  /** True for steps BuildKit runs as a build step (RUN, COPY, ADD, WORKDIR other than `/`). */
  vertex: boolean;
}

/** What a stage's steps take from the external base image's configuration (for `FROM <stage>`: its base's). */
interface BaseConfigUse {
  /** The external image whose configuration is in effect; undefined for scratch. */
  ref?: string;
  /** USER, WORKDIR, SHELL still the image's (no USER / absolute WORKDIR / SHELL step yet). */
  user: boolean;
  workdir: boolean;
  shell: boolean;
}

interface StageResult {
  key: string;
  fs: FsState;
  config: BaseConfigUse;
}

export interface BuildKeys {
  steps: Map<number, StepKey>;
  stages: Map<number, StageResult>;
}

const VERTEX = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** The flag value of a step (last occurrence), expanded. */
function flagValue(step: Step, name: string): string | undefined {
  const f = [...step.flags].reverse().find((x) => x.name.toLowerCase() === name);
  return f ? (f.value ?? '') : undefined;
}

/** Source and destination words of COPY/ADD, expanded with the step's scope. */
export function copyWords(model: DockerfileModel, step: Step): { sources: string[]; dest: string } {
  let words: string[];
  if (step.json) words = step.json;
  else if (step.heredocs.length) words = step.args.map((w) => w.value);
  else words = step.args.map((w) => w.value);
  words = words.map((w) => unquote(expand(w, step.scope, model.escapeChar).value));
  if (words.length < 2) return { sources: words.slice(0, 1), dest: words[0] ?? '' };
  return { sources: words.slice(0, -1), dest: words[words.length - 1] };
}

export function isRemoteSource(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^git@/.test(s) || /\.git(#.*)?$/.test(s) && /^[\w.-]+\.[a-z]+\//i.test(s);
}

/** The absolute directory a WORKDIR step makes, or '/' (no step). */
export function workdirTarget(model: DockerfileModel, step: Step): string {
  const v = unquote(expand(step.argsText.trim(), step.scope, model.escapeChar).value);
  return resolvePath(step.workdir.value, v);
}

/** Whether a step is a build step BuildKit executes (and reports as CACHED or DONE). */
export function isVertex(model: DockerfileModel, step: Step): boolean {
  if (!VERTEX.has(step.keyword)) return false;
  if (step.keyword === 'WORKDIR') return workdirTarget(model, step) !== '/';
  return true;
}

/** ENV values of a step, symbolic: unknown parts (variables of the base image) are named, not dropped. */
function envValues(model: DockerfileModel, step: Step): Map<string, string> {
  const out = new Map<string, string>();
  const text = step.argsText.trim();
  if (!text) return out;
  const first = step.args[0]?.value ?? '';
  const sym = (raw: string) => {
    const ex = expand(raw, step.scope, model.escapeChar);
    return unquote(ex.value) + (ex.unresolved.length ? `\u0000${ex.unresolved.join(',')}` : '');
  };
  if (!first.includes('=')) {
    const sp = text.search(/\s/);
    out.set(sp < 0 ? text : text.slice(0, sp), sym(sp < 0 ? '' : text.slice(sp + 1).trim()));
    return out;
  }
  for (const w of step.args) {
    const eq = w.value.indexOf('=');
    if (eq > 0) out.set(w.value.slice(0, eq), sym(w.value.slice(eq + 1)));
  }
  return out;
}

/** The environment a RUN sees, as BuildKit hashes it: ENV in effect plus ARGs with a value (proxies excluded). */
export function runEnvironment(model: DockerfileModel, step: Step, memo = new Map<number, Map<string, string>>()): string[] {
  const list: string[] = [];
  for (const [name, b] of step.scope) {
    if (b.kind === 'predefined') continue;
    if (b.kind === 'arg') {
      if (b.value !== undefined) list.push(`${name}=${b.value}`);
      continue;
    }
    let vals = memo.get(b.step);
    if (!vals) {
      const envStep = model.steps[b.step];
      vals = envStep && envStep.keyword === 'ENV' ? envValues(model, envStep) : new Map();
      memo.set(b.step, vals);
    }
    list.push(`${name}=${vals.get(name) ?? b.value ?? ''}`);
  }
  return list.sort();
}

/** The script a RUN hands to the shell (or the exec-form command), for runEffects(). */
function runScript(step: Step): string | undefined {
  if (step.json) {
    const j = step.json;
    if (j.length >= 3 && /(^|\/)(ba|da|a)?sh$/.test(j[0]) && j[1] === '-c') return j[2];
    return j.map((w) => (/^[\w./=:,@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
  }
  if (step.heredocs.length) return undefined;
  return step.argsText;
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\');
}

/** A working directory no real image has: resolving a script's paths against it shows whether they are relative. */
function probeCwd(cwd: string): string {
  return `/\u0004base-workdir${cwd === '/' ? '' : cwd}`;
}

function runEffectsDiffer(a: { reads: string[]; writes: Array<{ path: string }> }, b: { pure: boolean; reads: string[]; writes: Array<{ path: string }> }): boolean {
  if (!b.pure) return true;
  const paths = (e: { reads: string[]; writes: Array<{ path: string }> }) => [...e.reads, '\u0000', ...e.writes.map((w) => w.path)].join('\n');
  return paths(a) !== paths(b);
}

/**
 * Whether expanding these texts of a step reads a variable only the base image can define: one the Dockerfile
 * never declares (BuildKit expands it with the image's ENV), or an ENV whose value used such a variable.
 */
function usesBaseEnv(model: DockerfileModel, step: Step, texts: string[], memo: Map<number, Map<string, string>>): boolean {
  for (const text of texts) {
    if (!text.includes('$')) continue;
    const ex = expand(text, step.scope, model.escapeChar);
    if (ex.undeclared.length) return true;
    const re = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const b = step.scope.get(m[1]);
      if (!b || b.kind !== 'env') continue;
      let vals = memo.get(b.step);
      if (!vals) {
        const envStep = model.steps[b.step];
        vals = envStep && envStep.keyword === 'ENV' ? envValues(model, envStep) : new Map();
        memo.set(b.step, vals);
      }
      if ((vals.get(m[1]) ?? '').includes('\u0000')) return true;
    }
  }
  return false;
}

/** Computes every step's cache key for one build (stages the target needs). */
export function computeKeys(side: BuildSide): BuildKeys {
  const { model } = side;
  const imageToken = side.imageToken ?? ((ref: string) => `image:${ref}`);
  const configToken = side.imageConfigToken ?? ((ref: string, field: BaseConfigField) => `config:${ref}:${field}`);
  const steps = new Map<number, StepKey>();
  const stages = new Map<number, StageResult>();
  const envMemo = new Map<number, Map<string, string>>();
  const visiting = new Set<number>();

  const stageRef = (step: Step, kind: 'copy-from' | 'mount-from', ref: string): number | undefined => {
    const st = model.stages[step.stage];
    const edge = st?.edges.find((e) => e.step === step.index && e.kind === kind && e.ref === ref);
    if (edge?.stage !== undefined) return edge.stage;
    if (/^\d+$/.test(ref)) {
      const n = Number(ref);
      return n < step.stage ? n : undefined;
    }
    const idx = model.stages.findIndex((s) => s.name?.toLowerCase() === ref.toLowerCase());
    return idx >= 0 && idx !== step.stage ? idx : undefined;
  };

  const stageResult = (index: number): StageResult => {
    const done = stages.get(index);
    if (done) return done;
    if (visiting.has(index)) return { key: hashText('cycle', index), fs: [], config: { user: false, workdir: false, shell: false } };
    visiting.add(index);
    const r = buildStage(model.stages[index]);
    visiting.delete(index);
    stages.set(index, r);
    return r;
  };

  const buildStage = (stage: Stage): StageResult => {
    const platform = stage.platform ?? '';
    let key: string;
    let fs: FsLayer[];
    let config: BaseConfigUse;
    if (stage.baseKind === 'stage' && stage.baseStage !== undefined) {
      const parent = stageResult(stage.baseStage);
      key = parent.key;
      fs = [...parent.fs];
      config = { ...parent.config };
    } else if (stage.baseKind === 'scratch') {
      key = hashText('scratch', platform);
      fs = [];
      config = { user: false, workdir: false, shell: false };
    } else {
      key = hashText('image', stage.base, imageToken(stage.base), platform);
      fs = [{ entries: [{ path: '/', token: key, cover: true }] }];
      config = { ref: stage.base, user: true, workdir: true, shell: true };
    }
    for (const step of stage.steps) {
      const r = stepKey(step, key, fs, config);
      steps.set(step.index, { step, key: r.key, vertex: r.vertex });
      key = r.key;
      if (r.layer) fs.push(r.layer);
      if (step.keyword === 'USER') config.user = false;
      else if (step.keyword === 'SHELL') config.shell = false;
      else if (step.keyword === 'WORKDIR' && isAbsolute(unquote(expand(step.argsText.trim(), step.scope, model.escapeChar).value))) config.workdir = false;
    }
    return { key, fs, config };
  };

  /** The tokens of the base image's configuration a step reads (empty for scratch or when it reads none). */
  const configParts = (config: BaseConfigUse, fields: Array<BaseConfigField | false>): string => {
    if (config.ref === undefined) return '';
    return fields.filter((f): f is BaseConfigField => !!f).map((f) => configToken(config.ref!, f)).join(';');
  };

  const stepKey = (step: Step, parent: string, fs: FsState, config: BaseConfigUse): { key: string; vertex: boolean; layer?: FsLayer } => {
    switch (step.keyword) {
      case 'RUN': {
        const cmd = step.json ? JSON.stringify(step.json) : JSON.stringify([...step.shell.value, step.argsText]);
        const env = runEnvironment(model, step, envMemo);
        const mountParts: string[] = [];
        const mountTokens: string[] = [];
        for (const m of step.mounts) {
          const spec = Object.entries(m.options).map(([k, v]) => `${k}=${v ?? ''}`).sort().join(',');
          mountParts.push(spec);
          if (m.type === 'bind') {
            const from = m.from ? expand(m.from, step.scope, model.escapeChar).value : undefined;
            const src = m.source ? expand(m.source, step.scope, model.escapeChar).value : '.';
            if (from) {
              const idx = stageRef(step, 'mount-from', from);
              mountTokens.push(idx !== undefined ? contentAt(stageResult(idx).fs, resolvePath('/', src)) : imageToken(from));
            } else {
              mountTokens.push(hashText('ctx', ...changedTaken(side.context, src, '/', true).map((c) => `${c.path}:${c.version}`)));
            }
          }
        }
        const otherFlags = step.flags.filter((f) => f.name.toLowerCase() !== 'mount').map((f) => `${f.name}=${f.value ?? ''}`).sort();
        // the image's ENV is always in a RUN's environment; its USER and WORKDIR until the Dockerfile sets its own; its
        // SHELL for the shell form until a SHELL step (the exec form runs no shell)
        const baseConfig = configParts(config, ['env', config.user && 'user', config.workdir && 'workdir', config.shell && !step.json && 'shell']);
        const key = hashText('run', parent, cmd, env.join('\n'), step.user.value, step.workdir.value, mountParts.join(';'), mountTokens.join(';'), otherFlags.join(';'), baseConfig);
        const script = runScript(step);
        const eff = script !== undefined && step.mounts.length === 0 ? runEffects(script, step.workdir.value) : undefined;
        if (eff && eff.pure) {
          const envMap = new Map(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
          // what it writes depends on the image's config only through variables only the image defines and, while
          // the working directory is the image's, through relative paths (they resolve elsewhere under another cwd)
          const readsBaseEnv = eff.vars.some((v) => !envMap.has(v));
          const relative = config.workdir && config.ref !== undefined && runEffectsDiffer(eff, runEffects(script!, probeCwd(step.workdir.value)));
          const outConfig = configParts(config, [readsBaseEnv && 'env', relative && 'workdir']);
          const token = hashText('runout', cmd, outConfig, ...eff.vars.map((v) => `${v}=${envMap.get(v) ?? '\u0003'}`), ...eff.reads.map((r) => `${r}:${contentAt(fs, r)}`));
          return { key, vertex: true, layer: { entries: eff.writes.map((w) => ({ path: w.path, token: hashText(token, w.path), cover: w.cover })) } };
        }
        return { key, vertex: true, layer: { entries: [], any: key } };
      }
      case 'COPY':
      case 'ADD': {
        const { sources, dest } = copyWords(model, step);
        const destAbs = resolvePath(step.workdir.value, dest);
        const destIsDir = dest.endsWith('/') || sources.length > 1 || sources.some(hasGlob);
        const flags = step.flags
          .filter((f) => f.name.toLowerCase() !== 'from')
          .map((f) => `${f.name.toLowerCase()}=${f.value === null ? '' : expand(f.value, step.scope, model.escapeChar).value}`)
          .sort();
        const from = flagValue(step, 'from');
        const tokens: string[] = [];
        const entries: FsEntry[] = [];
        if (from !== undefined) {
          const ref = expand(from, step.scope, model.escapeChar).value;
          const idx = stageRef(step, 'copy-from', ref);
          if (idx !== undefined) {
            const srcFs = stageResult(idx).fs;
            for (const s of sources) tokens.push(contentAt(srcFs, resolvePath('/', s)));
          } else tokens.push(imageToken(ref));
        } else {
          for (const s of sources) {
            if (step.keyword === 'ADD' && isRemoteSource(s)) {
              tokens.push(hashText('remote', s));
              continue;
            }
            const taken = changedTaken(side.context, s, destAbs, destIsDir);
            tokens.push(hashText('ctx', contextRelative(s), ...taken.map((c) => `${c.path}:${c.version}`)));
            for (const c of taken) entries.push({ path: c.to, token: hashText('file', c.version), cover: !side.context.dirs?.has(c.path) });
          }
        }
        const normSources = sources.map((s) => (from !== undefined ? s : contextRelative(s)));
        // a relative destination resolves against the image's WORKDIR until the Dockerfile sets an absolute one
        const baseConfig = configParts(config, [
          usesBaseEnv(model, step, [step.argsText, ...step.flags.map((f) => f.value ?? '')], envMemo) && 'env',
          config.workdir && !isAbsolute(dest) && 'workdir',
        ]);
        const key = hashText('copy', step.keyword, parent, normSources.join('\n'), destAbs, String(destIsDir), flags.join(';'), tokens.join(';'), baseConfig);
        const constToken = hashText('copyconst', step.keyword, normSources.join('\n'), destAbs, flags.join(';'), from !== undefined ? tokens.join(';') : '');
        return { key, vertex: true, layer: { entries: [{ path: destAbs, token: constToken, cover: false }, ...entries] } };
      }
      case 'WORKDIR': {
        const target = workdirTarget(model, step);
        if (target === '/') return { key: parent, vertex: false };
        // BuildKit creates the directory as the USER in effect (the image's until a USER step), and a relative
        // path resolves against the image's WORKDIR until an absolute one
        const written = unquote(expand(step.argsText.trim(), step.scope, model.escapeChar).value);
        const baseConfig = configParts(config, [
          usesBaseEnv(model, step, [step.argsText], envMemo) && 'env',
          config.user && 'user',
          config.workdir && !isAbsolute(written) && 'workdir',
        ]);
        const key = hashText('workdir', parent, target, step.user.value, baseConfig);
        return { key, vertex: true, layer: { entries: [{ path: target, token: hashText('mkdir', target, step.user.value), cover: false }] } };
      }
      default:
        return { key: parent, vertex: false };
    }
  };

  for (const s of model.requiredStages) stageResult(s);
  return { steps, stages };
}

// ---------------------------------------------------------------------------------------------------------------
// comparing two builds

export type StepStatus = 'cached' | 'rebuilt';

export interface PredictedStep {
  step: Step;
  /** 1-based line where the instruction starts. */
  line: number;
  /** Stage name, or index when unnamed. */
  stage: string | number;
  instruction: string;
  status: StepStatus;
}

export interface Prediction {
  steps: PredictedStep[];
  firstRebuiltLine: number | null;
}

/** Which steps of the current build BuildKit executes, given that the previous build filled the cache. */
export function predict(previous: BuildSide, current: BuildSide): Prediction {
  const prev = computeKeys(previous);
  const cur = computeKeys(current);
  const cachedKeys = new Set<string>();
  for (const k of prev.steps.values()) if (k.vertex) cachedKeys.add(k.key);
  const { model } = current;
  const steps: PredictedStep[] = [];
  for (const si of model.requiredStages) {
    const stage = model.stages[si];
    for (const step of stage.steps) {
      const k = cur.steps.get(step.index);
      if (!k || !k.vertex) continue;
      steps.push({
        step,
        line: step.range.start.line + 1,
        stage: stage.name ?? stage.index,
        instruction: step.keyword,
        status: cachedKeys.has(k.key) ? 'cached' : 'rebuilt',
      });
    }
  }
  steps.sort((a, b) => a.line - b.line);
  const first = steps.find((s) => s.status === 'rebuilt');
  return { steps, firstRebuiltLine: first ? first.line : null };
}

export interface ChangeSpec {
  /** Context-relative paths whose content (or mode) changed. */
  files?: string[];
  /** Of `files`, the ones that are directories ("something below changed"). */
  directories?: string[];
  /** Build args whose value differs in the new build: name → new value, or undefined for "some other value". */
  buildArgs?: Record<string, string | undefined>;
  /**
   * The external base images changed (a new image behind the same reference): `true` or `'layers'` — their layers
   * changed, so every stage built on one rebuilds; `'config'` — only their configuration changed (ENV, USER,
   * WORKDIR, SHELL, ...; which part unknown, so every step that reads any of it); a list of BaseConfigFields —
   * only those parts changed.
   */
  baseChanged?: BaseChange;
}

export type BaseChange = boolean | 'layers' | 'config' | readonly BaseConfigField[];

/** The image tokens of the build before (`previous`) and after (`current`) a base image change. */
export function baseChangeTokens(change: BaseChange | undefined): {
  previous: Pick<BuildSide, 'imageToken' | 'imageConfigToken'>;
  current: Pick<BuildSide, 'imageToken' | 'imageConfigToken'>;
} {
  const layers = change === true || change === 'layers';
  const fields = new Set<BaseConfigField>(change === 'config' ? BASE_CONFIG_FIELDS : Array.isArray(change) ? change : []);
  return {
    previous: { imageToken: (ref) => `image:${ref}`, imageConfigToken: (ref, field) => `config:${ref}:${field}` },
    current: {
      imageToken: (ref) => (layers ? `image:${ref}:changed` : `image:${ref}`),
      imageConfigToken: (ref, field) => (fields.has(field) ? `config:${ref}:${field}:changed` : `config:${ref}:${field}`),
    },
  };
}

/**
 * Reads the value of `--base-changed[=WHAT]`: none or `layers` (the layers changed), `config` (the configuration,
 * any part), or a comma-separated list of `env`, `user`, `workdir`, `shell`. Undefined when WHAT is not one of these.
 */
export function parseBaseChange(value: string | undefined): BaseChange | undefined {
  if (value === undefined || value === 'layers') return 'layers';
  if (value === 'config') return 'config';
  const parts = value.split(',').map((p) => p.trim().toLowerCase());
  if (!parts.length || parts.some((p) => !(BASE_CONFIG_FIELDS as readonly string[]).includes(p))) return undefined;
  return [...new Set(parts)] as BaseConfigField[];
}

/** Two base changes together (a repeated `--base-changed`): layers win, config parts add up. */
export function mergeBaseChange(a: BaseChange | undefined, b: BaseChange | undefined): BaseChange | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a === true || a === 'layers' || b === true || b === 'layers') return 'layers';
  if (a === 'config' || b === 'config') return 'config';
  return [...new Set([...(a as readonly BaseConfigField[]), ...(b as readonly BaseConfigField[])])];
}

export interface WhatIfOptions {
  /** Build args both builds use. */
  buildArgs?: Record<string, string>;
  target?: string;
  /** The context's ignore file (an excluded path changes nothing). */
  ignore?: IgnoreMatcher;
}

/** A value no real build arg has: "some other value than before". */
export const CHANGED_VALUE = '\u0001changed';

/**
 * Answers "if these files / build args / base images change, which steps rebuild" for one Dockerfile text.
 * `build` builds a model for given build args (so callers decide how: buildModel, or an analysis cache).
 */
export function whatIf(build: (buildArgs: Record<string, string>) => DockerfileModel, change: ChangeSpec, opts: WhatIfOptions = {}): Prediction {
  const baseArgs = { ...(opts.buildArgs ?? {}) };
  const nextArgs = { ...baseArgs };
  for (const [name, value] of Object.entries(change.buildArgs ?? {})) {
    nextArgs[name] = value ?? (baseArgs[name] !== undefined ? baseArgs[name] + CHANGED_VALUE : CHANGED_VALUE);
  }
  const views = changedPathsViews(change.files ?? [], opts.ignore, change.directories ?? []);
  const tokens = baseChangeTokens(change.baseChanged);
  const previous: BuildSide = { model: build(baseArgs), context: views.previous, ...tokens.previous };
  const current: BuildSide = {
    model: Object.keys(change.buildArgs ?? {}).length ? build(nextArgs) : previous.model,
    context: views.current,
    ...tokens.current,
  };
  return predict(previous, current);
}

// ---------------------------------------------------------------------------------------------------------------
// "rebuilds when": the inputs of a step, for people

export interface CacheInputs {
  /** COPY/ADD sources (context-relative, as written after expansion) the step or a step before it takes. */
  files: string[];
  /** Build args whose value enters the key (RUN: every ARG declared before it; COPY: the ones its text uses). */
  args: string[];
  /** External images (bases, `COPY --from=image`). */
  images: string[];
  /** Other stages whose output (at a path) the step or an earlier one copies or mounts. */
  stageOutputs: Array<{ stage: string; path: string }>;
  /** Bind-mounted context paths (RUN --mount=type=bind). */
  mounts: string[];
  /** Remote sources (ADD URL / git). */
  remote: string[];
  /** Lines (1-based) of the instructions whose text enters the key: this step and the steps before it. */
  lines: number[];
}

/** What a step's cache key depends on, followed back through its stage and its base stages. */
export function cacheInputs(model: DockerfileModel, step: Step): CacheInputs {
  const out: CacheInputs = { files: [], args: [], images: [], stageOutputs: [], mounts: [], remote: [], lines: [] };
  const add = <T>(list: T[], v: T) => {
    if (!list.includes(v)) list.push(v);
  };
  const seenStages = new Set<number>();
  const argNames = (s: Step, text: string) => {
    const names: string[] = [];
    const re = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const b = s.scope.get(m[1]);
      if (b && b.kind === 'arg') names.push(m[1]);
    }
    return names;
  };
  const visitStage = (stageIndex: number, upTo: number | undefined) => {
    const stage = model.stages[stageIndex];
    if (!stage) return;
    if (upTo === undefined) {
      if (seenStages.has(stageIndex)) return;
      seenStages.add(stageIndex);
    }
    if (stage.baseKind === 'stage' && stage.baseStage !== undefined) visitStage(stage.baseStage, undefined);
    else if (stage.baseKind === 'image' || stage.baseKind === 'unknown') {
      if (stage.base) add(out.images, stage.base);
      for (const name of stage.baseUnresolved) add(out.args, name);
      for (const name of argNames(stage.from, sliceArgs(stage.from))) add(out.args, name);
    }
    for (const s of stage.steps) {
      if (upTo !== undefined && s.index > upTo) break;
      if (isVertex(model, s)) add(out.lines, s.range.start.line + 1);
      if (s.keyword === 'RUN') {
        for (const [name, b] of s.scope) if (b.kind === 'arg') add(out.args, name);
        for (const m of s.mounts) {
          if (m.type !== 'bind') continue;
          if (m.from) {
            const ref = expand(m.from, s.scope, model.escapeChar).value;
            const idx = model.stages.findIndex((x) => x.name?.toLowerCase() === ref.toLowerCase() || String(x.index) === ref);
            if (idx >= 0) {
              add(out.stageOutputs, { stage: ref, path: resolvePath('/', m.source ?? '/') });
              visitStage(idx, undefined);
            } else add(out.images, ref);
          } else add(out.mounts, contextRelative(m.source ?? '.'));
        }
      } else if (s.keyword === 'COPY' || s.keyword === 'ADD') {
        for (const name of argNames(s, s.argsText + ' ' + s.flags.map((f) => f.value ?? '').join(' '))) add(out.args, name);
        const { sources } = copyWords(model, s);
        const from = flagValue(s, 'from');
        if (from !== undefined) {
          const ref = expand(from, s.scope, model.escapeChar).value;
          const idx = model.stages.findIndex((x, i) => i !== s.stage && (x.name?.toLowerCase() === ref.toLowerCase() || String(x.index) === ref));
          if (idx >= 0) {
            for (const src of sources) if (!out.stageOutputs.some((o) => o.stage === ref && o.path === resolvePath('/', src))) out.stageOutputs.push({ stage: ref, path: resolvePath('/', src) });
            visitStage(idx, undefined);
          } else add(out.images, ref);
        } else {
          for (const src of sources) {
            if (s.keyword === 'ADD' && isRemoteSource(src)) add(out.remote, src);
            else add(out.files, contextRelative(src));
          }
        }
      } else if (s.keyword === 'WORKDIR') {
        for (const name of argNames(s, s.argsText)) add(out.args, name);
      }
    }
  };
  if (step.stage >= 0) visitStage(step.stage, step.index);
  out.lines.sort((a, b) => a - b);
  return out;
}

function sliceArgs(step: Step): string {
  return step.args.map((a) => a.value).join(' ');
}
