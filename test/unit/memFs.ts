/** An in-memory FileSystem for core tests: files are strings (or bytes), directories are implied by paths. */
import type { FileStat, FileSystem } from '../../src/core/fs';

export class MemFs implements FileSystem {
  readonly files = new Map<string, { data: Uint8Array; mode: number }>();
  readonly dirs = new Set<string>(['/']);
  /** Directory reads, to check that the context walk prunes. */
  readonly reads: string[] = [];

  constructor(tree: Record<string, string | null> = {}) {
    for (const [p, c] of Object.entries(tree)) {
      if (c === null) this.mkdir(p);
      else this.write(p, c);
    }
  }

  write(path: string, content: string | Uint8Array, mode = 0o644): void {
    this.files.set(path, { data: typeof content === 'string' ? new TextEncoder().encode(content) : content, mode });
    this.mkdir(path.slice(0, path.lastIndexOf('/')) || '/');
  }

  mkdir(path: string): void {
    let p = path;
    while (p && p !== '/') {
      this.dirs.add(p);
      p = p.slice(0, p.lastIndexOf('/')) || '/';
    }
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    return this.files.get(path)?.data;
  }

  /** Ranges read, to check that a tar's file data is skipped, not read. */
  readonly rangeReads: Array<[path: string, offset: number, length: number]> = [];

  async readFileRange(path: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    this.rangeReads.push([path, offset, length]);
    return this.files.get(path)?.data.slice(offset, offset + length);
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const f = this.files.get(path);
    if (f) return { type: 'file', size: f.data.length, mode: f.mode };
    return this.dirs.has(path) ? { type: 'directory', size: 0 } : undefined;
  }

  async readDirectory(path: string): Promise<Array<[string, FileStat['type']]>> {
    this.reads.push(path);
    const prefix = path === '/' ? '/' : path + '/';
    const out = new Map<string, FileStat['type']>();
    for (const f of this.files.keys()) if (f.startsWith(prefix) && !f.slice(prefix.length).includes('/')) out.set(f.slice(prefix.length), 'file');
    for (const d of this.dirs) if (d.startsWith(prefix) && d !== path && !d.slice(prefix.length).includes('/')) out.set(d.slice(prefix.length), 'directory');
    return [...out];
  }
}
