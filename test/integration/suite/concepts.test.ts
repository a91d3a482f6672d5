import * as assert from 'assert';
import * as vscode from 'vscode';
import { CONCEPTS, GROUPS } from '../../../src/concepts/catalog';
import { formatBytes } from '../../../src/core/layers';
import { EXTENSION_ID, hasRule, hoverText, lineOf, openFixture, revertAndCloseAll, ruleId, waitFor, waitForDiagnostics } from './helpers';

// Test-only commands of the extension (not contributed in package.json): what the tree holds and what the
// webviews' scripts reported after drawing (src/webview/protocol.ts, RenderedMessage).
interface Rendered {
  view: string;
  uri?: string;
  version?: number;
  stages?: string[];
  selectedStage?: number;
  entries?: string[];
  diagrams?: number;
  conceptId?: string;
}
interface ConceptState {
  treeVisible: boolean;
  tree: Array<{ label: string; children: string[] }>;
  article: { open: boolean; conceptId?: string; title?: string; rendered?: Rendered; errors: string[] };
}
interface DiagramState {
  open: boolean;
  visible: boolean;
  tracked?: string;
  dockerfile?: Rendered;
  architecture?: Rendered;
  errors: string[];
}
const conceptState = () => vscode.commands.executeCommand<ConceptState>('dockerfileInsight.test.conceptState');
const diagramState = () => vscode.commands.executeCommand<DiagramState>('dockerfileInsight.test.diagramState');

async function waitForState<T>(get: () => Thenable<T>, pred: (s: T) => boolean, what: string, ms = 20000): Promise<T> {
  let last: T | undefined;
  const ok = await waitFor(async () => pred((last = await get())), ms, 150);
  assert.ok(ok, `${what}: not seen within ${ms} ms; state: ${JSON.stringify(last)}`);
  return last as T;
}

const articleShows = (id: string) => (s: ConceptState) =>
  s.article.conceptId === id && s.article.rendered?.conceptId === id && (s.article.rendered?.diagrams ?? 0) >= 1;

function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
}

suite('concept sidebar, articles and editor links', () => {
  suiteSetup(async () => {
    await openFixture('clean.dockerfile');
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  teardown(revertAndCloseAll);

  test('package.json contributes the view container, the view, the three commands and their menus', () => {
    const c = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes;
    assert.deepStrictEqual(c.viewsContainers.activitybar.map((v: { id: string }) => v.id), ['dockerfileInsight']);
    assert.deepStrictEqual(c.views.dockerfileInsight.map((v: { id: string }) => v.id), ['dockerfileInsight.concepts']);
    const commands = c.commands.map((x: { command: string }) => x.command);
    for (const id of ['dockerfileInsight.explainInstruction', 'dockerfileInsight.showDiagrams', 'dockerfileInsight.openConcept']) {
      assert.ok(commands.includes(id), `${id} contributed`);
    }
    assert.ok(c.menus['view/title'].some((m: { command: string }) => m.command === 'dockerfileInsight.openConcept'));
  });

  test('the sidebar lists every group and every topic of the catalog', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.dockerfileInsight');
    const s = await waitForState(conceptState, (x) => x.treeVisible, 'the concepts view is visible');
    assert.deepStrictEqual(s.tree.map((g) => g.label), GROUPS.map((g) => g.title.en));
    for (const g of GROUPS) {
      const row = s.tree.find((r) => r.label === g.title.en)!;
      assert.deepStrictEqual(row.children, CONCEPTS.filter((c) => c.group === g.id).map((c) => c.title.en), g.id);
    }
    assert.strictEqual(s.tree.reduce((n, g) => n + g.children.length, 0), CONCEPTS.length);
  });

  test('Open Concept with an id opens the article page, which draws the concept\'s diagram', async () => {
    const id = await vscode.commands.executeCommand<string>('dockerfileInsight.openConcept', 'union-fs-cow');
    assert.strictEqual(id, 'union-fs-cow');
    const s = await waitForState(conceptState, articleShows('union-fs-cow'), 'the union-fs-cow article rendered');
    assert.deepStrictEqual(s.article.errors, []);
    const title = CONCEPTS.find((c) => c.id === 'union-fs-cow')!.title.en;
    assert.strictEqual(s.article.title, title);
    assert.ok(webviewTabs().some((t) => t.label === title), `a webview tab "${title}" in ${JSON.stringify(webviewTabs().map((t) => t.label))}`);
  });

  test('Explain This Instruction opens the concept of the instruction at the cursor', async () => {
    const { document: doc } = await openFixture('clean.dockerfile');
    const cases: Array<[string, string]> = [['USER app', 'root-and-user-namespaces'], ['FROM node', 'images-and-layers'], ['RUN --mount', 'union-fs-cow']];
    for (const [prefix, concept] of cases) {
      // the article opens beside and takes the focus: bring the Dockerfile back first
      const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      const line = lineOf(doc, prefix);
      editor.selection = new vscode.Selection(line, 1, line, 1);
      assert.strictEqual(vscode.window.activeTextEditor?.document, doc, 'the Dockerfile is the active editor');
      const id = await vscode.commands.executeCommand<string>('dockerfileInsight.explainInstruction');
      assert.strictEqual(id, concept, prefix);
      await waitForState(conceptState, articleShows(concept), `the ${concept} article for ${prefix}`);
    }
  });

  test('the hover links to the concept, trusting only the open-concept command', async () => {
    const { document: doc } = await openFixture('clean.dockerfile');
    const line = lineOf(doc, 'USER app');
    const text = await waitFor(() => hoverText(doc.uri, new vscode.Position(line, 1)), 10000, 250);
    assert.match(text, /Learn: Root in a container is root on the host/, text);
    assert.match(text, /\(command:dockerfileInsight\.openConcept\?%5B%22root-and-user-namespaces%22%5D/, text);
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 1))) ?? [];
    const ours = hovers.flatMap((h) => h.contents).find((c): c is vscode.MarkdownString => typeof c !== 'string' && c.value.includes('command:dockerfileInsight.openConcept'));
    assert.ok(ours, 'our hover markdown');
    if (ours.isTrusted !== undefined) {
      assert.deepStrictEqual(ours.isTrusted, { enabledCommands: ['dockerfileInsight.openConcept'] });
    }
  });

  test('a root-user diagnostic offers "Learn why", which opens "root in a container is root on the host"', async () => {
    const { document: doc } = await openFixture('Dockerfile');
    const diag = (await waitForDiagnostics(doc.uri, hasRule('root-user'), 'root-user')).find((d) => ruleId(d) === 'root-user')!;
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range)) ?? [];
    const learn = actions.find((a) => /^Learn why: /.test(a.title));
    assert.ok(learn, `a "Learn why" action in ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.strictEqual(learn.title, 'Learn why: Root in a container is root on the host');
    assert.strictEqual(learn.command?.command, 'dockerfileInsight.openConcept');
    await vscode.commands.executeCommand(learn.command!.command, ...(learn.command!.arguments ?? []));
    await waitForState(conceptState, articleShows('root-and-user-namespaces'), 'the root article');
  });
});

suite('diagram panel', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  teardown(revertAndCloseAll);

  const stagesAre = (uri: vscode.Uri, stages: string[]) => (s: DiagramState) =>
    s.dockerfile?.uri === uri.toString() && JSON.stringify(s.dockerfile?.stages) === JSON.stringify(stages);

  test('shows the open Dockerfile\'s stages and the architecture diagrams', async () => {
    const editor = await openFixture('clean.dockerfile');
    const cmd = lineOf(editor.document, 'CMD');
    editor.selection = new vscode.Selection(cmd, 0, cmd, 0); // in the last stage (the diagram follows the cursor)
    await vscode.commands.executeCommand('dockerfileInsight.showDiagrams');
    const s = await waitForState(diagramState, (x) => stagesAre(editor.document.uri, ['build', '#1'])(x) && x.dockerfile?.selectedStage === 1, 'stages of clean.dockerfile, the last selected');
    assert.ok(s.open && s.visible, 'the panel is open and visible');
    assert.deepStrictEqual(s.dockerfile?.entries?.map((e) => e.split(' ')[0]), ['FROM', 'SHELL', 'WORKDIR', 'COPY', 'RUN', 'USER', 'ENV', 'CMD']);
    assert.ok((s.architecture?.diagrams ?? 0) >= 1, `architecture diagrams drawn: ${JSON.stringify(s.architecture)}`);
    assert.deepStrictEqual(s.errors, []);
    assert.ok(webviewTabs().some((t) => (t.input as vscode.TabInputWebview).viewType.endsWith('dockerfileInsight.diagrams')), 'a diagram panel tab');
  });

  test('activating a layer block reveals its line in the editor', async () => {
    const editor = await openFixture('clean.dockerfile');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('dockerfileInsight.showDiagrams');
    await waitForState(diagramState, (x) => stagesAre(editor.document.uri, ['build', '#1'])(x) && x.dockerfile?.selectedStage === 1, 'stages of clean.dockerfile, the target selected');
    const runLine = lineOf(editor.document, 'RUN addgroup');
    await vscode.commands.executeCommand('dockerfileInsight.test.diagramActivate', 'entry', 4);
    const ok = await waitFor(() => vscode.window.visibleTextEditors.some((e) => e.document === editor.document && e.selection.active.line === runLine), 10000);
    const where = vscode.window.visibleTextEditors.map((e) => `${e.document.uri.path}:${e.selection.active.line}`);
    assert.ok(ok, `the editor's cursor went to line ${runLine}: ${JSON.stringify(where)}`);
  });

  test('the selected stage follows the cursor', async () => {
    const editor = await openFixture('clean.dockerfile');
    await vscode.commands.executeCommand('dockerfileInsight.showDiagrams');
    await waitForState(diagramState, stagesAre(editor.document.uri, ['build', '#1']), 'stages of clean.dockerfile');
    const line = lineOf(editor.document, 'RUN --mount');
    editor.selection = new vscode.Selection(line, 0, line, 0);
    const s = await waitForState(diagramState, (x) => x.dockerfile?.selectedStage === 0, 'stage 0 selected');
    // Sizes are the layer preview's, from the build context read through vscode.workspace.fs: the fixture's
    // package.json and src/ (nothing of them is in .dockerignore).
    const size = async (rel: string) => (await vscode.workspace.fs.stat(vscode.Uri.joinPath(editor.document.uri, '..', rel))).size;
    const expected = ['FROM', 'WORKDIR 0 B', `COPY ${formatBytes(await size('package.json'))}`, 'RUN', `COPY ${formatBytes(await size('src/index.js'))}`];
    assert.deepStrictEqual(s.dockerfile?.entries, expected);
  });

  test('updates as the user types', async () => {
    const editor = await openFixture('clean.dockerfile');
    await vscode.commands.executeCommand('dockerfileInsight.showDiagrams');
    await waitForState(diagramState, stagesAre(editor.document.uri, ['build', '#1']), 'stages of clean.dockerfile');
    const line = lineOf(editor.document, 'FROM node:20.11-alpine AS build');
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(line, 0), 'FROM alpine:3.20 AS extra\nRUN echo hi\n\n')));
    await waitForState(diagramState, stagesAre(editor.document.uri, ['extra', 'build', '#2']), 'the new stage drawn');
    const end = editor.document.lineCount;
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(end, 0), '\nFROM build AS test\nRUN npm test\n')));
    await waitForState(diagramState, stagesAre(editor.document.uri, ['extra', 'build', '#2', 'test']), 'the stage added at the end');
  });

  test('with no Dockerfile open it says so, and the architecture tab still has the diagrams', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('dockerfileInsight.showDiagrams', { tab: 'architecture' });
    const s = await waitForState(diagramState, (x) => (x.architecture?.diagrams ?? 0) >= 1 && !!x.dockerfile, 'the panel rendered');
    assert.deepStrictEqual(s.dockerfile?.stages, []);
  });
});
