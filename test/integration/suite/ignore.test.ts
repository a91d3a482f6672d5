import * as assert from 'assert';
import * as vscode from 'vscode';
import { dump, hasRule, openFixture, revertAndCloseAll, ruleId, waitForDiagnostics } from './helpers';

// ignore.dockerfile: four `FROM <image>:latest`; three of them have an ignore comment on the line before.
suite('inline ignore comments', () => {
  let uri: vscode.Uri;
  let latestLines: number[];

  suiteSetup(async () => {
    const { document: doc } = await openFixture('ignore.dockerfile');
    uri = doc.uri;
    // line 5 `FROM alpine:latest AS tools` has no ignore comment: the rule is on, and reported there
    const ds = await waitForDiagnostics(uri, hasRule('latest-tag'), 'latest-tag on the un-ignored FROM');
    latestLines = ds.filter((d) => ruleId(d) === 'latest-tag').map((d) => d.range.start.line);
  });
  suiteTeardown(revertAndCloseAll);

  test('without a comment, latest-tag is reported (line 5, control)', () => {
    assert.ok(latestLines.includes(4), `latest-tag on line 5; got ${dump(uri)}`);
  });

  test('"# dockerfile-insight ignore=latest-tag" silences the next instruction (line 9)', () => {
    assert.ok(!latestLines.includes(8), `no latest-tag on line 9; got ${dump(uri)}`);
  });

  test('"# hadolint ignore=DL3007" silences the next instruction (line 13)', () => {
    assert.ok(!latestLines.includes(12), `no latest-tag on line 13; got ${dump(uri)}`);
  });

  test('an ignore comment on the first line of the file works too (line 2)', () => {
    assert.ok(!latestLines.includes(1), `no latest-tag on line 2; got ${dump(uri)}`);
  });
});
