/**
 * The file-system interface the core uses, so the browser build can plug in `vscode.workspace.fs` and the CLI
 * Node's `fs`. Paths are POSIX-style absolute paths (or URI paths in the browser).
 */
export interface FileStat {
  /** `symlink` only from `lstat`/`readDirectoryStats` (a file system that cannot tell reports the target's type). */
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  /** Permission bits (`0o755`), when the file system knows them (Node does, `vscode.workspace.fs` does not). */
  mode?: number;
  /** Modification time in ms, when known. */
  mtime?: number;
}

export interface DirectoryEntryStat {
  name: string;
  /** For directories only `type` is needed; files and symlinks carry size (and mode when known). */
  stat: FileStat;
}

export interface FileSystem {
  /** The file's bytes, or undefined when it does not exist. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /**
   * Up to `length` bytes of a file from byte `offset` (fewer at its end, none past it), or undefined when it cannot
   * be read. Optional: lets a reader look at parts of a large file (tar headers) without reading all of it; callers
   * fall back to `readFile`.
   */
  readFileRange?(path: string, offset: number, length: number): Promise<Uint8Array | undefined>;
  stat(path: string): Promise<FileStat | undefined>;
  readDirectory(path: string): Promise<Array<[name: string, type: FileStat['type']]>>;
  /** Like `stat` but does not follow a symbolic link. Optional: `stat` is used when absent. */
  lstat?(path: string): Promise<FileStat | undefined>;
  /** The target of a symbolic link. Optional. */
  readLink?(path: string): Promise<string | undefined>;
  /**
   * Entries of a directory with their (l)stat, in one call — the context walk's fast path. Optional: the walk
   * falls back to `readDirectory` plus `lstat`/`stat` per file.
   */
  readDirectoryStats?(path: string): Promise<DirectoryEntryStat[]>;
}

export function dirname(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function basename(p: string): string {
  const s = p.replace(/\/+$/, '');
  return s.slice(s.lastIndexOf('/') + 1);
}

export function joinPath(a: string, b: string): string {
  return a.endsWith('/') ? a + b : `${a}/${b}`;
}

/** Decodes bytes as UTF-8 (BOM removed). */
export function decodeText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Finds the nearest project config file at or above `dir`, stopping after `stopAt` (inclusive) when given.
 * Returns its path and text.
 */
export async function findUp(fs: FileSystem, dir: string, fileName: string, stopAt?: string): Promise<{ path: string; text: string } | undefined> {
  let d = dir;
  for (let i = 0; i < 64; i++) {
    const p = joinPath(d, fileName);
    const bytes = await fs.readFile(p);
    if (bytes) return { path: p, text: decodeText(bytes) };
    if ((stopAt && d === stopAt) || d === '/' || d === '') return undefined;
    const parent = dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
  return undefined;
}
