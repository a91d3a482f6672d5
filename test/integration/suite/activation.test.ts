import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, fixtureUri, openFixture, revertAndCloseAll, waitFor } from './helpers';

suite('activation', () => {
  suiteTeardown(revertAndCloseAll);

  test('runs in a real VS Code extension host', () => {
    console.log(
      `    VS Code ${vscode.version} (${vscode.env.appName}), uiKind=${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}, ` +
        `remoteName=${vscode.env.remoteName ?? '-'}, node ${process.versions.node}`,
    );
    assert.ok(process.versions.node, 'a Node extension host (not the web worker one)');
  });

  test('the extension is installed in development mode', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    assert.strictEqual(ext.packageJSON.name, 'dockerfile-insight');
  });

  test('a Dockerfile opens as language "dockerfile" and activates the extension', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const editor = await openFixture('Dockerfile');
    assert.strictEqual(editor.document.languageId, 'dockerfile');
    const active = await waitFor(() => ext.isActive, 30000);
    assert.ok(active, 'activated by onLanguage:dockerfile');
  });

  for (const name of ['Containerfile', 'clean.dockerfile']) {
    test(`${name} is language "dockerfile"`, async () => {
      const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
      assert.strictEqual(doc.languageId, 'dockerfile');
    });
  }

  test('.dockerignore is language "dockerignore" (contributed by the extension)', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri('.dockerignore'));
    assert.strictEqual(doc.languageId, 'dockerignore');
  });
});
