import * as assert from 'assert';
import * as vscode from 'vscode';
import { dump, fixtureUri, hasRule, lacksRule, ours, revertAndCloseAll, ruleId, waitForDiagnostics } from './helpers';

const S = vscode.DiagnosticSeverity;
const enc = (s: string) => new TextEncoder().encode(s);

suite('.hadolint.yaml', () => {
  const dir = () => fixtureUri('hadolint-project');
  const config = () => vscode.Uri.joinPath(dir(), '.hadolint.yaml');
  const dockerfile = () => vscode.Uri.joinPath(dir(), 'Dockerfile');
  const severityOf = (rule: string) => ours(dockerfile()).find((d) => ruleId(d) === rule)?.severity;

  suiteSetup(async () => {
    await vscode.workspace.fs.createDirectory(dir());
    await vscode.workspace.fs.writeFile(config(), enc('ignored:\n  - DL3007\noverride:\n  error:\n    - DL3002\ntrustedRegistries:\n  - registry.example.com\n'));
    await vscode.workspace.fs.writeFile(dockerfile(), enc('FROM ubuntu:latest\nUSER root\n'));
  });
  suiteTeardown(async () => {
    await revertAndCloseAll();
    await vscode.workspace.fs.delete(dir(), { recursive: true, useTrash: false });
  });

  test('ignored, override and trustedRegistries apply to the Dockerfiles below it', async () => {
    const doc = await vscode.workspace.openTextDocument(dockerfile());
    await vscode.window.showTextDocument(doc, { preview: false });
    await waitForDiagnostics(dockerfile(), (d) => hasRule('root-user')(d) && hasRule('untrusted-registry')(d), 'root-user and untrusted-registry');
    assert.ok(lacksRule('latest-tag')(ours(dockerfile())), dump(dockerfile()));
    assert.strictEqual(severityOf('root-user'), S.Error, dump(dockerfile()));
  });

  test('an edit of the file is picked up', async () => {
    await vscode.workspace.fs.writeFile(config(), enc('override:\n  error:\n    - DL3002\n'));
    await waitForDiagnostics(dockerfile(), (d) => hasRule('latest-tag')(d) && lacksRule('untrusted-registry')(d), 'latest-tag back, no registry list');
  });
});
