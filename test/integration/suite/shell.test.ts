import * as assert from 'assert';
import * as vscode from 'vscode';
import { dump, hasRule, openFixture, ours, revertAndCloseAll, ruleId, waitFor, waitForDiagnostics } from './helpers';

/**
 * The shell parser for RUN (src/core/shellSyntax.ts) through the real extension host: rules that read RUN scripts
 * report at the exact word, inside continuation lines, `sh -c` strings, command substitutions, `if` bodies and a
 * heredoc script, never for a quoted word; and a quick fix computed from the parse edits the right text.
 */
suite('shell scripts of RUN', () => {
  teardown(revertAndCloseAll);

  const at = (d: vscode.Diagnostic) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

  test('sudo-in-run is reported on each real sudo, at its word, and not on a quoted "sudo"', async () => {
    const { document: doc } = await openFixture('shell.dockerfile');
    const ds = await waitForDiagnostics(doc.uri, (d) => d.filter((x) => ruleId(x) === 'sudo-in-run').length >= 4, 'four sudo-in-run');
    const sudo = ds.filter((d) => ruleId(d) === 'sudo-in-run').map(at).sort();
    // line 1: top level; line 2: inside `sh -c '...'` on a continuation line; line 6: `$(... "$(sudo id -u)")` in
    // the heredoc script; line 7: inside `if ... then ... fi`. Line 6's `"sudo is only a word here"` is not one.
    assert.deepEqual(sudo, ['1:4-1:8', '2:25-2:29', '6:49-6:53', '7:21-7:25'], dump(doc.uri));
    for (const d of ds.filter((x) => ruleId(x) === 'sudo-in-run')) assert.equal(doc.getText(d.range), 'sudo');
    assert.ok(hasRule('cd-in-run')(ds), `cd inside the sh -c string; got ${dump(doc.uri)}`);
  });

  test('the sudo-in-run quick fix removes exactly the sudo word', async () => {
    const editor = await openFixture('shell.dockerfile');
    const doc = editor.document;
    const ds = await waitForDiagnostics(doc.uri, hasRule('sudo-in-run'), 'sudo-in-run');
    const first = ds.filter((d) => ruleId(d) === 'sudo-in-run').sort((a, b) => a.range.start.line - b.range.start.line)[0];
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, first.range)) ?? [];
    const fix = actions.find((a) => a.edit && !/suppress|ignore/i.test(a.title) && /sudo/i.test(a.title));
    assert.ok(fix, `a sudo fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(doc.lineAt(1).text, 'RUN apt-get update && apt-get install -y --no-install-recommends curl \\');
    const gone = await waitFor(() => !ours(doc.uri).some((d) => ruleId(d) === 'sudo-in-run' && d.range.start.line === 1), 5000);
    assert.ok(gone, `no sudo-in-run left on line 2; got ${dump(doc.uri)}`);
  });
});
