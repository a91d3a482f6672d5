import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  dump,
  fixtureUri,
  hasRule,
  lacksRule,
  openFixture,
  ours,
  revertAndCloseAll,
  ruleId,
  setRules,
  waitForDiagnostics,
} from './helpers';

const S = vscode.DiagnosticSeverity;
const severityOf = (uri: vscode.Uri, rule: string) => ours(uri).find((d) => ruleId(d) === rule)?.severity;

suite('setting dockerfileInsight.rules', () => {
  let dockerfile: vscode.Uri;
  let containerfile: vscode.Uri;
  let baseline: vscode.DiagnosticSeverity | undefined;

  suiteSetup(async () => {
    dockerfile = fixtureUri('Dockerfile');
    containerfile = fixtureUri('Containerfile');
    await vscode.workspace.openTextDocument(containerfile);
    await openFixture('Dockerfile');
    await waitForDiagnostics(dockerfile, (d) => hasRule('latest-tag')(d) && hasRule('root-user')(d), 'defaults');
    await waitForDiagnostics(containerfile, hasRule('multiple-cmd'), 'defaults');
    baseline = severityOf(dockerfile, 'latest-tag');
  });
  suiteTeardown(async () => {
    await setRules(undefined);
    await revertAndCloseAll();
  });

  test('changes severities and turns rules off, live', async () => {
    await setRules({ 'latest-tag': 'error', 'root-user': 'off', 'multiple-cmd': 'hint' });
    await waitForDiagnostics(dockerfile, (d) => severityOf(dockerfile, 'latest-tag') === S.Error && lacksRule('root-user')(d), 'latest-tag=error, root-user=off');
    await waitForDiagnostics(containerfile, () => severityOf(containerfile, 'multiple-cmd') === S.Hint, 'multiple-cmd=hint');

    await setRules({ 'latest-tag': 'info', 'relative-workdir': 'warning' });
    await waitForDiagnostics(dockerfile, (d) => severityOf(dockerfile, 'latest-tag') === S.Information && hasRule('root-user')(d), 'latest-tag=info, root-user back');
    await waitForDiagnostics(containerfile, () => severityOf(containerfile, 'relative-workdir') === S.Warning, 'relative-workdir=warning');
  });

  test('removing the setting restores the defaults', async () => {
    await setRules(undefined);
    await waitForDiagnostics(dockerfile, (d) => severityOf(dockerfile, 'latest-tag') === baseline && hasRule('root-user')(d), 'defaults again');
    assert.strictEqual(severityOf(dockerfile, 'latest-tag'), baseline, dump(dockerfile));
  });
});
