import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, hoverText, revertAndCloseAll, waitFor, workspaceRoot } from './helpers';

// A build context made for this suite inside the (copied) fixture workspace, removed afterwards.
const DIR = 'layers-fixture';
const DOCKERFILE = `FROM busybox:1.36 AS build
ARG VERSION=1
WORKDIR /app
COPY src/ ./src/
RUN apk add git
COPY notes.txt /notes.txt

FROM scratch
COPY --from=build /app/src /src
`;
const FILES: Record<string, string> = {
  Dockerfile: DOCKERFILE,
  '.dockerignore': '*.log\nnode_modules\n',
  'src/a.txt': 'hello',
  'src/b.txt': 'world!',
  'debug.log': 'ignored',
  'notes.txt': 'n',
  'node_modules/pkg/index.js': 'module.exports = 1;',
  'docker/app.Dockerfile': 'FROM busybox:1.36\nCOPY src/ /src/\n',
};

const uri = (rel: string) => vscode.Uri.joinPath(workspaceRoot(), DIR, rel);

async function inlayLabels(doc: vscode.TextDocument): Promise<Map<number, string>> {
  const hints = (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0))) ?? [];
  const out = new Map<number, string>();
  for (const h of hints) out.set(h.position.line, typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
  return out;
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('dockerfileInsight').update(key, value, vscode.ConfigurationTarget.Workspace);
}

suite('layer preview and cache', () => {
  suiteSetup(async () => {
    for (const [rel, text] of Object.entries(FILES)) await vscode.workspace.fs.writeFile(uri(rel), new TextEncoder().encode(text));
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  suiteTeardown(async () => {
    await setSetting('layers.inlayHints', undefined);
    await setSetting('buildContexts', undefined);
    await revertAndCloseAll();
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), DIR), { recursive: true, useTrash: false });
  });

  test('inlay hints: layer numbers, files and bytes from the context (.dockerignore honoured), metadata', async () => {
    const doc = await vscode.workspace.openTextDocument(uri('Dockerfile'));
    await vscode.window.showTextDocument(doc);
    const labels = await waitFor(async () => {
      const l = await inlayLabels(doc);
      return l.get(3)?.includes('2') ? l : undefined;
    }, 15000, 250);
    assert.ok(labels, 'inlay hints appear');
    assert.match(labels.get(2) ?? '', /layer base\+1 .*empty/, `WORKDIR: ${labels.get(2)}`);
    assert.match(labels.get(3) ?? '', /layer base\+2 · 2 files, 11 B/, `COPY src/: ${labels.get(3)}`);
    assert.match(labels.get(4) ?? '', /apk package index cache \(estimate\)/, `RUN: ${labels.get(4)}`);
    assert.match(labels.get(8) ?? '', /layer 1 · from build · 2 files, 11 B/, `COPY --from: ${labels.get(8)}`);
    assert.ok(!labels.has(1), 'ARG makes no layer and gets no hint');

    await setSetting('layers.inlayHints', false);
    const off = await waitFor(async () => ((await inlayLabels(doc)).size === 0 ? true : undefined), 10000, 250);
    assert.ok(off, 'no hints when dockerfileInsight.layers.inlayHints is false');
    await setSetting('layers.inlayHints', undefined);
  });

  test('hover: the layer, the files it takes, and what rebuilds it', async () => {
    const doc = await vscode.workspace.openTextDocument(uri('Dockerfile'));
    await vscode.window.showTextDocument(doc);
    const text = await waitFor(async () => {
      const h = await hoverText(doc.uri, new vscode.Position(4, 1));
      return h.includes('Rebuilds when') ? h : undefined;
    }, 15000, 250);
    assert.ok(text, 'hover on RUN has the cache section');
    assert.ok(text.includes('a file under `src`'), text);
    assert.ok(text.includes('ARG `VERSION`'), text);
    assert.ok(text.includes('the image `busybox:1.36`'), text);
    assert.match(text, /apk package index cache/, text);
    const copy = await hoverText(doc.uri, new vscode.Position(3, 1));
    assert.match(copy, /Takes 2 files, 11 B from the build context/, copy);
    assert.ok(copy.includes('`src/a.txt`'), copy);
  });

  test('command What Rebuilds: a changed file rebuilds from the COPY that takes it', async () => {
    const answer = await vscode.commands.executeCommand<{ files: string[]; prediction: { steps: Array<{ line: number; status: string }>; firstRebuiltLine: number | null } }>(
      'dockerfileInsight.whatRebuilds', { dockerfile: uri('Dockerfile').toString(), files: [uri('notes.txt').toString()] },
    );
    assert.ok(answer, 'an answer');
    assert.deepEqual(answer.files, ['notes.txt']);
    assert.equal(answer.prediction.firstRebuiltLine, 6);
    assert.deepEqual(answer.prediction.steps.map((s) => `${s.line}:${s.status}`), ['3:cached', '4:cached', '5:cached', '6:rebuilt', '9:cached']);
    const src = await vscode.commands.executeCommand<{ prediction: { firstRebuiltLine: number | null } }>('dockerfileInsight.whatRebuilds', { dockerfile: uri('Dockerfile'), files: [uri('src/a.txt')] });
    assert.equal(src.prediction.firstRebuiltLine, 4);
    const ignored = await vscode.commands.executeCommand<{ files: string[]; prediction: { firstRebuiltLine: number | null } }>('dockerfileInsight.whatRebuilds', { dockerfile: uri('Dockerfile'), files: [uri('debug.log')] });
    assert.deepEqual(ignored.files, []);
    assert.equal(ignored.prediction.firstRebuiltLine, null);
    const arg = await vscode.commands.executeCommand<{ prediction: { firstRebuiltLine: number | null } }>('dockerfileInsight.whatRebuilds', { dockerfile: uri('Dockerfile'), files: [], buildArgs: { VERSION: '2' } });
    assert.equal(arg.prediction.firstRebuiltLine, 5);
  });

  test('saving a context file names the first step it invalidates', async () => {
    const doc = await vscode.workspace.openTextDocument(uri('src/b.txt'));
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'changed '));
    await doc.save();
    const hint = await waitFor(async () => {
      const h = await vscode.commands.executeCommand<{ file: string; message: string } | undefined>('dockerfileInsight.lastRebuildHint');
      return h && h.file === doc.uri.toString() ? h : undefined;
    }, 15000, 250);
    assert.ok(hint, 'a hint after saving src/b.txt');
    assert.match(hint.message, /layers-fixture\/Dockerfile line 4 \(COPY\)/, hint.message);
  });

  test('setting dockerfileInsight.buildContexts chooses the context of a Dockerfile', async () => {
    const doc = await vscode.workspace.openTextDocument(uri('docker/app.Dockerfile'));
    await vscode.window.showTextDocument(doc);
    // no .dockerignore next to it: the nearest folder above with one (layers-fixture) is the context
    const before = await waitFor(async () => (await inlayLabels(doc)).get(1), 15000, 250);
    assert.match(before ?? '', /· 2 files, \d+ B/, `automatic context: ${before}`);
    await setSetting('buildContexts', { [`${DIR}/docker/*.Dockerfile`]: `${DIR}/docker` });
    const after = await waitFor(async () => {
      const l = (await inlayLabels(doc)).get(1);
      return l && /source not in the build context/.test(l) ? l : undefined;
    }, 15000, 250);
    assert.ok(after, 'the configured context (docker/, which has no src/) is used');
  });
});
