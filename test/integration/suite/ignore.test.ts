import * as assert from 'assert';
import { dump, hasRule, openFixture, revertAndCloseAll, ruleId, waitForDiagnostics } from './helpers';

suite('inline ignore comments', () => {
  suiteTeardown(revertAndCloseAll);

  test('"# dockerfile-insight ignore=latest-tag" and "# hadolint ignore=DL3007" silence latest-tag on the next instruction only', async () => {
    const { document: doc } = await openFixture('ignore.dockerfile');
    // line 5 `FROM alpine:latest AS tools` has no ignore comment: the rule is on, and it is reported there
    const ds = await waitForDiagnostics(doc.uri, hasRule('latest-tag'), 'latest-tag on the un-ignored FROM');
    const lines = ds.filter((d) => ruleId(d) === 'latest-tag').map((d) => d.range.start.line);
    assert.deepStrictEqual(lines, [4], `latest-tag only on line 5; got ${dump(doc.uri)}`);
  });
});
