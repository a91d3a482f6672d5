/**
 * The diagram panel (command "Show Architecture Diagrams"): a WebviewPanel with two tabs — the open Dockerfile as
 * a stage graph and layer stack, updated as the user types (debounced like the diagnostics), and the catalog's
 * architecture diagrams. Clicking a block reveals its line in the editor. Page markup and CSP: conceptHtml.ts and
 * src/webview/html.ts; front end: src/webview/diagram.ts; messages: src/webview/protocol.ts.
 */
import * as vscode from 'vscode';
import { stageAtLine } from '../../core';
import type { ContextIndex } from '../../core/context';
import { computeLayers } from '../../core/layers';
import { normalizeLang } from '../../concepts/catalog';
import { makeNonce, page } from '../../webview/html';
import { HostToWebview, isWebviewMessage, RenderedMessage, Tab } from '../../webview/protocol';
import { AnalysisService, isDockerfileDocument, SECTION } from './analysisService';
import { diagramPageBody, diagramStrings } from './conceptHtml';
import { dockerfileDiagram } from './diagramData';
import { DockerfileContext, layerService } from './layerService';

export const SHOW_DIAGRAMS_COMMAND = 'dockerfileInsight.showDiagrams';
/** Test-only (not contributed): what the panel's front end reported last. */
export const DIAGRAM_STATE_COMMAND = 'dockerfileInsight.test.diagramState';
/** Test-only (not contributed): activates a block of the live diagram as a click would. */
export const DIAGRAM_ACTIVATE_COMMAND = 'dockerfileInsight.test.diagramActivate';

export interface DiagramPanelState {
  open: boolean;
  visible: boolean;
  tracked?: string;
  dockerfile?: RenderedMessage;
  architecture?: RenderedMessage;
  errors: string[];
}

/** Whether a tab of the workbench shows this file (text or diff). */
function hasTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => {
    const input = t.input;
    if (input instanceof vscode.TabInputText) return input.uri.toString() === key;
    if (input instanceof vscode.TabInputTextDiff) return input.modified.toString() === key;
    return false;
  }));
}

class DiagramPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private doc: vscode.TextDocument | undefined;
  private ready = false;
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private panelDisposables: vscode.Disposable[] = [];
  private reports: { dockerfile?: RenderedMessage; architecture?: RenderedMessage } = {};
  private errors: string[] = [];
  private tab: Tab = 'dockerfile';
  /** A catalog diagram to scroll to once the front end is ready. */
  private pendingDiagram: string | undefined;

  /** Whether we listen to the layer service (it may be created after this panel). */
  private layersHooked = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly service: AnalysisService,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && isDockerfileDocument(e.document) && e.document !== this.doc) {
          this.doc = e.document;
          this.scheduleUpdate(0);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.doc && e.contentChanges.length) this.scheduleUpdate();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d !== this.doc) return;
        this.doc = undefined;
        this.pickDocument();
        this.scheduleUpdate(0);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document === this.doc) this.scheduleCursor(e.textEditor);
      }),
      service.onDidChangeConfiguration(() => this.scheduleUpdate(0)),
      vscode.window.tabGroups.onDidChangeTabs(() => {
        if (!this.panel) return;
        const before = this.doc;
        this.pickDocument();
        if (this.doc !== before) this.scheduleUpdate(0);
      }),
    );
  }

  /** The Dockerfile to draw: the active editor's, else the one drawn before while a tab still shows it, else a
   * visible one, else none. */
  private pickDocument(): void {
    const active = vscode.window.activeTextEditor?.document;
    if (active && isDockerfileDocument(active)) {
      this.doc = active;
      return;
    }
    if (this.doc && !this.doc.isClosed && hasTab(this.doc.uri)) return;
    this.doc = vscode.window.visibleTextEditors.map((e) => e.document).find(isDockerfileDocument)
      ?? vscode.workspace.textDocuments.find((d) => isDockerfileDocument(d) && !d.isClosed && hasTab(d.uri));
  }

  show(tab?: Tab, diagram?: string): void {
    this.pickDocument();
    if (tab) this.tab = tab;
    else if (!this.panel) this.tab = this.doc ? 'dockerfile' : 'architecture';
    if (this.panel) {
      this.panel.reveal(undefined, true);
      if (tab) this.post({ type: 'selectTab', tab, diagram });
      this.scheduleUpdate(0);
      return;
    }
    const distUri = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel('dockerfileInsight.diagrams', vscode.l10n.t('Dockerfile Diagrams'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [distUri],
    });
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'concepts.svg');
    this.panel = panel;
    this.pendingDiagram = diagram;
    this.ready = false;
    this.reports = {};
    this.errors = [];
    const lang = normalizeLang(vscode.env.language);
    const body = diagramPageBody(lang, this.tab);
    panel.webview.html = page({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      title: vscode.l10n.t('Dockerfile Diagrams'),
      lang,
      styles: [panel.webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'style.css')).toString()],
      scripts: [panel.webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'diagram.js')).toString()],
      body: body.html,
    });
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState((e) => {
        // A hidden webview is torn down; it reloads and says 'ready' again when shown.
        if (!e.webviewPanel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        this.panelDisposables.forEach((d) => d.dispose());
        this.panelDisposables = [];
      }),
    );
  }

  private onMessage(m: unknown): void {
    if (!isWebviewMessage(m)) return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'init', strings: diagramStrings(), tab: this.tab });
        if (this.pendingDiagram) this.post({ type: 'selectTab', tab: 'architecture', diagram: this.pendingDiagram });
        this.pendingDiagram = undefined;
        void this.update();
        break;
      case 'reveal':
        void this.reveal(m.uri, m.line);
        break;
      case 'openConcept':
        void vscode.commands.executeCommand('dockerfileInsight.openConcept', m.id);
        break;
      case 'showDiagram':
        this.show('architecture', m.id);
        break;
      case 'tabChanged':
        this.tab = m.tab;
        break;
      case 'rendered':
        if (m.view === 'dockerfile' || m.view === 'architecture') this.reports[m.view] = m;
        break;
      case 'error':
        this.errors.push(m.message);
        console.error(`[dockerfile-insight] diagram webview: ${m.message}`);
        break;
    }
  }

  private post(m: HostToWebview): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(m);
  }

  private scheduleUpdate(delay?: number): void {
    if (!this.panel) return;
    clearTimeout(this.updateTimer);
    const ms = delay ?? Math.max(0, Math.min(5000, vscode.workspace.getConfiguration(SECTION, this.doc?.uri).get<number>('debounceMs', 250) ?? 250));
    this.updateTimer = setTimeout(() => void this.update(), ms);
  }

  private scheduleCursor(editor: vscode.TextEditor): void {
    if (!this.panel || !this.ready) return;
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => {
      const doc = editor.document;
      const model = this.service.peek(doc)?.model;
      const line = editor.selection.active.line;
      this.post({ type: 'cursor', line, stage: model ? stageAtLine(model, line) : -1 });
    }, 100);
  }

  private async update(): Promise<void> {
    if (!this.panel || !this.ready) return;
    const doc = this.doc && !this.doc.isClosed ? this.doc : undefined;
    if (!doc) {
      this.post({ type: 'dockerfile', diagram: null });
      return;
    }
    const version = doc.version;
    const [result, dctx] = await Promise.all([this.service.get(doc), this.buildContext(doc)]);
    if (doc !== this.doc || doc.version !== version) return; // a newer update follows
    const model = result.model;
    if (!model) {
      this.post({ type: 'dockerfile', diagram: null });
      return;
    }
    // the walked context plus what this model's ADD steps unpack (archives), as the inlay hints see it
    let context: ContextIndex | undefined;
    try {
      context = dctx ? await layerService()?.indexFor(dctx, model) : undefined;
    } catch {
      context = undefined;
    }
    if (doc !== this.doc || doc.version !== version) return;
    const diagram = dockerfileDiagram(model, {
      uri: doc.uri.toString(),
      version,
      fileName: vscode.workspace.asRelativePath(doc.uri, false),
      preview: computeLayers(model, { allStages: true, context }),
    });
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const line = editor?.selection.active.line;
    const selectStage = line !== undefined ? stageAtLine(model, line) : undefined;
    this.post({ type: 'dockerfile', diagram, selectStage: selectStage !== undefined && selectStage >= 0 ? selectStage : undefined });
    if (line !== undefined) this.post({ type: 'cursor', line, stage: selectStage ?? -1 });
  }

  /**
   * The build context as the layer preview reads it (the shared LayerService: the same directory, ignore file and
   * cache as the inlay hints, so the diagram shows the same numbers). Undefined for untitled documents.
   */
  private async buildContext(doc: vscode.TextDocument): Promise<DockerfileContext | undefined> {
    const layers = layerService();
    if (!layers || doc.uri.scheme === 'untitled') return undefined;
    if (!this.layersHooked) {
      this.layersHooked = true;
      this.disposables.push(layers.onDidChange(() => this.scheduleUpdate()));
    }
    try {
      const ctx = await layers.contextFor(doc.uri);
      await layers.index(ctx); // the walk starts while the model is analysed
      return ctx;
    } catch {
      return undefined;
    }
  }

  private async reveal(uri: string, line: number): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ?? await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const l = Math.min(line, doc.lineCount - 1);
    const range = new vscode.Range(l, 0, l, doc.lineAt(l).text.length);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: true,
      selection: new vscode.Selection(range.start, range.end),
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  state(): DiagramPanelState {
    return {
      open: !!this.panel,
      visible: !!this.panel?.visible,
      tracked: this.doc?.uri.toString(),
      dockerfile: this.reports.dockerfile,
      architecture: this.reports.architecture,
      errors: [...this.errors],
    };
  }

  testActivate(what: 'stage' | 'entry' | 'container', index: number): void {
    this.post({ type: 'testActivate', what, index });
  }

  dispose(): void {
    clearTimeout(this.updateTimer);
    clearTimeout(this.cursorTimer);
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}

export interface DiagramPanelSupport {
  show(tab?: Tab, diagram?: string): void;
}

export function registerDiagramPanel(context: vscode.ExtensionContext, service: AnalysisService): DiagramPanelSupport {
  const panel = new DiagramPanel(context, service);
  context.subscriptions.push(
    panel,
    vscode.commands.registerCommand(SHOW_DIAGRAMS_COMMAND, (arg?: unknown) => {
      const a = (arg && typeof arg === 'object' ? arg : {}) as { tab?: unknown; diagram?: unknown };
      const tab = a.tab === 'architecture' || a.tab === 'dockerfile' ? a.tab : typeof a.diagram === 'string' ? 'architecture' : undefined;
      panel.show(tab, typeof a.diagram === 'string' ? a.diagram : undefined);
    }),
    vscode.commands.registerCommand(DIAGRAM_STATE_COMMAND, () => panel.state()),
    vscode.commands.registerCommand(DIAGRAM_ACTIVATE_COMMAND, (what: 'stage' | 'entry' | 'container', index: number) => panel.testActivate(what, index)),
  );
  return { show: (tab, diagram) => panel.show(tab, diagram) };
}
