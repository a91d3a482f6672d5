/**
 * The build context of each open Dockerfile (resolved from the `dockerfileInsight.buildContexts` setting, else
 * found automatically), walked once through `vscode.workspace.fs` and cached until a file in the workspace
 * changes; the layer preview and the cache questions built on it. Shared by the inlay hints, the hover, the
 * "What Rebuilds" command and the on-save hint.
 */
import * as vscode from 'vscode';
import {
  buildModel, cleanPath, compilePattern, computeLayers, ContextIndex, DockerfileModel, IgnoreMatcher, inspectArchives, isDockerfileName,
  LayerPreview, loadIgnore, resolveContextDir, scanContext,
} from '../../core';
import { VscodeFileSystem } from './fileSystem';
import { SECTION } from './analysisService';

/** Entries the editor walks at most per context (the CLI has no limit). */
export const EDITOR_MAX_ENTRIES = 50_000;

/** Largest archive an ADD names that the editor reads to count what it unpacks (`vscode.workspace.fs` reads whole files). */
export const EDITOR_MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;

export interface DockerfileContext {
  /** URI path of the context directory. */
  dir: string;
  reason: 'configured' | 'dockerignore' | 'dockerfile-folder';
  fs: VscodeFileSystem;
  /** Scheme and authority of the file system (cache key). */
  base: string;
  dockerfilePath: string;
}

let instance: LayerService | undefined;

/** The service registered at activation (undefined before). */
export function layerService(): LayerService | undefined {
  return instance;
}

export class LayerService implements vscode.Disposable {
  private readonly indexes = new Map<string, Promise<ContextIndex>>();
  private readonly ignores = new Map<string, Promise<IgnoreMatcher>>();
  private readonly previews = new Map<string, { version: number; preview: Promise<LayerPreview> }>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** The last walked context per Dockerfile URI for the rules, with the generation it was walked in. */
  private readonly ruleContexts = new Map<string, { gen: number; index: ContextIndex | undefined }>();
  private readonly ruleWalks = new Set<string>();
  private generation = 0;
  private readonly readyEmitter = new vscode.EventEmitter<void>();
  /** Fires when a context asked for by `contextIfReady` has been walked (re-analyse to let the context rules run). */
  readonly onDidContextReady = this.readyEmitter.event;
  /** Fires when cached contexts were dropped (a file changed, or the settings). */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    instance = this;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const changed = () => this.invalidateSoon();
    this.disposables.push(
      watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) this.invalidate();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.previews.delete(d.uri.toString());
        this.ruleContexts.delete(d.uri.toString());
      }),
    );
  }

  private invalidateSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.invalidate(), 300);
  }

  invalidate(): void {
    this.generation++;
    this.indexes.clear();
    this.ignores.clear();
    this.previews.clear();
    this.emitter.fire();
  }

  /** The build context of a Dockerfile. */
  async contextFor(uri: vscode.Uri): Promise<DockerfileContext> {
    const baseUri = uri.with({ path: '/', query: '', fragment: '' });
    const fs = new VscodeFileSystem(baseUri);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const configured = this.configuredContext(uri, folder);
    const resolved = await resolveContextDir(fs, uri.path, { configured, stopAt: folder?.uri.path });
    return { dir: resolved.dir, reason: resolved.reason, fs, base: baseUri.toString(), dockerfilePath: uri.path };
  }

  /** `dockerfileInsight.buildContexts`: { "<Dockerfile path or glob, relative to the workspace folder>": "<context dir>" }. */
  private configuredContext(uri: vscode.Uri, folder: vscode.WorkspaceFolder | undefined): string | undefined {
    const map = vscode.workspace.getConfiguration(SECTION, uri).get<Record<string, string>>('buildContexts') ?? {};
    const root = folder?.uri.path ?? '';
    const rel = root && uri.path.startsWith(root + '/') ? uri.path.slice(root.length + 1) : uri.path;
    for (const [pattern, dir] of Object.entries(map)) {
      if (typeof dir !== 'string') continue;
      const p = cleanPath(pattern.replace(/^\.\//, ''));
      const re = compilePattern(p);
      if (p === rel || (re && re.test(rel))) {
        if (dir.startsWith('/')) return cleanPath(dir);
        return cleanPath(`${root || uri.path.replace(/\/[^/]*$/, '')}/${dir}`);
      }
    }
    return undefined;
  }

  /** The walked context (cached per context directory and ignore file). */
  index(ctx: DockerfileContext): Promise<ContextIndex> {
    const key = `${ctx.base}|${ctx.dir}|${ctx.dockerfilePath}`;
    let p = this.indexes.get(key);
    if (!p) {
      p = scanContext(ctx.fs, ctx.dir, ctx.dockerfilePath, { maxEntries: EDITOR_MAX_ENTRIES });
      this.indexes.set(key, p);
      p.catch(() => this.indexes.delete(key));
    }
    return p;
  }

  /**
   * The walked context of a Dockerfile for the rules, without waiting: the last walk (possibly from before the latest
   * workspace change), or undefined before the first walk finishes. When it is missing or stale a walk starts in the
   * background (shared with the layer preview's cache) and `onDidContextReady` fires when it is done, so typing never
   * walks the context: keystrokes read this cached value.
   */
  contextIfReady(uri: vscode.Uri): ContextIndex | undefined {
    if (uri.scheme === 'untitled') return undefined;
    const key = uri.toString();
    const entry = this.ruleContexts.get(key);
    if ((!entry || entry.gen !== this.generation) && !this.ruleWalks.has(key)) {
      this.ruleWalks.add(key);
      const gen = this.generation;
      void this.contextFor(uri)
        .then((c) => this.index(c))
        .then((index) => index, () => undefined)
        .then((index) => {
          this.ruleWalks.delete(key);
          const current = this.ruleContexts.get(key);
          if (!current || current.gen <= gen) this.ruleContexts.set(key, { gen, index });
          this.readyEmitter.fire();
        });
    }
    return entry?.index;
  }

  /** The ignore file's matcher only (no walk). */
  ignore(ctx: DockerfileContext): Promise<IgnoreMatcher> {
    const key = `${ctx.base}|${ctx.dir}|${ctx.dockerfilePath}`;
    let p = this.ignores.get(key);
    if (!p) {
      p = loadIgnore(ctx.fs, ctx.dir, ctx.dockerfilePath).then((r) => r.matcher);
      this.ignores.set(key, p);
    }
    return p;
  }

  /**
   * The walked context with what the model's ADD steps unpack from it (archives are read once per index: the
   * index is dropped when a workspace file changes).
   */
  async indexFor(ctx: DockerfileContext, model: DockerfileModel): Promise<ContextIndex> {
    const index = await this.index(ctx);
    await inspectArchives(ctx.fs, model, index, { maxReadBytes: EDITOR_MAX_ARCHIVE_BYTES });
    return index;
  }

  /** The layer preview of a Dockerfile document (cached per document version). */
  layers(doc: vscode.TextDocument, model: DockerfileModel): Promise<LayerPreview> {
    const key = doc.uri.toString();
    const cached = this.previews.get(key);
    if (cached && cached.version === doc.version) return cached.preview;
    const preview = (async () => {
      let context: ContextIndex | undefined;
      if (doc.uri.scheme !== 'untitled') {
        try {
          context = await this.indexFor(await this.contextFor(doc.uri), model);
        } catch {
          context = undefined;
        }
      }
      return computeLayers(model, { context });
    })();
    this.previews.set(key, { version: doc.version, preview });
    return preview;
  }

  /** Dockerfiles of the workspace (open ones first), as URIs. */
  async dockerfiles(): Promise<vscode.Uri[]> {
    const seen = new Map<string, vscode.Uri>();
    for (const d of vscode.workspace.textDocuments) {
      if (d.languageId === 'dockerfile' && d.uri.scheme !== 'untitled') seen.set(d.uri.toString(), d.uri);
    }
    const found = await vscode.workspace.findFiles('**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}', '**/{node_modules,.git}/**', 200);
    for (const u of found) {
      const name = u.path.slice(u.path.lastIndexOf('/') + 1);
      if (isDockerfileName(name) && !name.endsWith('.dockerignore')) seen.set(u.toString(), u);
    }
    return [...seen.values()];
  }

  /** The text and model of a Dockerfile (the open document's text when it is open). */
  async model(uri: vscode.Uri): Promise<{ text: string; model: DockerfileModel } | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text = open?.getText();
    if (text === undefined) {
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        return undefined;
      }
    }
    return { text, model: buildModel(text) };
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
    this.emitter.dispose();
    this.readyEmitter.dispose();
    if (instance === this) instance = undefined;
  }
}
