import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXPECTATIONS } from './fixtures';
import {
  SOURCE,
  dump,
  fixtureUri,
  hasRule,
  lacksRule,
  lineOf,
  openFixture,
  ours,
  revertAndCloseAll,
  ruleId,
  sleep,
  waitFor,
  waitForDiagnostics,
} from './helpers';

suite('diagnostics', () => {
  teardown(revertAndCloseAll);

  for (const fx of EXPECTATIONS) {
    test(`${fx.file}: reports ${Object.keys(fx.expect).join(', ')} on open`, async () => {
      const { document: doc } = await openFixture(fx.file);
      const want = Object.keys(fx.expect);
      const ds = await waitForDiagnostics(doc.uri, (d) => want.every((r) => hasRule(r)(d)), `rules ${want.join(', ')}`);
      for (const [rule, line] of Object.entries(fx.expect)) {
        const d = ds.filter((x) => ruleId(x) === rule);
        if (line !== undefined) {
          assert.ok(
            d.some((x) => x.range.start.line === line),
            `${rule} expected on line ${line + 1} of ${fx.file}; got ${dump(doc.uri)}`,
          );
        }
      }
      for (const rule of fx.absent) {
        assert.ok(lacksRule(rule)(ds), `${rule} must not be reported for ${fx.file}; got ${dump(doc.uri)}`);
      }
    });
  }

  test('clean.dockerfile: no diagnostics at all', async () => {
    const { document: doc } = await openFixture('clean.dockerfile');
    // give the linter a fair chance to (wrongly) report something: first wait for the Dockerfile's
    // diagnostics to show the extension is linting, then settle past the debounce.
    await openFixture('Dockerfile');
    await waitForDiagnostics(fixtureUri('Dockerfile'), hasRule('latest-tag'), 'Dockerfile linted');
    await sleep(1000);
    assert.deepStrictEqual(ours(doc.uri).map((d) => `${ruleId(d)}@${d.range.start.line + 1}: ${d.message}`), []);
  });

  test('every diagnostic has source "Dockerfile Insight" and code {value: rule id, target: Uri}', async () => {
    const uris = ['Dockerfile', 'Containerfile', 'stages.dockerfile'].map(fixtureUri);
    for (const u of uris) await vscode.workspace.openTextDocument(u);
    const ds = (
      await Promise.all(uris.map((u) => waitForDiagnostics(u, (d) => d.length > 0, 'any diagnostic')))
    ).flat();
    assert.ok(ds.length >= 7, `expected at least 7 diagnostics over three files, got ${ds.length}`);
    for (const d of ds) {
      assert.strictEqual(d.source, SOURCE);
      assert.ok(d.code && typeof d.code === 'object', `code is an object: ${JSON.stringify(d.code)}`);
      const code = d.code as { value: string | number; target: vscode.Uri };
      assert.match(String(code.value), /^[a-z0-9-]+$/, 'rule id is kebab-case');
      assert.ok(code.target instanceof vscode.Uri, `code.target is a Uri for ${code.value}`);
      assert.ok(d.message.trim().length > 0, `${code.value} has a message`);
    }
  });

  test('diagnostics follow edits (USER 0 → root-user, second CMD → multiple-cmd)', async () => {
    const editor = await openFixture('clean.dockerfile');
    const doc = editor.document;
    await openFixture('Dockerfile');
    await waitForDiagnostics(fixtureUri('Dockerfile'), hasRule('latest-tag'), 'Dockerfile linted');
    await vscode.window.showTextDocument(doc);
    assert.deepStrictEqual(ours(doc.uri), [], 'clean before the edit');

    const userLine = lineOf(doc, 'USER app');
    const cmdLine = lineOf(doc, 'CMD');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, doc.lineAt(userLine).range, 'USER 0');
    edit.insert(doc.uri, doc.lineAt(cmdLine).range.end, '\nCMD ["node", "--version"]');
    assert.ok(await vscode.workspace.applyEdit(edit), 'edit applied');

    const ds = await waitForDiagnostics(doc.uri, (d) => hasRule('root-user')(d) && hasRule('multiple-cmd')(d), 'root-user and multiple-cmd after the edit', 10000);
    assert.ok(ds.some((d) => ruleId(d) === 'root-user' && d.range.start.line === userLine), `root-user on line ${userLine + 1}: ${dump(doc.uri)}`);

    // and back: undo the edit → clean again
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForDiagnostics(doc.uri, (d) => d.length === 0, 'no diagnostics after revert', 10000);
  });

  test('diagnostics are cleared when the document is closed', async () => {
    // A file nobody else opened: documents opened via openTextDocument stay alive in the extension
    // host for a while after their editor closes; one opened only in an editor ('vscode.open') does not.
    const uri = fixtureUri('closing.dockerfile');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('FROM alpine:latest\nRUN echo hi\n'));
    try {
      await vscode.commands.executeCommand('vscode.open', uri);
      await waitForDiagnostics(uri, hasRule('latest-tag'), 'latest-tag while open');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const closed = await waitFor(() => !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 30000);
      assert.ok(closed, 'the document was closed in the extension host');
      const cleared = await waitFor(() => ours(uri).length === 0, 5000);
      assert.ok(cleared, `diagnostics still there after close: ${dump(uri)}`);
    } finally {
      await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  });
});
