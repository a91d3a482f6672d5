import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, dump, hasRule, lacksRule, revertAndCloseAll, waitForDiagnostics, workspaceRoot } from './helpers';

// A build context with secrets and no .dockerignore, made inside the (copied) fixture workspace for this suite.
const DIR = 'context-fixture';
const FILES: Record<string, string> = {
  Dockerfile: 'FROM node:20.11-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "index.js"]\n',
  '.env': 'API_TOKEN=not-a-real-token\n',
  'index.js': 'console.log("hi");\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
};
const uri = (rel: string) => vscode.Uri.joinPath(workspaceRoot(), DIR, rel);

suite('rules that read the build context', () => {
  suiteSetup(async () => {
    for (const [rel, text] of Object.entries(FILES)) await vscode.workspace.fs.writeFile(uri(rel), new TextEncoder().encode(text));
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  suiteTeardown(async () => {
    await revertAndCloseAll();
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), DIR), { recursive: true, useTrash: false });
  });

  test('COPY . . of a context holding .env and .git without a .dockerignore is reported, and goes away once ignored', async () => {
    const doc = await vscode.workspace.openTextDocument(uri('Dockerfile'));
    await vscode.window.showTextDocument(doc);
    const ds = await waitForDiagnostics(doc.uri, hasRule('context-not-ignored'), 'context-not-ignored', 20000);
    const d = ds.find((x) => (typeof x.code === 'object' ? x.code.value : x.code) === 'context-not-ignored')!;
    assert.strictEqual(d.range.start.line, 2, dump(doc.uri));
    assert.match(d.message, /\.env/);
    assert.match(d.message, /\.git/);
    // Ignoring them in a new .dockerignore clears the finding (the context is walked again after the change).
    await vscode.workspace.fs.writeFile(uri('.dockerignore'), new TextEncoder().encode('.env\n.git\n'));
    await waitForDiagnostics(doc.uri, lacksRule('context-not-ignored'), 'context-not-ignored gone after .dockerignore', 20000);
  });
});
