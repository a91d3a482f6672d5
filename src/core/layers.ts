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
import type { ContextEntry, ContextIndex, SourceSelection } from './context';
import { contextRelative, descendants, selectSource } from './context';
import { IgnoreMatcher } from './dockerignore';
import { copyWords, isRemoteSource, isVertex } from './cache';
import type { FileSystem } from './fs';
import { joinPath } from './fs';

export type LayerKind = 'layer' | 'metadata' | 'none';

export interface SourceInfo {
  source: string;
  files: number;
  /** What the layer gets from this source, as `docker history` counts it; null when it cannot be known here. */
  bytes: number | null;
  /** Nothing in the context matches: BuildKit fails the step. */
  missing: boolean;
  /** Up to 20 context-relative paths it takes. */
  sample: string[];
  /** ADD: the archives among the files it names, which BuildKit unpacks (their entries replace them in files/bytes). */
  unpacked?: Array<{ path: string } & ArchiveInfo>;
}

export interface CopyInfo {
  dest: string;
  sources: SourceInfo[];
  /** Totals over the sources (a file taken by two sources counts twice, as in the layer); bytes null when a
   * source's is unknown (`COPY --from` that could not be traced, an archive that could not be read). */
  files: number;
  bytes: number | null;
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

function sourceInfo(sel: SourceSelection, add: boolean, ctx: ContextIndex): SourceInfo {
  const info: SourceInfo = {
    source: sel.source,
    files: sel.fileCount,
    bytes: sel.bytes,
    missing: sel.missing,
    sample: sel.entries.filter((e) => e.type !== 'directory').slice(0, 20).map((e) => e.path),
  };
  if (!add) return info;
  // ADD unpacks a local tar archive (plain or compressed) it names: the layer holds its entries, not the file
  for (const e of sel.named) {
    if (e.type !== 'file') continue;
    const a: ArchiveInfo = ctx.archives?.get(e.path) ?? { format: 'unknown', reason: 'not inspected' };
    if (a.format === 'none') continue;
    (info.unpacked ??= []).push({ path: e.path, ...a });
    info.files += (a.files ?? 1) - 1;
    info.bytes = info.bytes === null || a.bytes === undefined ? null : info.bytes - e.size + a.bytes;
  }
  return info;
}

const addBytes = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a + b);

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
    info.bytes = null; // unknown until traceFrom finds the context files behind it
    for (const s of sources) info.sources.push({ source: s, files: 0, bytes: null, missing: false, sample: [] });
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
    const si = sourceInfo(selectSource(ctx, s, excludeMatcher), step.keyword === 'ADD', ctx);
    info.sources.push(si);
    info.files += si.files;
    info.bytes = addBytes(info.bytes, si.bytes);
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
  let bytes: number | null = 0;
  let exact = true;
  let any = false;
  copy.sources = copy.sources.map((src) => {
    const path = resolvePath('/', src.source);
    let sFiles = 0;
    let sBytes: number | null = 0;
    let sAny = false;
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
            if (e.type === 'file') sBytes = addBytes(sBytes, e.size);
            if (sample.length < 20) sample.push(e.path);
          }
          any = sAny = true;
        } else if (!isDirSource && entry && (path === dest || dest.startsWith(path.replace(/\/$/, '') + '/') || path === '/' || resolvePath(dest.endsWith('/') ? dest : dest + '/', '') === path)) {
          const unpacked = os.unpacked?.find((u) => u.path === entry.path);
          if (unpacked) {
            // an archive that ADD unpacked there: its entries
            sFiles += unpacked.files ?? 1;
            sBytes = unpacked.bytes === undefined ? null : addBytes(sBytes, unpacked.bytes);
          } else {
            sFiles++;
            if (entry.type === 'file') sBytes = addBytes(sBytes, entry.size);
          }
          if (sample.length < 20) sample.push(entry.path);
          any = sAny = true;
        }
      }
    }
    files += sFiles;
    bytes = addBytes(bytes, sBytes);
    return { ...src, files: sFiles, bytes: sAny ? sBytes : null, sample };
  });
  copy.traced = any ? (exact ? 'exact' : 'partial') : 'none';
  copy.files = files;
  copy.bytes = any ? bytes : null;
}

// ---------------------------------------------------------------------------------------------------------------
// ADD of a local archive

/**
 * What ADD makes of a context file it names. BuildKit (Docker 20.10) decides by content, not by name: a file that
 * decompresses (gzip, bzip2, xz; or not compressed) to a tar whose first header reads is unpacked into the
 * destination; anything else (a gzip of a non-tar, an empty tar of zero blocks) is copied as it is. For an unpacked
 * archive `docker history` counts the regular files' sizes — each path once (the last entry wins), a hard link or
 * symlink 0, directories 0 — measured: 50 × 1000 B + 300 + 700 B with a symlink, a hard link and directories → 51000,
 * also for .tgz/.tbz/.txz, `*.tgz` globs and PAX long names.
 */
export interface ArchiveInfo {
  /** `none`: not an archive, copied as is. `unknown`: could not be told (see `reason`). */
  format: 'none' | 'tar' | 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'unknown';
  /** Entries it unpacks to, other than directories (for `none`: 1). Undefined when unknown. */
  files?: number;
  /** Bytes it adds to the layer: the unpacked regular files' sizes (for `none`: the file's size). Undefined when unknown. */
  bytes?: number;
  /** Why files/bytes are unknown. */
  reason?: string;
}

export interface InspectOptions {
  /**
   * Largest file (in bytes) read whole when the file system cannot read ranges, and largest compressed archive
   * decompressed; beyond it the size is reported unknown. Default: no limit.
   */
  maxReadBytes?: number;
}

/**
 * Looks at every context file an ADD of the model names (all stages) and records in `context.archives` whether
 * BuildKit unpacks it and what that adds to the layer. Files already recorded are not read again (the index is
 * rebuilt when the context changes). Call before computeLayers; it reads through the core FileSystem only
 * (uncompressed tars by their headers when `readFileRange` is available; gzip through the platform's
 * DecompressionStream when there is one; bzip2, xz and zstd are reported unknown).
 */
export async function inspectArchives(fs: FileSystem, model: DockerfileModel, context: ContextIndex, opts: InspectOptions = {}): Promise<void> {
  const archives = (context.archives ??= new Map());
  const todo = new Map<string, ContextEntry>();
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      if (step.keyword !== 'ADD' || step.flags.some((f) => f.name.toLowerCase() === 'from')) continue;
      const { sources } = copyWords(model, step);
      for (const s of sources) {
        if (isRemoteSource(s)) continue;
        for (const e of selectSource(context, s).named) if (e.type === 'file' && !archives.has(e.path)) todo.set(e.path, e);
      }
    }
  }
  for (const [rel, e] of todo) {
    let info: ArchiveInfo;
    try {
      info = await inspectArchive(fs, joinPath(context.root, rel), e.size, opts);
    } catch (err) {
      info = { format: 'unknown', reason: `not readable (${(err as Error).message})` };
    }
    archives.set(rel, info);
  }
}

/** What ADD makes of one file (see ArchiveInfo). */
export async function inspectArchive(fs: FileSystem, path: string, size: number, opts: InspectOptions = {}): Promise<ArchiveInfo> {
  const max = opts.maxReadBytes ?? Infinity;
  let whole: Uint8Array | undefined;
  const ranged = typeof fs.readFileRange === 'function';
  if (!ranged) {
    if (size > max) return { format: 'unknown', reason: `larger than ${formatBytes(max)}: not read` };
    whole = await fs.readFile(path);
    if (!whole) return { format: 'unknown', reason: 'not readable' };
  }
  const head = whole ? whole.subarray(0, 512) : await fs.readFileRange!(path, 0, 512);
  if (!head) return { format: 'unknown', reason: 'not readable' };
  const plain: ArchiveInfo = { format: 'none', files: 1, bytes: size };
  const compression = detectCompression(head);
  if (compression === 'none') {
    const src: ByteSource = whole ? new BufferSource(whole) : new RangeSource(fs, path);
    return tarResult(await scanTar(src), 'tar', plain);
  }
  if (compression !== 'gzip') return { format: compression, reason: `${compression} is not decompressed here` };
  const DS = (globalThis as { DecompressionStream?: DecompressionStreamCtor }).DecompressionStream;
  if (typeof DS !== 'function') return { format: 'gzip', reason: 'gzip cannot be decompressed on this platform' };
  if (size > max) return { format: 'gzip', reason: `larger than ${formatBytes(max)}: not decompressed` };
  const src = new GunzipSource(DS, fileChunks(fs, path, size, whole));
  try {
    return tarResult(await scanTar(src), 'gzip', plain);
  } finally {
    src.close();
  }
}

function tarResult(r: TarScan, format: 'tar' | 'gzip', plain: ArchiveInfo): ArchiveInfo {
  if (r.kind === 'not-tar') return plain;
  if (r.kind === 'error') return { format, reason: r.reason };
  return { format, files: r.files, bytes: r.bytes };
}

type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

/** The compression Docker's archive package detects from the first bytes (pkg/archive DetectCompression). */
function detectCompression(b: Uint8Array): Compression {
  const starts = (...m: number[]) => b.length >= m.length && m.every((x, i) => b[i] === x);
  if (starts(0x42, 0x5a, 0x68)) return 'bzip2';
  if (starts(0x1f, 0x8b, 0x08)) return 'gzip';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  return 'none';
}

/** Sequential reads over a file or a stream: `read` returns fewer bytes only at the end. */
interface ByteSource {
  read(n: number): Promise<Uint8Array>;
  skip(n: number): Promise<void>;
}

class BufferSource implements ByteSource {
  private pos = 0;
  constructor(private readonly data: Uint8Array) {}
  async read(n: number): Promise<Uint8Array> {
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += out.length;
    return out;
  }
  async skip(n: number): Promise<void> {
    this.pos += n;
  }
}

class RangeSource implements ByteSource {
  private pos = 0;
  constructor(private readonly fs: FileSystem, private readonly path: string) {}
  async read(n: number): Promise<Uint8Array> {
    const out = await this.fs.readFileRange!(this.path, this.pos, n);
    if (!out) throw new Error('read failed');
    this.pos += out.length;
    return out;
  }
  async skip(n: number): Promise<void> {
    this.pos += n;
  }
}

/** The file in chunks of 1 MiB (from memory when read whole). */
async function* fileChunks(fs: FileSystem, path: string, size: number, whole: Uint8Array | undefined): AsyncGenerator<Uint8Array> {
  const CHUNK = 1 << 20;
  if (whole) {
    for (let i = 0; i < whole.length; i += CHUNK) yield whole.subarray(i, i + CHUNK);
    return;
  }
  for (let pos = 0; pos < size; pos += CHUNK) {
    const c = await fs.readFileRange!(path, pos, CHUNK);
    if (!c) throw new Error('read failed');
    if (!c.length) return;
    yield c;
  }
}

/** The structural part of the web-platform DecompressionStream used here (Node ≥ 18, browsers). */
type DecompressionStreamCtor = new (format: string) => {
  readable: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> } };
  writable: { getWriter(): { write(chunk: Uint8Array): Promise<void>; close(): Promise<void>; abort(reason?: unknown): Promise<void> } };
};

/** The decompressed bytes of a gzip stream, pulled as the tar scanner needs them. */
class GunzipSource implements ByteSource {
  private readonly reader: ReturnType<InstanceType<DecompressionStreamCtor>['readable']['getReader']>;
  private chunk: Uint8Array = new Uint8Array(0);
  private done = false;
  private closed = false;

  constructor(DS: DecompressionStreamCtor, chunks: AsyncGenerator<Uint8Array>) {
    const ds = new DS('gzip');
    const writer = ds.writable.getWriter();
    this.reader = ds.readable.getReader();
    // feed the compressed bytes; stops (quietly) when the reader is cancelled or the data is corrupt
    void (async () => {
      try {
        for await (const c of chunks) {
          if (this.closed) break;
          await writer.write(c);
        }
        await writer.close();
      } catch (e) {
        await writer.abort(e).catch(() => undefined);
      }
    })();
  }

  private async fill(): Promise<boolean> {
    while (!this.chunk.length && !this.done) {
      const r = await this.reader.read();
      if (r.done) this.done = true;
      else if (r.value) this.chunk = r.value;
    }
    return this.chunk.length > 0;
  }

  async read(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n && (await this.fill())) {
      const take = Math.min(n - got, this.chunk.length);
      out.set(this.chunk.subarray(0, take), got);
      this.chunk = this.chunk.subarray(take);
      got += take;
    }
    return got === n ? out : out.subarray(0, got);
  }

  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0 && (await this.fill())) {
      const take = Math.min(left, this.chunk.length);
      this.chunk = this.chunk.subarray(take);
      left -= take;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.done) this.reader.cancel().catch(() => undefined);
  }
}

type TarScan = { kind: 'tar'; files: number; bytes: number } | { kind: 'not-tar' } | { kind: 'error'; reason: string };

/**
 * Reads a tar's headers as Go's archive/tar does for Docker: 512-byte blocks; a header's checksum must match (signed
 * or unsigned sum); sizes in octal or base-256; ustar prefixes, GNU long names (L/K) and PAX records (x; g ignored).
 * The file is an archive only when its first header reads (an empty tar of zero blocks is not). Counts what the
 * unpacked entries add to a layer: each path once, the last entry winning; regular files by size, other entries 0.
 */
async function scanTar(src: ByteSource): Promise<TarScan> {
  const entries = new Map<string, { dir: boolean; size: number }>();
  let first = true;
  let pax: Map<string, string> | undefined;
  let longName: string | undefined;
  const fail = (reason: string): TarScan => (first ? { kind: 'not-tar' } : { kind: 'error', reason });
  for (;;) {
    const blk = await src.read(512);
    if (blk.length === 0 && !first) break; // end of file at a block boundary: Go's reader ends there too
    if (blk.length < 512) return fail('truncated tar');
    if (isZero(blk)) {
      if (first) return { kind: 'not-tar' };
      const next = await src.read(512);
      if (next.length < 512 || isZero(next)) break;
      return { kind: 'error', reason: 'data after an end-of-archive block' };
    }
    if (!checksumOk(blk)) return fail('bad tar header checksum');
    const type = String.fromCharCode(blk[156]);
    let size = parseNumeric(blk.subarray(124, 136));
    if (size === undefined) return fail('bad tar size field');
    const padded = Math.ceil(size / 512) * 512;
    if (type === 'x' || type === 'L' || type === 'K') {
      if (size > 1 << 20) return fail('oversized extended header');
      const data = await src.read(padded);
      if (data.length < padded) return fail('truncated tar');
      const body = data.subarray(0, size);
      if (type === 'x') {
        const recs = parsePax(body);
        if (!recs) return fail('bad PAX header');
        pax = recs;
      } else if (type === 'L') longName = cString(body);
      continue;
    }
    if (type === 'g') {
      // a global PAX header: Docker ignores it (it still makes the file an archive)
      await src.skip(padded);
      first = false;
      continue;
    }
    if (pax && [...pax.keys()].some((k) => k.startsWith('GNU.sparse.'))) return { kind: 'error', reason: 'sparse files in the archive' };
    if (type === 'S') return { kind: 'error', reason: 'sparse files in the archive' };
    const paxSize = pax?.get('size');
    if (paxSize !== undefined) {
      if (!/^\d+$/.test(paxSize)) return fail('bad PAX size');
      size = Number(paxSize);
    }
    const name = pax?.get('path') ?? longName ?? headerName(blk);
    pax = undefined;
    longName = undefined;
    first = false;
    const key = normalizeEntry(name);
    switch (type) {
      case '0': case '\0': case '7':
        if (type === '\0' && name.endsWith('/')) entries.set(key, { dir: true, size: 0 });
        else entries.set(key, { dir: false, size });
        break;
      case '5':
        entries.set(key, { dir: true, size: 0 });
        break;
      case '1': case '2': case '3': case '4': case '6':
        entries.set(key, { dir: false, size: 0 }); // links and devices: no data in the layer's count
        break;
      default:
        return { kind: 'error', reason: `tar entry type '${type}' that Docker does not unpack` };
    }
    // links, devices, directories and FIFOs carry no data whatever their size field says (Go: isHeaderOnlyType)
    const regular = type === '0' || type === '7' || (type === '\0' && !name.endsWith('/'));
    if (regular) await src.skip(Math.ceil(size / 512) * 512);
  }
  let files = 0;
  let bytes = 0;
  for (const [k, e] of entries) {
    if (e.dir || k === '') continue;
    files++;
    bytes += e.size;
  }
  return { kind: 'tar', files, bytes };
}

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function checksumOk(b: Uint8Array): boolean {
  const stored = parseOctal(b.subarray(148, 156));
  if (stored === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : b[i];
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return stored === unsigned || stored === signed;
}

/** Octal with leading/trailing spaces and NULs trimmed (empty is 0), as Go's parser reads it. */
function parseOctal(b: Uint8Array): number | undefined {
  const s = String.fromCharCode(...b).replace(/^[ \0]+|[ \0]+$/g, '');
  if (s === '') return 0;
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : undefined;
}

/** A numeric field: octal, or base-256 (GNU/star, first byte's high bit set) for large values. */
function parseNumeric(b: Uint8Array): number | undefined {
  if (b.length && b[0] & 0x80) {
    if (b[0] & 0x40) return undefined; // negative
    let v = b[0] & 0x3f;
    for (let i = 1; i < b.length; i++) v = v * 256 + b[i];
    return Number.isSafeInteger(v) ? v : undefined;
  }
  return parseOctal(b);
}

function cString(b: Uint8Array): string {
  const nul = b.indexOf(0);
  return new TextDecoder().decode(nul >= 0 ? b.subarray(0, nul) : b);
}

/** The entry's name: ustar's prefix/name (POSIX "ustar\0"; GNU's "ustar  " has no prefix field), else the name. */
function headerName(b: Uint8Array): string {
  const name = cString(b.subarray(0, 100));
  const magic = String.fromCharCode(...b.subarray(257, 263));
  if (magic === 'ustar\0') {
    const prefix = cString(b.subarray(345, 500));
    if (prefix) return `${prefix}/${name}`;
  }
  return name;
}

/** PAX records "%d %s=%s\n"; undefined when malformed. */
function parsePax(b: Uint8Array): Map<string, string> | undefined {
  const text = new TextDecoder().decode(b);
  const out = new Map<string, string>();
  let i = 0;
  const bytesOf = (s: string) => new TextEncoder().encode(s).length;
  let rest = text;
  while (rest.length) {
    const sp = rest.indexOf(' ');
    if (sp <= 0 || !/^\d+$/.test(rest.slice(0, sp))) return undefined;
    const len = Number(rest.slice(0, sp));
    // the length counts bytes (UTF-8), the record ends with a newline
    let rec = '';
    let n = 0;
    let j = 0;
    while (j < rest.length && n < len) {
      const ch = rest[j];
      n += bytesOf(ch);
      rec += ch;
      j++;
    }
    if (n !== len || !rec.endsWith('\n')) return undefined;
    const kv = rec.slice(sp + 1, -1);
    const eq = kv.indexOf('=');
    if (eq <= 0) return undefined;
    out.set(kv.slice(0, eq), kv.slice(eq + 1));
    rest = rest.slice(j);
    i++;
  }
  void i;
  return out;
}

function normalizeEntry(name: string): string {
  const out: string[] = [];
  for (const seg of name.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
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


