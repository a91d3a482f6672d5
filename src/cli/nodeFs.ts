/** The core's FileSystem over Node's `fs` (synchronous calls: the CLI does nothing else meanwhile), plus the
 * content hashing the `rebuild --previous` comparison needs. */
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { DirectoryEntryStat, FileStat, FileSystem } from '../core/fs';

function toStat(s: fs.Stats): FileStat {
  const type: FileStat['type'] = s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other';
  return { type, size: type === 'directory' ? 0 : s.size, mode: s.mode & 0o7777, mtime: s.mtimeMs };
}

export class NodeFileSystem implements FileSystem {
  async readFile(path: string): Promise<Uint8Array | undefined> {
    try {
      return fs.readFileSync(path) as unknown as Uint8Array;
    } catch {
      return undefined;
    }
  }

  async readFileRange(path: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    let fd: number | undefined;
    try {
      fd = fs.openSync(path, 'r');
      const buf = new Uint8Array(Math.max(0, length));
      let got = 0;
      while (got < buf.length) {
        const n = fs.readSync(fd, buf, got, buf.length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return got === buf.length ? buf : buf.slice(0, got);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      return toStat(fs.statSync(path));
    } catch {
      return undefined;
    }
  }

  async lstat(path: string): Promise<FileStat | undefined> {
    try {
      return toStat(fs.lstatSync(path));
    } catch {
      return undefined;
    }
  }

  async readLink(path: string): Promise<string | undefined> {
    try {
      return fs.readlinkSync(path);
    } catch {
      return undefined;
    }
  }

  async readDirectory(path: string): Promise<Array<[string, FileStat['type']]>> {
    try {
      return fs.readdirSync(path, { withFileTypes: true }).map((d) => [d.name, d.isSymbolicLink() ? 'symlink' : d.isDirectory() ? 'directory' : d.isFile() ? 'file' : 'other']);
    } catch {
      return [];
    }
  }

  async readDirectoryStats(path: string): Promise<DirectoryEntryStat[]> {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(path, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: DirectoryEntryStat[] = [];
    for (const d of dirents) {
      if (d.isDirectory()) {
        out.push({ name: d.name, stat: { type: 'directory', size: 0 } });
        continue;
      }
      try {
        out.push({ name: d.name, stat: toStat(fs.lstatSync(`${path}/${d.name}`)) });
      } catch {
        // vanished between readdir and lstat
      }
    }
    return out;
  }
}

/** sha256 of a file's bytes (hex), or of a symlink's target text; undefined when unreadable. */
export function hashPath(path: string, type: FileStat['type']): string | undefined {
  try {
    if (type === 'symlink') return 'link:' + fs.readlinkSync(path);
    if (type !== 'file') return type;
    return createHash('sha256').update(fs.readFileSync(path) as unknown as Uint8Array).digest('hex');
  } catch {
    return undefined;
  }
}
