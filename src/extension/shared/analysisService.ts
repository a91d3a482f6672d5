/**
 * Runs the core analysis for open Dockerfiles and caches the result per document version, so diagnostics,
 * hovers and quick fixes share one parse. Also owns the configuration layers (.hadolint.yaml, project file,
 * settings).
 */
import * as vscode from 'vscode';
import { analyze, AnalysisResult, ContextIndex, ConfigError, ConfigLayer, HADOLINT_CONFIG_FILES, parseHadolintConfig, parseProjectConfig, PROJECT_CONFIG_FILE, validateRules } from '../../core';
import { readUri, VscodeFileSystem } from './fileSystem';
import { findUp, dirname } from '../../core/fs';

export const LANGUAGE_ID = 'dockerfile';
export const SECTION = 'dockerfileInsight';

interface CacheEntry {
  version: number;
  result: AnalysisResult;
}

export class AnalysisService implements vscode.Disposable {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly projectLayers = new Map<string, Promise<ConfigLayer | undefined>>();
  /** The nearest .hadolint.yaml / .hadolint.yml layer per Dockerfile directory. */
  private readonly hadolintLayers = new Map<string, Promise<ConfigLayer | undefined>>();
  private readonly reported = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when configuration (settings or a project file) changed and everything must be re-analysed. */
  readonly onDidChangeConfiguration = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** The cached build context of a Dockerfile, if ready (never waits); set at activation from the LayerService. */
  private contextProvider: ((uri: vscode.Uri) => ContextIndex | undefined) | undefined;

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) this.invalidate();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${PROJECT_CONFIG_FILE}`);
    this.disposables.push(watcher, watcher.onDidChange(() => this.invalidate()), watcher.onDidCreate(() => this.invalidate()), watcher.onDidDelete(() => this.invalidate()));
    const hadolintWatcher = vscode.workspace.createFileSystemWatcher('**/.hadolint.{yaml,yml}');
    this.disposables.push(hadolintWatcher, hadolintWatcher.onDidChange(() => this.invalidate()), hadolintWatcher.onDidCreate(() => this.invalidate()), hadolintWatcher.onDidDelete(() => this.invalidate()));
  }

  private invalidate(): void {
    this.cache.clear();
    this.projectLayers.clear();
    this.hadolintLayers.clear();
    this.changeEmitter.fire();
  }

  /** Lets the context rules see each document's cached build context. */
  setContextProvider(provider: (uri: vscode.Uri) => ContextIndex | undefined): void {
    this.contextProvider = provider;
  }

  /** A build context was (re)walked: drop cached results so the next analysis sees it, and re-lint. */
  contextChanged(): void {
    this.cache.clear();
    this.changeEmitter.fire();
  }

  /** Shows a configuration problem once (per distinct message) and logs it. */
  private report(problem: string): void {
    this.output.warn(problem);
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    void vscode.window.showWarningMessage(vscode.l10n.t('Dockerfile Insight configuration: {0}', problem));
  }

  private settingsLayer(doc: vscode.TextDocument): ConfigLayer {
    const cfg = vscode.workspace.getConfiguration(SECTION, doc.uri);
    const { rules, problems } = validateRules(`settings "${SECTION}.rules"`, cfg.get('rules'));
    problems.forEach((p) => this.report(p));
    return { source: 'settings', rules };
  }

  private projectLayer(doc: vscode.TextDocument): Promise<ConfigLayer | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const configured = vscode.workspace.getConfiguration(SECTION, doc.uri).get<string>('configFile')?.trim();
    const key = configured ? `cfg:${folder?.uri.toString() ?? ''}:${configured}` : `dir:${dirname(doc.uri.path)}`;
    let p = this.projectLayers.get(key);
    if (!p) {
      p = this.loadProjectLayer(doc, folder, configured).catch((e: unknown) => {
        this.report(e instanceof Error ? e.message : String(e));
        return undefined;
      });
      this.projectLayers.set(key, p);
    }
    return p;
  }

  private async loadProjectLayer(doc: vscode.TextDocument, folder: vscode.WorkspaceFolder | undefined, configured: string | undefined): Promise<ConfigLayer | undefined> {
    let found: { path: string; text: string } | undefined;
    if (configured) {
      const uri = configured.startsWith('/') ? doc.uri.with({ path: configured }) : folder ? vscode.Uri.joinPath(folder.uri, configured) : undefined;
      if (!uri) throw new Error(vscode.l10n.t('configFile "{0}" is relative but the Dockerfile is not in a workspace folder.', configured));
      const bytes = await readUri(uri);
      if (!bytes) throw new Error(vscode.l10n.t('configFile "{0}" does not exist.', configured));
      found = { path: uri.path, text: new TextDecoder().decode(bytes) };
    } else if (doc.uri.scheme !== 'untitled') {
      const fs = new VscodeFileSystem(doc.uri.with({ path: '/', query: '', fragment: '' }));
      found = await findUp(fs, dirname(doc.uri.path), PROJECT_CONFIG_FILE, folder?.uri.path);
    }
    if (!found) return undefined;
    try {
      const { config, problems } = parseProjectConfig(found.path, found.text);
      problems.forEach((p) => this.report(p));
      return { source: found.path, rules: config.rules, options: config.options };
    } catch (e) {
      if (e instanceof ConfigError) this.report(e.message);
      else throw e;
      return undefined;
    }
  }

  /** hadolint's configuration nearest to the document (up to its workspace folder), below our project file. */
  private hadolintLayer(doc: vscode.TextDocument): Promise<ConfigLayer | undefined> {
    if (doc.uri.scheme === 'untitled') return Promise.resolve(undefined);
    const key = dirname(doc.uri.path);
    let p = this.hadolintLayers.get(key);
    if (!p) {
      p = this.loadHadolintLayer(doc).catch((e: unknown) => {
        this.report(e instanceof Error ? e.message : String(e));
        return undefined;
      });
      this.hadolintLayers.set(key, p);
    }
    return p;
  }

  private async loadHadolintLayer(doc: vscode.TextDocument): Promise<ConfigLayer | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const fs = new VscodeFileSystem(doc.uri.with({ path: '/', query: '', fragment: '' }));
    let found: { path: string; text: string } | undefined;
    for (const name of HADOLINT_CONFIG_FILES) {
      const f = await findUp(fs, dirname(doc.uri.path), name, folder?.uri.path);
      // The nearest directory wins; in one directory .hadolint.yaml comes before .hadolint.yml.
      if (f && (!found || dirname(f.path).length > dirname(found.path).length)) found = f;
    }
    if (!found) return undefined;
    try {
      const { config, problems } = parseHadolintConfig(found.path, found.text);
      problems.forEach((p) => this.report(p));
      return config.layer;
    } catch (e) {
      if (e instanceof ConfigError) this.report(e.message);
      else throw e;
      return undefined;
    }
  }

  /** The cached analysis for this exact document version, if any. */
  peek(doc: vscode.TextDocument): AnalysisResult | undefined {
    const e = this.cache.get(doc.uri.toString());
    return e && e.version === doc.version ? e.result : undefined;
  }

  /** Analyses the document (or returns the cached result for its version). Never throws. */
  async get(doc: vscode.TextDocument): Promise<AnalysisResult> {
    const cached = this.peek(doc);
    if (cached) return cached;
    const version = doc.version;
    const [hadolint, project] = await Promise.all([this.hadolintLayer(doc), this.projectLayer(doc)]);
    // Later layers win: .hadolint.yaml < project file < settings.
    const layers = [hadolint, project, this.settingsLayer(doc)].filter((l): l is ConfigLayer => l !== undefined);
    const again = this.peek(doc);
    if (again) return again;
    let result: AnalysisResult;
    try {
      let context: ContextIndex | undefined;
      try {
        context = this.contextProvider?.(doc.uri);
      } catch {
        context = undefined;
      }
      result = analyze(doc.getText(), { layers, context });
    } catch (e) {
      this.output.error(`analysis failed for ${doc.uri.toString()}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      result = { diagnostics: [], ruleErrors: [], skipped: vscode.l10n.t('Dockerfile Insight could not analyse this file (internal error; see the "Dockerfile Insight" output).') };
    }
    for (const err of result.ruleErrors) this.output.error(`rule ${err.ruleId} failed on ${doc.uri.toString()}: ${err.error}`);
    if (doc.version === version) this.cache.set(doc.uri.toString(), { version, result });
    return result;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.changeEmitter.dispose();
  }
}

export function isDockerfileDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === LANGUAGE_ID;
}
