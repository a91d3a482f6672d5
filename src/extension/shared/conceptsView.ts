/**
 * The concept sidebar: an activity-bar view container ("Dockerfile Insight") with a tree of topics grouped as in
 * the concept catalog (Virtualization, Containers, Images & layers, Docker architecture, Security). Clicking a
 * topic opens its article. Also the commands "Open Concept…" (a searchable quick pick: titles, summaries and
 * keywords in both languages) and "Explain This Instruction" (the concept behind the instruction at the cursor).
 */
import * as vscode from 'vscode';
import { stepAtLine } from '../../core';
import {
  CONCEPTS, Concept, conceptForInstruction, conceptsInGroup, getConcept, Group, GROUPS, Lang, normalizeLang,
} from '../../concepts/catalog';
import { AnalysisService, isDockerfileDocument } from './analysisService';
import { ConceptArticlePanel } from './conceptArticle';

export const VIEW_ID = 'dockerfileInsight.concepts';
export const OPEN_CONCEPT_COMMAND = 'dockerfileInsight.openConcept';
export const EXPLAIN_COMMAND = 'dockerfileInsight.explainInstruction';
/** Test-only (not contributed): the tree's rows and the article page's state. */
export const CONCEPT_STATE_COMMAND = 'dockerfileInsight.test.conceptState';

type Node = { kind: 'group'; group: Group } | { kind: 'concept'; concept: Concept; parent: Node };

function lang(): Lang {
  return normalizeLang(vscode.env.language);
}

class ConceptTree implements vscode.TreeDataProvider<Node> {
  readonly roots: Node[] = GROUPS.map((group) => ({ kind: 'group', group }));
  private readonly children = new Map<Node, Node[]>();
  readonly byId = new Map<string, Node>();

  constructor() {
    for (const root of this.roots) {
      if (root.kind !== 'group') continue;
      const kids: Node[] = conceptsInGroup(root.group.id).map((concept) => ({ kind: 'concept', concept, parent: root }));
      this.children.set(root, kids);
      for (const k of kids) if (k.kind === 'concept') this.byId.set(k.concept.id, k);
    }
  }

  getChildren(element?: Node): Node[] {
    if (!element) return this.roots;
    return this.children.get(element) ?? [];
  }

  getParent(element: Node): Node | undefined {
    return element.kind === 'concept' ? element.parent : undefined;
  }

  getTreeItem(element: Node): vscode.TreeItem {
    const l = lang();
    if (element.kind === 'group') {
      const item = new vscode.TreeItem(element.group.title[l], vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${element.group.id}`;
      item.contextValue = 'group';
      item.iconPath = new vscode.ThemeIcon('folder-library');
      return item;
    }
    const c = element.concept;
    const item = new vscode.TreeItem(c.title[l], vscode.TreeItemCollapsibleState.None);
    item.id = `concept:${c.id}`;
    item.contextValue = 'concept';
    item.iconPath = new vscode.ThemeIcon('book');
    item.tooltip = new vscode.MarkdownString().appendText(c.summary[l]);
    item.accessibilityInformation = { label: `${c.title[l]}. ${c.summary[l]}`, role: 'treeitem' };
    item.command = { command: OPEN_CONCEPT_COMMAND, title: vscode.l10n.t('Open Concept'), arguments: [c.id] };
    return item;
  }

  /** The rows as the tree shows them (for the tests). */
  rows(): Array<{ label: string; children: string[] }> {
    return this.roots.map((r) => ({
      label: String(this.getTreeItem(r).label),
      children: this.getChildren(r).map((c) => String(this.getTreeItem(c).label)),
    }));
  }
}

interface ConceptPick extends vscode.QuickPickItem {
  id: string;
}

/** Does the concept match every word of the query (title, summary, keywords and group, in both languages)? */
export function conceptMatches(c: Concept, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const group = GROUPS.find((g) => g.id === c.group);
  const hay = [c.id, c.title.en, c.title['zh-cn'], c.summary.en, c.summary['zh-cn'], ...c.keywords, group?.title.en ?? '', group?.title['zh-cn'] ?? '']
    .join('\n').toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** The quick pick over all concepts; resolves to the chosen concept's id. */
function pickConcept(initial = ''): Promise<string | undefined> {
  const l = lang();
  const qp = vscode.window.createQuickPick<ConceptPick>();
  qp.placeholder = vscode.l10n.t('Search concepts: containers, layers, root, namespaces, …');
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const itemsFor = (query: string): ConceptPick[] => {
    const items: ConceptPick[] = [];
    for (const g of GROUPS) {
      const cs = CONCEPTS.filter((c) => c.group === g.id && conceptMatches(c, query));
      if (!cs.length) continue;
      items.push({ kind: vscode.QuickPickItemKind.Separator, label: g.title[l], id: '' });
      for (const c of cs) items.push({ label: c.title[l], detail: c.summary[l], id: c.id, alwaysShow: true });
    }
    return items;
  };
  qp.items = itemsFor(initial);
  qp.value = initial;
  return new Promise((resolve) => {
    let done = false;
    const finish = (id: string | undefined) => {
      if (done) return;
      done = true;
      resolve(id);
      qp.dispose();
    };
    qp.onDidChangeValue((v) => {
      qp.items = itemsFor(v);
    });
    qp.onDidAccept(() => finish(qp.selectedItems[0]?.id || qp.activeItems[0]?.id || undefined));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

export function registerConceptSupport(context: vscode.ExtensionContext, service: AnalysisService): ConceptArticlePanel {
  const tree = new ConceptTree();
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const articles = new ConceptArticlePanel(context);

  const open = async (arg?: unknown): Promise<string | undefined> => {
    let id = typeof arg === 'string' ? arg : undefined;
    if (id && !getConcept(id)) id = undefined;
    id ??= await pickConcept();
    if (id) articles.show(id);
    return id;
  };

  context.subscriptions.push(
    view,
    articles,
    articles.onDidShow((c) => {
      const node = tree.byId.get(c.id);
      if (node && view.visible) void Promise.resolve(view.reveal(node, { select: true, focus: false })).catch(() => undefined);
    }),
    vscode.commands.registerCommand(OPEN_CONCEPT_COMMAND, open),
    vscode.commands.registerCommand(EXPLAIN_COMMAND, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isDockerfileDocument(editor.document)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor on an instruction in a Dockerfile to explain it.'));
        return open();
      }
      const model = (await service.get(editor.document)).model;
      const step = model ? stepAtLine(model, editor.selection.active.line) : undefined;
      const keyword = step?.keyword === 'ONBUILD' && step.trigger ? step.trigger.keyword : step?.keyword;
      const concept = keyword ? conceptForInstruction(keyword) : undefined;
      if (!concept) {
        void vscode.window.setStatusBarMessage(keyword
          ? vscode.l10n.t('No concept article for {0} yet: pick one.', keyword)
          : vscode.l10n.t('The cursor is not on an instruction: pick a concept.'), 4000);
        return open();
      }
      articles.show(concept.id);
      return concept.id;
    }),
    vscode.commands.registerCommand(CONCEPT_STATE_COMMAND, () => ({ treeVisible: view.visible, tree: tree.rows(), article: articles.state() })),
  );
  return articles;
}
