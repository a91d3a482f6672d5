import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, hasRule, openFixture, revertAndCloseAll, waitForDiagnostics } from './helpers';

const COMMANDS = ['dockerfileInsight.lintActiveFile', 'dockerfileInsight.showRules'];

suite('commands', () => {
  suiteSetup(async () => {
    await openFixture('Dockerfile');
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  suiteTeardown(revertAndCloseAll);

  test('both commands are registered', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    for (const c of COMMANDS) assert.ok(all.has(c), `${c} is registered`);
  });

  test('both commands are contributed in package.json', () => {
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes?.commands ?? []).map(
      (c: { command: string }) => c.command,
    );
    for (const c of COMMANDS) assert.ok(contributed.includes(c), `${c} is in contributes.commands`);
  });

  test('lintActiveFile runs on the active Dockerfile', async () => {
    const editor = await openFixture('Dockerfile');
    await vscode.commands.executeCommand('dockerfileInsight.lintActiveFile');
    await waitForDiagnostics(editor.document.uri, hasRule('latest-tag'), 'latest-tag after lintActiveFile');
  });
});
