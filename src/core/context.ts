/**
 * The build context: which directory `docker build` sends, which ignore file applies, and the files that reach
 * the builder — walked through the core's FileSystem (Node in the CLI, `vscode.workspace.fs` in the editor),
 * pruning excluded directories the way BuildKit's file sender does, so an ignored `node_modules/` is never
 * listed file by file. Also answers "which context files does this COPY/ADD source take".
 */
import { basename, decodeText, dirname, FileStat, FileSystem, joinPath } from './fs';
import { cleanPath, goMatch, hasGlob, IgnoreMatcher } from './dockerignore';
import type { ArchiveInfo } from './layers';

export const DOCKERIGNORE = '.dockerignore';

export interface ContextEntry {
  /** Path relative to the context root, slash-separated, no leading `./`. */
  path: string;
  type: FileStat['type'];
  /** Bytes for files (and link length for symlinks), 0 for directories. */
  size: number;
  mode?: number;
  mtime?: number;
}

export interface ContextIndex {
  /** Absolute path of the context directory. */
  root: string;
  /** The ignore file that applies (`<Dockerfile>.dockerignore` wins over `.dockerignore`), if any. */
  ignoreFile?: string;
  matcher: IgnoreMatcher;
  /** Every entry BuildKit would receive, in its walk order (depth first, names sorted), so a directory's
   * descendants follow it contiguously. */
  entries: ContextEntry[];
  byPath: Map<string, ContextEntry>;
  /** Excluded directories the walk did not enter. */
  pruned: string[];
  /** Files (and unpruned directories) excluded one by one. */
  excluded: number;
  /** Paths of the files excluded one by one (the first `MAX_EXCLUDED_PATHS`), so a rule can tell that a COPY
   * source exists but is ignored without another walk. */
  excludedPaths?: string[];
  /** True when the walk stopped at `maxEntries`. */
  truncated: boolean;
  /** Directory reads made (the cost of the walk). */
  directoriesRead: number;
  fileCount: number;
  totalBytes: number;
  /**
   * What ADD finds in the context files it names (a tar archive is unpacked), by context-relative path: filled by
   * `inspectArchives` (layers.ts), read by the layer preview.
   */
  archives?: Map<string, ArchiveInfo>;
}

export interface ContextDirOptions {
  /** A context directory configured by the user (absolute). Wins when given. */
  configured?: string;
  /** Do not look for `.dockerignore` above this directory (the workspace folder). */
  stopAt?: string;
}

export interface ResolvedContext {
  dir: string;
  reason: 'configured' | 'dockerignore' | 'dockerfile-folder';
}

async function exists(fs: FileSystem, p: string): Promise<boolean> {
  return (await fs.stat(p)) !== undefined;
}

/**
 * The context directory for a Dockerfile: the configured one; else the Dockerfile's folder when it (or the
 * Dockerfile's own `<name>.dockerignore`) holds an ignore file; else the nearest folder above it, up to
 * `stopAt`, that holds a `.dockerignore`; else the Dockerfile's folder.
 */
export async function resolveContextDir(fs: FileSystem, dockerfilePath: string, opts: ContextDirOptions = {}): Promise<ResolvedContext> {
  if (opts.configured) return { dir: opts.configured.replace(/(.)\/+$/, '$1'), reason: 'configured' };
  const own = dirname(dockerfilePath);
  if (await exists(fs, `${dockerfilePath}.dockerignore`)) return { dir: own, reason: 'dockerfile-folder' };
  let d = own;
  for (let i = 0; i < 64; i++) {
    if (await exists(fs, joinPath(d, DOCKERIGNORE))) return { dir: d, reason: d === own ? 'dockerfile-folder' : 'dockerignore' };
    if (!opts.stopAt || d === opts.stopAt || d === '/' || !d.startsWith(opts.stopAt)) break;
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return { dir: own, reason: 'dockerfile-folder' };
}

/** The ignore file BuildKit uses: `<Dockerfile>.dockerignore` next to the Dockerfile, else `<context>/.dockerignore`. */
export async function loadIgnore(fs: FileSystem, contextDir: string, dockerfilePath?: string): Promise<{ file?: string; text: string; matcher: IgnoreMatcher }> {
  const candidates = dockerfilePath ? [`${dockerfilePath}.dockerignore`, joinPath(contextDir, DOCKERIGNORE)] : [joinPath(contextDir, DOCKERIGNORE)];
  for (const c of candidates) {
    const bytes = await fs.readFile(c);
    if (bytes) {
      const text = decodeText(bytes);
      return { file: c, text, matcher: IgnoreMatcher.fromText(text) };
    }
  }
  return { text: '', matcher: new IgnoreMatcher([]) };
}

export interface WalkOptions {
  /** Stop after this many entries (default 500 000). */
  maxEntries?: number;
  /** Checked between directories; return true to stop early (the index is then marked truncated). */
  cancelled?: () => boolean;
}

/** How many excluded file paths a walk remembers (`ContextIndex.excludedPaths`). */
export const MAX_EXCLUDED_PATHS = 10_000;

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Walks the context as BuildKit's sender does: depth first, names sorted, excluded directories pruned. */
export async function walkContext(fs: FileSystem, root: string, matcher: IgnoreMatcher, opts: WalkOptions = {}): Promise<ContextIndex> {
  const max = opts.maxEntries ?? 500_000;
  const index: ContextIndex = {
    root, matcher, entries: [], byPath: new Map(), pruned: [], excluded: 0, excludedPaths: [], truncated: false, directoriesRead: 0, fileCount: 0, totalBytes: 0,
  };
  const lstat = (p: string) => (fs.lstat ? fs.lstat(p) : fs.stat(p));
  const readDir = async (abs: string): Promise<Array<{ name: string; stat?: FileStat; type: FileStat['type'] }>> => {
    index.directoriesRead++;
    if (fs.readDirectoryStats) return (await fs.readDirectoryStats(abs)).map((e) => ({ name: e.name, stat: e.stat, type: e.stat.type }));
    return (await fs.readDirectory(abs)).map(([name, type]) => ({ name, type }));
  };
  const visit = async (rel: string): Promise<void> => {
    if (index.truncated) return;
    if (opts.cancelled?.()) {
      index.truncated = true;
      return;
    }
    const abs = rel ? joinPath(root, rel) : root;
    const list = (await readDir(abs)).sort(byName);
    // stat the files of this directory together (one round trip each in the editor, in parallel)
    const need = list.filter((e) => e.type !== 'directory' && !e.stat);
    if (need.length) {
      const kept = need.filter((e) => !matcher.matches(rel ? `${rel}/${e.name}` : e.name));
      const stats = await Promise.all(kept.map((e) => lstat(joinPath(abs, e.name))));
      kept.forEach((e, i) => (e.stat = stats[i]));
    }
    for (const e of list) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      const isDir = e.type === 'directory';
      if (matcher.matches(path)) {
        if (!isDir) {
          index.excluded++;
          if (index.excludedPaths && index.excludedPaths.length < MAX_EXCLUDED_PATHS) index.excludedPaths.push(path);
          continue;
        }
        if (!matcher.descendsInto(path)) {
          index.pruned.push(path);
          continue;
        }
      }
      if (index.entries.length >= max) {
        index.truncated = true;
        return;
      }
      const st = e.stat;
      const entry: ContextEntry = { path, type: isDir ? 'directory' : st?.type ?? e.type, size: isDir ? 0 : st?.size ?? 0, mode: st?.mode, mtime: st?.mtime };
      index.entries.push(entry);
      index.byPath.set(path, entry);
      if (isDir) await visit(path);
      else {
        index.fileCount++;
        if (entry.type === 'file') index.totalBytes += entry.size;
      }
    }
  };
  await visit('');
  return index;
}

/** Reads the ignore file and walks the context in one go. */
export async function scanContext(fs: FileSystem, contextDir: string, dockerfilePath?: string, opts: WalkOptions = {}): Promise<ContextIndex> {
  const ignore = await loadIgnore(fs, contextDir, dockerfilePath);
  const index = await walkContext(fs, contextDir, ignore.matcher, opts);
  index.ignoreFile = ignore.file;
  return index;
}

/** A COPY/ADD source made relative to the context root as BuildKit does (`/x`, `./x`, `../x` all stay inside). */
export function contextRelative(source: string): string {
  const c = cleanPath('/' + source).slice(1);
  return c === '' ? '.' : c;
}

export interface SourceSelection {
  /** The source as written (after expansion). */
  source: string;
  /** Context entries it takes: files, symlinks and (empty or not) directories, each once. */
  entries: ContextEntry[];
  /** Of `entries`, the ones the source names itself (the path, or a glob match) rather than through a directory:
   * the ones ADD unpacks when they are archives. */
  named: ContextEntry[];
  fileCount: number;
  bytes: number;
  /** True when nothing in the context matches (BuildKit fails the step). */
  missing: boolean;
}

/** Entries under a directory (not the directory itself), using the walk order. */
export function descendants(index: ContextIndex, dir: string): ContextEntry[] {
  if (dir === '.') return index.entries;
  const start = index.entries.findIndex((e) => e.path === dir);
  if (start < 0) return [];
  const prefix = dir + '/';
  const out: ContextEntry[] = [];
  for (let i = start + 1; i < index.entries.length && index.entries[i].path.startsWith(prefix); i++) out.push(index.entries[i]);
  return out;
}

/** Splits a source into its leading non-glob directory and the glob rest (fsutil's splitWildcards). */
function splitWildcards(p: string): [string, string] {
  const parts = p.split('/');
  let i = 0;
  while (i < parts.length && !hasGlob(parts[i])) i++;
  return [parts.slice(0, i).join('/') || '.', parts.slice(i).join('/')];
}

/**
 * The context entries one COPY/ADD source takes: a directory's contents, a file, or every match of a glob
 * (matched like BuildKit: Go's path.Match of the path below the glob's fixed prefix; a matching directory is
 * taken whole). `exclude` patterns (`COPY --exclude`) are matched like `.dockerignore` lines against the path
 * below the source.
 */
export function selectSource(index: ContextIndex, source: string, exclude: IgnoreMatcher | undefined = undefined): SourceSelection {
  const rel = contextRelative(source);
  const picked: ContextEntry[] = [];
  const named: ContextEntry[] = [];
  const take = (e: ContextEntry, base: string, direct = false) => {
    if (exclude && !exclude.empty) {
      const below = base === '.' ? e.path : e.path === base ? basename(e.path) : e.path.slice(base.length + 1);
      if (exclude.matches(below)) return;
    }
    picked.push(e);
    if (direct) named.push(e);
  };
  if (hasGlob(rel)) {
    const [fixed, glob] = splitWildcards(rel);
    const under = descendants(index, fixed);
    const prefix = fixed === '.' ? '' : fixed + '/';
    let skipUnder: string | undefined;
    for (const e of under) {
      if (skipUnder && e.path.startsWith(skipUnder)) continue;
      skipUnder = undefined;
      if (goMatch(glob, e.path.slice(prefix.length))) {
        if (e.type === 'directory') {
          for (const d of descendants(index, e.path)) take(d, e.path);
          skipUnder = e.path + '/';
        } else take(e, fixed, true);
      }
    }
  } else if (rel === '.') {
    for (const e of index.entries) take(e, '.');
  } else {
    const e = index.byPath.get(rel);
    if (e?.type === 'directory') for (const d of descendants(index, rel)) take(d, rel);
    else if (e) take(e, dirname('/' + rel).slice(1) || '.', true);
  }
  let bytes = 0;
  let fileCount = 0;
  for (const e of picked) {
    if (e.type !== 'directory') {
      fileCount++;
      if (e.type === 'file') bytes += e.size;
    }
  }
  const missing = picked.length === 0 && !(rel === '.' || index.byPath.get(rel)?.type === 'directory');
  return { source, entries: picked, named, fileCount, bytes, missing };
}

/**
 * Whether a context-relative path is taken by a COPY/ADD source, without a walk: the path or one of its parent
 * directories is the source, or matches the source's glob. Used to answer "does changing this file matter".
 */
export function sourceSelects(source: string, path: string): boolean {
  const rel = contextRelative(source);
  if (rel === '.') return true;
  if (!hasGlob(rel)) return path === rel || path.startsWith(rel + '/');
  const [fixed, glob] = splitWildcards(rel);
  if (fixed !== '.' && !path.startsWith(fixed + '/')) return false;
  const below = fixed === '.' ? path : path.slice(fixed.length + 1);
  const parts = below.split('/');
  for (let i = 1; i <= parts.length; i++) if (goMatch(glob, parts.slice(0, i).join('/'))) return true;
  return false;
}

/** Whether a context-relative path reaches the builder (not excluded by the ignore file, nor under a pruned dir). */
export function inContext(matcher: IgnoreMatcher, path: string): boolean {
  const parts = path.split('/');
  // a parent directory the walk prunes hides everything below it, even what an exception would re-include
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (matcher.matches(dir) && !matcher.descendsInto(dir)) return false;
  }
  return !matcher.matches(path);
}
