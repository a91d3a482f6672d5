/** The core's FileSystem interface over `vscode.workspace.fs` (works in desktop, remote and browser hosts). */
import * as vscode from 'vscode';
import type { FileStat, FileSystem } from '../../core/fs';

export class VscodeFileSystem implements FileSystem {
  /** @param base scheme and authority to resolve the core's paths against (the core's paths are URI paths). */
  constructor(private readonly base: vscode.Uri) {}

  private uri(path: string): vscode.Uri {
    return this.base.with({ path });
  }

  readFile(path: string): Promise<Uint8Array | undefined> {
    return readUri(this.uri(path));
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      const s = await vscode.workspace.fs.stat(this.uri(path));
      return { type: s.type & vscode.FileType.Directory ? 'directory' : s.type & vscode.FileType.File ? 'file' : 'other', size: s.size };
    } catch {
      return undefined;
    }
  }

  async readDirectory(path: string): Promise<Array<[string, FileStat['type']]>> {
    try {
      const entries = await vscode.workspace.fs.readDirectory(this.uri(path));
      return entries.map(([n, t]) => [n, t & vscode.FileType.Directory ? 'directory' : t & vscode.FileType.File ? 'file' : 'other']);
    } catch {
      return [];
    }
  }
}

/** A file's bytes, or undefined when it cannot be read. */
export async function readUri(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
}
