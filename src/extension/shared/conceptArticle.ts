/**
 * The concept article page: one reusable webview panel showing a concept's article (English or Simplified
 * Chinese, following VS Code's display language), its diagram drawn in the theme's colours, and links to related
 * concepts. A webview (not the Markdown preview) so the diagram follows the theme and it works the same in
 * desktop VS Code and in the browser. Markup: conceptHtml.ts; front end: src/webview/article.ts.
 */
import * as vscode from 'vscode';
import { Concept, getConcept, normalizeLang } from '../../concepts/catalog';
import { makeNonce, page } from '../../webview/html';
import { isWebviewMessage, RenderedMessage } from '../../webview/protocol';
import { articleBody } from './conceptHtml';

export interface ArticleState {
  open: boolean;
  conceptId?: string;
  title?: string;
  /** What the page's script reported after loading. */
  rendered?: RenderedMessage;
  errors: string[];
}

export class ConceptArticlePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private concept: Concept | undefined;
  private rendered: RenderedMessage | undefined;
  private errors: string[] = [];
  private readonly emitter = new vscode.EventEmitter<Concept>();
  /** Fires when an article is shown (the sidebar selects its topic). */
  readonly onDidShow = this.emitter.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  show(id: string): boolean {
    const concept = getConcept(id);
    if (!concept) return false;
    const distUri = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    if (!this.panel) {
      const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
      this.panel = vscode.window.createWebviewPanel('dockerfileInsight.concept', concept.title.en, column, {
        enableScripts: true,
        enableFindWidget: true,
        localResourceRoots: [distUri],
      });
      this.panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'concepts.svg');
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isWebviewMessage(m)) return;
        if (m.type === 'openConcept') this.show(m.id);
        else if (m.type === 'showDiagram') void vscode.commands.executeCommand('dockerfileInsight.showDiagrams', { diagram: m.id });
        else if (m.type === 'rendered' && m.view === 'article') this.rendered = m;
        else if (m.type === 'error') {
          this.errors.push(m.message);
          console.error(`[dockerfile-insight] article webview: ${m.message}`);
        }
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.concept = undefined;
      });
    } else {
      this.panel.reveal(undefined, false);
    }
    const lang = normalizeLang(vscode.env.language);
    const body = articleBody(concept, lang);
    this.concept = concept;
    this.rendered = undefined;
    this.panel.title = body.title;
    this.panel.webview.html = page({
      cspSource: this.panel.webview.cspSource,
      nonce: makeNonce(),
      title: body.title,
      lang,
      styles: [this.panel.webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'style.css')).toString()],
      scripts: [this.panel.webview.asWebviewUri(vscode.Uri.joinPath(distUri, 'article.js')).toString()],
      body: body.html,
      bodyAttributes: { 'data-concept': concept.id },
    });
    this.emitter.fire(concept);
    return true;
  }

  state(): ArticleState {
    return { open: !!this.panel, conceptId: this.concept?.id, title: this.panel?.title, rendered: this.rendered, errors: [...this.errors] };
  }

  dispose(): void {
    this.panel?.dispose();
    this.emitter.dispose();
  }
}
