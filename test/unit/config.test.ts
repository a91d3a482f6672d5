import assert from 'node:assert/strict';
import { analyze, ConfigError, parseProjectConfig, suppressionFix, validateRules, buildModel, SeveritySetting } from '../../src/core';
import { applyFix, lint } from './helpers';

const ROOT = 'FROM ubuntu:latest AS Build\nUSER root\n';

describe('configuration and pragmas', () => {
  describe('inline pragmas', () => {
    it('our ignore comment suppresses the next instruction only', () => {
      const text = '# dockerfile-insight ignore=latest-tag\nFROM ubuntu:latest\nFROM node:latest\n';
      const f = lint(text).filter((d) => d.ruleId === 'latest-tag');
      assert.deepEqual(f.map((d) => d.range.start.line), [2]);
    });

    it('accepts several ids, tool codes, and comments/blank lines in between', () => {
      const text = '# dockerfile-insight ignore=DL3007, stage-name-casing\n\n# another comment\nFROM ubuntu:latest AS Build\n';
      assert.deepEqual(lint(text).filter((d) => d.ruleId !== 'missing-user'), []);
    });

    it("hadolint's ignore and global ignore match by alias", () => {
      assert.equal(lint('# hadolint ignore=DL3007\nFROM ubuntu:latest\n').filter((d) => d.ruleId === 'latest-tag').length, 0);
      assert.equal(lint('# hadolint ignore=DL3006\nFROM ubuntu:latest\n').filter((d) => d.ruleId === 'latest-tag').length, 1, 'DL3006 is the untagged case only');
      assert.equal(lint('# hadolint global ignore=DL3002\nFROM a:1\nRUN x\nUSER root\n').filter((d) => d.ruleId === 'root-user').length, 0);
    });

    it('a global ignore of our id works anywhere in the file', () => {
      assert.equal(lint('FROM a:1\n# dockerfile-insight global ignore=missing-user\nRUN x\n').filter((d) => d.ruleId === 'missing-user').length, 0);
    });

    it("Trivy codes match in either spelling", () => {
      assert.equal(lint('# dockerfile-insight global ignore=DS002\nFROM a:1\nUSER root\n').filter((d) => d.ruleId === 'root-user').length, 0);
    });

    it("BuildKit's # check=skip= and error=true", () => {
      const skip = lint('# check=skip=StageNameCasing\n' + ROOT);
      assert.equal(skip.filter((d) => d.ruleId === 'stage-name-casing').length, 0);
      assert.equal(skip.filter((d) => d.ruleId === 'latest-tag').length, 1, 'non-BuildKit rules are untouched');
      const all = lint('# check=skip=all\nFROM a:1 as Build\n');
      assert.equal(all.filter((d) => d.aliases.buildkit).length, 0);
      const err = lint('# check=error=true\nFROM a:1 AS Build\n');
      assert.equal(err.find((d) => d.ruleId === 'stage-name-casing')?.severity, 'error');
    });

    it('an ignore comment inside a continued instruction does not leak to the next one', () => {
      const text = 'FROM a:1\nRUN echo \\\n# hadolint ignore=DL3007\n  done\nFROM node:latest\n';
      assert.equal(lint(text).filter((d) => d.ruleId === 'latest-tag').length, 1);
    });

    it('suppression fix inserts our comment, or extends an existing one', () => {
      const text = 'FROM a:1\n  USER root\n';
      const model = buildModel(text);
      const fix = suppressionFix(model, 'root-user', 1)!;
      const once = applyFix(text, fix);
      assert.equal(once, 'FROM a:1\n  # dockerfile-insight ignore=root-user\n  USER root\n');
      assert.equal(lint(once).filter((d) => d.ruleId === 'root-user').length, 0);
      const text2 = 'FROM ubuntu:latest\n# dockerfile-insight ignore=root-user\nUSER root\n';
      const twice = applyFix(text2, suppressionFix(buildModel(text2), 'syntax-error', 2)!);
      assert.match(twice, /# dockerfile-insight ignore=root-user,syntax-error\nUSER root/);
    });
  });

  describe('layers', () => {
    it('turns rules off and changes severity, by id or by tool code; later layers win', () => {
      const layers = [
        { source: 'project', rules: { 'latest-tag': 'error', 'stage-name-casing': 'off' } as Record<string, SeveritySetting> },
        { source: 'settings', rules: { 'root-user': 'hint' } as Record<string, SeveritySetting> },
      ];
      const d = analyze(ROOT, { layers }).diagnostics;
      assert.equal(d.find((x) => x.ruleId === 'latest-tag')?.severity, 'error');
      assert.equal(d.find((x) => x.ruleId === 'root-user')?.severity, 'hint');
      assert.equal(d.find((x) => x.ruleId === 'stage-name-casing'), undefined);
      const later = analyze(ROOT, { layers: [...layers, { source: 'settings', rules: { 'latest-tag': 'off' } }] }).diagnostics;
      assert.equal(later.find((x) => x.ruleId === 'latest-tag'), undefined);
      const byCode = analyze(ROOT, { layers: [{ source: 's', rules: { dl3007: 'info' } }] }).diagnostics;
      assert.equal(byCode.find((x) => x.ruleId === 'latest-tag')?.severity, 'info');
    });

    it('validates rule settings with clear messages', () => {
      const { rules, problems } = validateRules('settings', { 'root-user': 'error', 'no-such-rule': 'off', 'latest-tag': 'loud', DL3007: 'warning' });
      assert.deepEqual(rules, { 'root-user': 'error', dl3007: 'warning' });
      assert.equal(problems.length, 2);
      assert.match(problems[0], /unknown rule "no-such-rule"/);
      assert.match(problems[1], /"latest-tag" has severity "loud"/);
      assert.match(validateRules('settings', ['x']).problems[0], /must be an object/);
    });

    it('parses the project file and rejects bad JSON', () => {
      const { config, problems } = parseProjectConfig('p.json', '{"rules":{"root-user":"off"},"failureThreshold":"error","extra":1}');
      assert.deepEqual(config, { rules: { 'root-user': 'off' }, failureThreshold: 'error' });
      assert.match(problems[0], /unknown key "extra"/);
      assert.throws(() => parseProjectConfig('p.json', '{nope'), (e: unknown) => e instanceof ConfigError && /p\.json: not valid JSON/.test(e.message));
      assert.throws(() => parseProjectConfig('p.json', '[]'), ConfigError);
    });
  });

  describe('robustness', () => {
    it('skips huge texts with a clear message instead of hanging', () => {
      const r = analyze('RUN x\n'.repeat(1_500_000));
      assert.ok(r.skipped && /MB/.test(r.skipped));
      assert.equal(r.diagnostics.length, 0);
    });

    it('continues when a rule throws, and reports the rule', () => {
      const r = analyze('FROM a:1\n', { rules: [{ id: 'boom', category: 'style', severity: 'info', aliases: {}, title: 'explodes on purpose', fixable: false, check: () => { throw new Error('kaboom'); } }] });
      assert.equal(r.ruleErrors.length, 1);
      assert.equal(r.ruleErrors[0].ruleId, 'boom');
    });
  });
});
