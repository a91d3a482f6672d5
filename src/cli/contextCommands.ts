/**
 * `dockerfile-insight layers` and `dockerfile-insight rebuild`: the layer preview and the cache prediction
 * over a real build context on disk.
 *
 *   layers  DOCKERFILE [--context DIR] [--target STAGE] [--build-arg NAME=VALUE]... [--format text|json]
 *   rebuild DOCKERFILE [--context DIR] [--target STAGE] [--build-arg NAME=VALUE]... [--changed PATH]...
 *           [--changed-build-arg NAME[=NEW]]... [--base-changed[=layers|config|env,user,workdir,shell]]
 *           [--previous DIR] [--previous-dockerfile FILE] [--format text|json]
 *
 * `--base-changed` (= `layers`): the base images' layers changed, every step on them rebuilds. `--base-changed=config`:
 * only their configuration changed (which part unknown); `=env`, `=user,workdir`, ...: only those parts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildModel, DockerfileModel } from '../core/model';
import { ContextIndex, loadIgnore, resolveContextDir, scanContext } from '../core/context';
import { computeLayers, formatBytes, inspectArchives, StepLayer } from '../core/layers';
import { BaseChange, baseChangeTokens, BuildSide, ContextView, mergeBaseChange, parseBaseChange, predict, Prediction, whatIf } from '../core/cache';
import { hashPath, NodeFileSystem } from './nodeFs';

export class ContextUsageError extends Error {}

export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

interface CommonOptions {
  dockerfile: string;
  context?: string;
  target?: string;
  buildArgs: Record<string, string>;
  format: 'text' | 'json';
}

interface RebuildOptions extends CommonOptions {
  changed: string[];
  changedArgs: Record<string, string | undefined>;
  baseChanged?: BaseChange;
  previous?: string;
  previousDockerfile?: string;
}

function takeValue(args: string[], i: number, flag: string): [string, number] {
  const a = args[i];
  const eq = a.indexOf('=');
  if (a.startsWith('--') && eq > 0) return [a.slice(eq + 1), i];
  if (i + 1 >= args.length) throw new ContextUsageError(`${flag} needs a value`);
  return [args[i + 1], i + 1];
}

function parseArgs(cmd: 'layers' | 'rebuild', args: string[]): RebuildOptions {
  const o: RebuildOptions = { dockerfile: '', buildArgs: {}, format: 'text', changed: [], changedArgs: {} };
  const positional: string[] = [];
  let ended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (ended || !a.startsWith('--')) {
      if (!ended && a.startsWith('-') && a !== '-') throw new ContextUsageError(`unknown option ${a}`);
      positional.push(a);
      continue;
    }
    if (a === '--') {
      ended = true;
      continue;
    }
    const name = a.split('=')[0];
    let v: string;
    const rebuildOnly = () => {
      if (cmd !== 'rebuild') throw new ContextUsageError(`${name} is an option of rebuild, not of ${cmd}`);
    };
    switch (name) {
      case '--context':
        [v, i] = takeValue(args, i, name);
        o.context = v;
        break;
      case '--target':
        [v, i] = takeValue(args, i, name);
        o.target = v;
        break;
      case '--format':
        [v, i] = takeValue(args, i, name);
        if (v !== 'text' && v !== 'json') throw new ContextUsageError(`--format must be one of text, json, not "${v}"`);
        o.format = v;
        break;
      case '--build-arg': {
        [v, i] = takeValue(args, i, name);
        const eq = v.indexOf('=');
        if (eq <= 0) throw new ContextUsageError(`--build-arg needs NAME=VALUE, not "${v}"`);
        o.buildArgs[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case '--changed':
        rebuildOnly();
        [v, i] = takeValue(args, i, name);
        o.changed.push(v);
        break;
      case '--changed-build-arg': {
        rebuildOnly();
        [v, i] = takeValue(args, i, name);
        const eq = v.indexOf('=');
        if (eq === 0 || !v) throw new ContextUsageError(`--changed-build-arg needs NAME or NAME=NEW, not "${v}"`);
        if (eq < 0) o.changedArgs[v] = undefined;
        else o.changedArgs[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case '--base-changed': {
        // a value only in the `=` form: a bare --base-changed never takes the next word (compatible with before)
        rebuildOnly();
        const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined;
        const change = parseBaseChange(value);
        if (change === undefined) throw new ContextUsageError(`--base-changed=${value}: give layers, config, or a comma-separated list of env, user, workdir, shell`);
        o.baseChanged = mergeBaseChange(o.baseChanged, change);
        break;
      }
      case '--previous':
        rebuildOnly();
        [v, i] = takeValue(args, i, name);
        o.previous = v;
        break;
      case '--previous-dockerfile':
        rebuildOnly();
        [v, i] = takeValue(args, i, name);
        o.previousDockerfile = v;
        break;
      default:
        throw new ContextUsageError(`unknown option ${a}`);
    }
  }
  if (positional.length !== 1) throw new ContextUsageError(`${cmd} needs exactly one DOCKERFILE (got ${positional.length})`);
  o.dockerfile = positional[0];
  if (o.previousDockerfile && !o.previous) throw new ContextUsageError('--previous-dockerfile needs --previous DIR');
  return o;
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ContextUsageError(`cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file or directory' : code ?? (e as Error).message}`);
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function checkTarget(model: DockerfileModel, target: string | undefined, file: string): void {
  if (target && !model.stages.some((s) => s.name?.toLowerCase() === target.toLowerCase())) {
    throw new ContextUsageError(`${file}: --target ${target}: no stage is named "${target}" (stages: ${model.stages.map((s) => s.name ?? String(s.index)).join(', ') || 'none'})`);
  }
}

interface Loaded {
  dockerfile: string;
  text: string;
  contextDir: string;
}

async function load(o: CommonOptions, io: CommandIo): Promise<Loaded> {
  const dockerfile = path.resolve(io.cwd, o.dockerfile);
  if (isDir(dockerfile)) throw new ContextUsageError(`${o.dockerfile} is a directory; give the Dockerfile's path`);
  const text = readText(dockerfile, 'Dockerfile');
  let contextDir: string;
  if (o.context) {
    contextDir = path.resolve(io.cwd, o.context);
    if (!isDir(contextDir)) throw new ContextUsageError(`--context ${o.context}: not a directory`);
  } else {
    const inside = dockerfile.startsWith(io.cwd.endsWith(path.sep) ? io.cwd : io.cwd + path.sep);
    contextDir = (await resolveContextDir(new NodeFileSystem(), dockerfile, { stopAt: inside ? io.cwd : undefined })).dir;
  }
  return { dockerfile, text, contextDir };
}

// ---------------------------------------------------------------------------------------------------------------
// layers

export async function layersCommand(args: string[], io: CommandIo): Promise<number> {
  const o = parseArgs('layers', args);
  const { dockerfile, text, contextDir } = await load(o, io);
  const model = buildModel(text, { buildArgs: o.buildArgs, target: o.target });
  checkTarget(model, o.target, o.dockerfile);
  const nodeFs = new NodeFileSystem();
  const ctx = await scanContext(nodeFs, contextDir, dockerfile);
  await inspectArchives(nodeFs, model, ctx); // ADD unpacks local tar archives: the layer holds their entries
  const preview = computeLayers(model, { context: ctx });
  const stageLabel = (i: number) => model.stages[i].name ?? i;
  if (o.format === 'json') {
    const json = {
      dockerfile: path.relative(io.cwd, dockerfile) || dockerfile,
      context: contextDir,
      ignoreFile: ctx.ignoreFile ?? null,
      target: model.target >= 0 ? stageLabel(model.target) : null,
      contextFiles: ctx.fileCount,
      contextBytes: ctx.totalBytes,
      stages: preview.stages.map((s) => ({
        index: s.stage.index,
        name: s.stage.name ?? null,
        base: s.stage.base,
        line: s.stage.from.range.start.line + 1,
        baseLayers: s.baseLayers ?? null,
        layers: s.ownLayers,
        steps: s.steps.map((sl) => stepJson(sl, stageLabel)),
      })),
    };
    io.stdout(JSON.stringify(json, null, 2) + '\n');
    return 0;
  }
  const lines: string[] = [];
  lines.push(`${path.relative(io.cwd, dockerfile) || dockerfile}  (context ${path.relative(io.cwd, contextDir) || '.'}: ${ctx.fileCount} files, ${formatBytes(ctx.totalBytes)}${ctx.ignoreFile ? `, ignore file ${path.relative(io.cwd, ctx.ignoreFile)}` : ''}${ctx.pruned.length ? `, ${ctx.pruned.length} excluded director${ctx.pruned.length === 1 ? 'y' : 'ies'} not walked` : ''})`);
  for (const s of preview.stages) {
    const base = s.baseLayers === undefined ? 'base layers unknown' : `${s.baseLayers} base layer${s.baseLayers === 1 ? '' : 's'}`;
    lines.push('', `stage ${s.stage.name ?? s.stage.index} FROM ${s.stage.base || '?'} (line ${s.stage.from.range.start.line + 1}; ${base}; +${s.ownLayers} layer${s.ownLayers === 1 ? '' : 's'})`);
    for (const sl of s.steps) {
      const where = `  ${String(sl.line).padStart(4)}  ${sl.instruction.padEnd(11)}`;
      let what = sl.kind === 'layer' ? `layer ${sl.imageLayer ?? `base+${sl.layer}`}` : sl.kind === 'metadata' ? 'metadata only' : 'no layer';
      if (sl.copy) {
        if (sl.copy.from !== undefined) {
          what += `  from ${sl.copy.from}`;
          if (sl.copy.traced === 'none') what += ': size unknown (not traced to context files)';
          else what += `: ${sl.copy.files} context file${sl.copy.files === 1 ? '' : 's'}, ${sizeText(sl.copy.bytes)}${sl.copy.traced === 'partial' ? ' plus what its RUN steps made' : ''}`;
        } else {
          const unpacked = sl.copy.sources.flatMap((x) => x.unpacked ?? []);
          what += unpacked.some((u) => u.files === undefined) ? '  files and size unknown' : `  ${sl.copy.files} file${sl.copy.files === 1 ? '' : 's'}, ${sizeText(sl.copy.bytes)}`;
          for (const u of unpacked) {
            const kind = u.format === 'unknown' ? 'maybe an archive' : `${u.format} archive, unpacked`;
            what += `  (${u.path}: ${kind}${u.bytes === undefined ? `; size unknown: ${u.reason}` : ''})`;
          }
          const missing = sl.copy.sources.filter((x) => x.missing).map((x) => x.source);
          if (missing.length) what += `  (not in the context: ${missing.join(', ')})`;
          if (sl.copy.remote.length) what += `  + remote ${sl.copy.remote.join(', ')}`;
        }
      } else if (sl.emptyLayer) what += ' (empty: creates the directory)';
      if (sl.run && (sl.run.installs.length || sl.run.leftovers.length)) {
        const parts: string[] = [];
        for (const i of sl.run.installs) parts.push(`installs ${i.packages.join(' ')} (${i.manager})`);
        for (const l of sl.run.leftovers) parts.push(`leaves ${l.what} in ${l.path}${l.size ? ` (~${l.size})` : ''}`);
        what += `  estimate: ${parts.join('; ')}`;
      }
      lines.push(`${where}${what}`);
    }
  }
  io.stdout(lines.join('\n') + '\n');
  return 0;
}

function sizeText(bytes: number | null): string {
  return bytes === null ? 'size unknown' : formatBytes(bytes);
}

function stepJson(sl: StepLayer, stageLabel: (i: number) => string | number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    line: sl.line,
    stage: stageLabel(sl.stage),
    instruction: sl.instruction,
    kind: sl.kind,
    layer: sl.layer ?? null,
    imageLayer: sl.imageLayer ?? null,
  };
  if (sl.copy) {
    out.files = sl.copy.files;
    out.bytes = sl.copy.bytes;
    out.dest = sl.copy.dest;
    out.sources = sl.copy.sources.map((s) => {
      const src: Record<string, unknown> = { source: s.source, files: s.files, bytes: s.bytes, missing: s.missing, sample: s.sample };
      // ADD: the archives it unpacks; files/bytes are their entries (null: unknown, with the reason)
      if (s.unpacked) src.unpacked = s.unpacked.map((u) => ({ path: u.path, format: u.format, files: u.files ?? null, bytes: u.bytes ?? null, ...(u.reason ? { reason: u.reason } : {}) }));
      return src;
    });
    if (sl.copy.from !== undefined) {
      out.from = sl.copy.from;
      out.traced = sl.copy.traced;
    }
    if (sl.copy.remote.length) out.remote = sl.copy.remote;
  }
  if (sl.run) out.estimate = { installs: sl.run.installs, leftovers: sl.run.leftovers };
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// rebuild

/** Context views of two real context directories: what differs (content, mode, symlink target, presence). */
export async function diffContexts(prev: ContextIndex, cur: ContextIndex): Promise<{ previous: ContextView; current: ContextView; mtimeOnly: string[] }> {
  const previous: ContextView = { changed: new Map() };
  const current: ContextView = { changed: new Map() };
  const mtimeOnly: string[] = [];
  const token = (root: string, e: { path: string; type: string; mode?: number; size: number }) => `${e.type}:${(e.mode ?? 0).toString(8)}:${hashPath(path.join(root, e.path), e.type as never) ?? '?'}`;
  for (const e of cur.entries) {
    const p = prev.byPath.get(e.path);
    if (!p) {
      current.changed.set(e.path, token(cur.root, e));
      previous.changed.set(e.path, undefined);
      continue;
    }
    if (e.type === 'directory' && p.type === 'directory') continue; // a directory's mode is not in the key
    if (p.type === e.type && e.type === 'file' && p.size === e.size && (p.mode ?? 0) === (e.mode ?? 0)) {
      const a = hashPath(path.join(prev.root, p.path), 'file');
      const b = hashPath(path.join(cur.root, e.path), 'file');
      if (a !== undefined && a === b) {
        if (p.mtime !== e.mtime) mtimeOnly.push(e.path);
        continue;
      }
    }
    const tp = token(prev.root, p);
    const tc = token(cur.root, e);
    if (tp === tc) {
      if (p.mtime !== e.mtime) mtimeOnly.push(e.path);
      continue;
    }
    previous.changed.set(e.path, tp);
    current.changed.set(e.path, tc);
  }
  for (const p of prev.entries) {
    if (cur.byPath.has(p.path)) continue;
    previous.changed.set(p.path, token(prev.root, p));
    current.changed.set(p.path, undefined);
  }
  return { previous, current, mtimeOnly };
}

export async function rebuildCommand(args: string[], io: CommandIo): Promise<number> {
  const o = parseArgs('rebuild', args);
  const { dockerfile, text, contextDir } = await load(o, io);
  const nodeFs = new NodeFileSystem();
  let prediction: Prediction;
  const notes: string[] = [];
  const current = buildModel(text, { buildArgs: o.buildArgs, target: o.target });
  checkTarget(current, o.target, o.dockerfile);
  if (o.previous) {
    const prevDir = path.resolve(io.cwd, o.previous);
    if (!isDir(prevDir)) throw new ContextUsageError(`--previous ${o.previous}: not a directory`);
    let prevDockerfile: string;
    if (o.previousDockerfile) prevDockerfile = path.resolve(io.cwd, o.previousDockerfile);
    else {
      const rel = path.relative(contextDir, dockerfile);
      prevDockerfile = rel.startsWith('..') || path.isAbsolute(rel) ? path.join(prevDir, path.basename(dockerfile)) : path.join(prevDir, rel);
    }
    const prevText = readText(prevDockerfile, 'previous Dockerfile');
    const prevModel = buildModel(prevText, { buildArgs: o.buildArgs, target: o.target });
    const [prevCtx, curCtx] = await Promise.all([scanContext(nodeFs, prevDir, prevDockerfile), scanContext(nodeFs, contextDir, dockerfile)]);
    const diff = await diffContexts(prevCtx, curCtx);
    const changedArgs = { ...o.buildArgs };
    for (const [k, v] of Object.entries(o.changedArgs)) changedArgs[k] = v ?? (o.buildArgs[k] ?? '') + '\u0001changed';
    const curModel = Object.keys(o.changedArgs).length ? buildModel(text, { buildArgs: changedArgs, target: o.target }) : current;
    // the two context copies cannot show a base image change: --base-changed tells it, as without --previous
    const tokens = baseChangeTokens(o.baseChanged);
    const prevSide: BuildSide = { model: prevModel, context: diff.previous, ...tokens.previous };
    const curSide: BuildSide = { model: curModel, context: diff.current, ...tokens.current };
    // --changed on top of --previous: those paths count as changed too
    for (const c of o.changed) {
      const rel = toContextRelative(c, contextDir, io.cwd);
      if (!diff.current.changed.has(rel)) {
        diff.previous.changed.set(rel, 'old');
        diff.current.changed.set(rel, 'new');
      }
    }
    prediction = predict(prevSide, curSide);
    const changedFiles = [...diff.current.changed.keys()];
    notes.push(`compared with ${path.relative(io.cwd, prevDir) || prevDir}: ${changedFiles.length} context path${changedFiles.length === 1 ? '' : 's'} differ${changedFiles.length === 1 ? 's' : ''}${changedFiles.length ? ` (${changedFiles.slice(0, 8).join(', ')}${changedFiles.length > 8 ? ', ...' : ''})` : ''}${diff.mtimeOnly.length ? `; ${diff.mtimeOnly.length} only in mtime, which BuildKit ignores` : ''}${prevText === text ? '' : '; the Dockerfile text differs'}`);
  } else {
    const ignore = (await loadIgnore(nodeFs, contextDir, dockerfile)).matcher;
    const files: string[] = [];
    const directories: string[] = [];
    for (const c of o.changed) {
      const rel = toContextRelative(c, contextDir, io.cwd);
      files.push(rel);
      if (isDir(path.join(contextDir, rel))) directories.push(rel);
    }
    prediction = whatIf((buildArgs) => (buildArgs === o.buildArgs ? current : buildModel(text, { buildArgs, target: o.target })), {
      files, directories, buildArgs: o.changedArgs, baseChanged: o.baseChanged,
    }, { buildArgs: o.buildArgs, target: o.target, ignore });
  }
  if (o.baseChanged) {
    const what = o.baseChanged === true || o.baseChanged === 'layers' ? 'layers changed' : `configuration changed (${o.baseChanged === 'config' ? 'any part' : (o.baseChanged as readonly string[]).join(', ')})`;
    notes.push(`base images: ${what}`);
  }
  if (o.format === 'json') {
    io.stdout(JSON.stringify({
      steps: prediction.steps.map((s) => ({ line: s.line, stage: s.stage, instruction: s.instruction, status: s.status })),
      firstRebuiltLine: prediction.firstRebuiltLine,
    }, null, 2) + '\n');
    return 0;
  }
  const out: string[] = [];
  out.push(`${path.relative(io.cwd, dockerfile) || dockerfile}  (context ${path.relative(io.cwd, contextDir) || '.'})`);
  for (const n of notes) out.push(n);
  for (const s of prediction.steps) {
    const textLine = text.split(/\r\n|\r|\n/)[s.line - 1]?.trim() ?? '';
    out.push(`  ${String(s.line).padStart(4)}  ${String(s.stage).padEnd(12)} ${s.status === 'rebuilt' ? 'REBUILT' : 'cached '}  ${textLine.length > 70 ? textLine.slice(0, 69) + '…' : textLine}`);
  }
  const n = prediction.steps.filter((s) => s.status === 'rebuilt').length;
  out.push(prediction.firstRebuiltLine === null
    ? `every step (${prediction.steps.length}) is served from the cache`
    : `${n} of ${prediction.steps.length} steps rebuild; the first is on line ${prediction.firstRebuiltLine}`);
  io.stdout(out.join('\n') + '\n');
  return 0;
}

function toContextRelative(p: string, contextDir: string, cwd: string): string {
  if (path.isAbsolute(p)) return path.relative(contextDir, p).split(path.sep).join('/');
  void cwd;
  return p.split(path.sep).join('/');
}
