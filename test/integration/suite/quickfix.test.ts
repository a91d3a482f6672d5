import * as assert from 'assert';
import * as vscode from 'vscode';
import { dump, hasRule, lacksRule, openFixture, ours, revertAndCloseAll, ruleId, waitFor, waitForDiagnostics } from './helpers';

/**
 * Asks for the code actions at our `rule` diagnostic in `file` and applies quick fixes one by one
 * until one makes that diagnostic go away. ('vscode.executeCodeActionProvider' does not return an
 * action's `diagnostics`, so which action fixes which rule is found out by trying.)
 */
async function applyFixFor(file: string, rule: string, likelyTitle: RegExp) {
  const editor = await openFixture(file);
  const doc = editor.document;
  const diag = (await waitForDiagnostics(doc.uri, hasRule(rule), rule)).find((d) => ruleId(d) === rule)!;
  const offered =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diag.range,
    )) ?? [];
  const titles = offered.map((a) => a.title);
  const fixes = offered.filter(
    (a): a is vscode.CodeAction =>
      !(typeof (a as vscode.Command).command === 'string') &&
      !!(a as vscode.CodeAction).edit &&
      (!(a as vscode.CodeAction).kind || vscode.CodeActionKind.QuickFix.contains((a as vscode.CodeAction).kind!)),
  );
  assert.ok(fixes.length > 0, `quick fixes with an edit at the ${rule} diagnostic; offered: ${JSON.stringify(titles)}`);
  // try real fixes before suppressions, the likeliest title first (only an ordering: all are tried)
  const rank = (a: vscode.CodeAction) => (/suppress|ignore|disable/i.test(a.title) ? 2 : 0) + (likelyTitle.test(a.title) ? 0 : 1);
  fixes.sort((a, b) => rank(a) - rank(b));
  const original = doc.getText();
  for (const fix of fixes) {
    assert.ok(await vscode.workspace.applyEdit(fix.edit!), `applied "${fix.title}"`);
    if (await waitFor(() => doc.getText() !== original && lacksRule(rule)(ours(doc.uri)), 5000)) return { doc, fix, titles };
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForDiagnostics(doc.uri, hasRule(rule), `${rule} back after reverting "${fix.title}"`);
  }
  assert.fail(`no quick fix removed the ${rule} diagnostic; tried ${JSON.stringify(fixes.map((f) => f.title))}; now ${dump(doc.uri)}`);
}

suite('quick fixes', () => {
  teardown(revertAndCloseAll);

  test('latest-tag: applying a fix makes the diagnostic go away', async () => {
    const { doc, fix, titles } = await applyFixFor('Dockerfile', 'latest-tag', /tag|pin|version|digest/i);
    console.log(`    offered ${JSON.stringify(titles)}; applied "${fix.title}"`);
    assert.match(doc.getText(), /^FROM\s+ubuntu\b/m, 'still FROM ubuntu');
    await waitForDiagnostics(doc.uri, hasRule('root-user'), 'the other diagnostics stay', 3000);
  });

  test('missing-user: a fix adds a USER and neither missing-user nor root-user remain', async () => {
    const { doc, fix, titles } = await applyFixFor('Containerfile', 'missing-user', /user/i);
    console.log(`    offered ${JSON.stringify(titles)}; "${fix.title}"`);
    assert.match(doc.getText(), /^\s*USER\s+\S+/im, 'a USER instruction was added');
    await waitForDiagnostics(doc.uri, lacksRule('root-user'), 'no root-user after the fix', 3000);
  });
});
