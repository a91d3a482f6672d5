/**
 * hadolint's configuration file as a layer below our project file and settings: the parser, precedence in the
 * analysis, the rule options it carries, and how the CLI finds it (spawning the built dist/cli.js).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, ConfigError, ConfigLayer, mergeRuleOptions, parseHadolintConfig, parseProjectConfig } from '../../src/core';

const parse = (text: string) => parseHadolintConfig('/p/.hadolint.yaml', text);

describe('hadolint configuration (.hadolint.yaml)', () => {
  describe('parser', () => {
    it('maps ignored and override lists to severities (style is a hint)', () => {
      const { config, problems } = parse([
        'ignored:',
        '  - DL3007',
        '  - SC2086',
        'override:',
        '  error: [DL3002]',
        '  warning:',
        '    - DL3006',
        '  info: [DL4000]',
        '  style: ["DL3025"]',
        'format: json',
        'no-color: true',
      ].join('\n'));
      assert.deepEqual(problems, []);
      assert.deepEqual(config.layer.rules, { dl3007: 'off', dl3002: 'error', dl3006: 'warning', dl4000: 'info', dl3025: 'hint' });
      assert.deepEqual(config.unknownCodes, ['SC2086'], 'ShellCheck codes are not mistakes, just not ours');
      assert.equal(config.layer.source, '/p/.hadolint.yaml');
    });

    it('a code under two levels gets the more severe one, and ignored beats override', () => {
      const { config } = parse('override:\n  info: [DL3002]\n  error: [DL3002]\n  warning: [DL3007]\nignored: [DL3007]\n');
      assert.deepEqual(config.layer.rules, { dl3002: 'error', dl3007: 'off' });
    });

    it('reads trustedRegistries (string or list, either spelling), label-schema and strict-labels as rule options', () => {
      assert.deepEqual(parse('trustedRegistries: docker.io\n').config.layer.options, { trustedRegistries: ['docker.io'] });
      assert.deepEqual(parse('trustedRegistries:\n  - docker.io\n  - "*.gcr.io"\n').config.layer.options, { trustedRegistries: ['docker.io', '*.gcr.io'] });
      assert.deepEqual(parse('trusted-registries: [quay.io]\n').config.layer.options, { trustedRegistries: ['quay.io'] });
      const { config } = parse('label-schema:\n  author: text\n  version: semver\nstrict-labels: true\n');
      assert.deepEqual(config.layer.options, { labelSchema: { author: 'text', version: 'semver' }, strictLabels: true });
    });

    it('maps failure-threshold (style and ignore are the lowest level; none never fails)', () => {
      const ft = (v: string) => parse(`failure-threshold: ${v}\n`).config.failureThreshold;
      assert.equal(ft('error'), 'error');
      assert.equal(ft('warning'), 'warning');
      assert.equal(ft('style'), 'hint');
      assert.equal(ft('ignore'), 'hint');
      assert.equal(ft('none'), 'none');
    });

    it('reports bad values as problems and keeps the good entries', () => {
      const { config, problems } = parse('ignored: DL3007\noverride:\n  fatal: [DL3002]\n  error: [DL3006]\nlabel-schema:\n  a: number\n  b: url\nstrict-labels: yes please\nfailure-threshold: high\ntrustedRegistries: [1]\n');
      assert.equal(problems.length, 5, problems.join('\n'));
      assert.match(problems.join('\n'), /unknown level "fatal"/);
      assert.match(problems.join('\n'), /label "a" has type "number"/);
      assert.match(problems.join('\n'), /strict-labels/);
      assert.match(problems.join('\n'), /failure-threshold/);
      assert.match(problems.join('\n'), /trustedRegistries/);
      assert.deepEqual(config.layer.rules, { dl3006: 'error', dl3007: 'off' }, 'a single code as a string is accepted');
      assert.deepEqual(config.layer.options?.labelSchema, { b: 'url' });
    });

    it('an empty file or one with only comments is an empty configuration', () => {
      for (const text of ['', '\n', '# nothing yet\n', '---\n', '\uFEFF# bom\n']) {
        const { config, problems } = parse(text);
        assert.deepEqual(config.layer.rules, {});
        assert.deepEqual(problems, []);
      }
    });

    it('throws ConfigError (naming the file) for invalid YAML or a document that is not a mapping', () => {
      assert.throws(() => parse('ignored: [DL3007\n'), (e: unknown) => e instanceof ConfigError && /\.hadolint\.yaml: not valid YAML/.test(e.message));
      assert.throws(() => parse('- DL3007\n'), ConfigError);
      assert.throws(() => parse('just a string\n'), ConfigError);
    });
  });

  describe('precedence and options in the analysis', () => {
    const hadolint = (text: string): ConfigLayer => parse(text).config.layer;
    const project = (json: string): ConfigLayer => {
      const { config, problems } = parseProjectConfig('/p/.dockerfile-insight.json', json);
      assert.deepEqual(problems, []);
      return { source: 'project', rules: config.rules, options: config.options };
    };

    it('ignored and override apply to the findings that carry the code', () => {
      const text = 'FROM ubuntu:latest\nUSER root\n';
      const d = analyze(text, { layers: [hadolint('ignored: [DL3007]\noverride:\n  error: [DL3002]\n')] }).diagnostics;
      assert.equal(d.filter((x) => x.ruleId === 'latest-tag').length, 0);
      assert.equal(d.find((x) => x.ruleId === 'root-user')?.severity, 'error');
    });

    it('our project file and settings win over .hadolint.yaml', () => {
      const text = 'FROM ubuntu:latest\nUSER root\n';
      const layers = [hadolint('ignored: [DL3007, DL3002]\n'), project('{ "rules": { "latest-tag": "error" } }'), { source: 'settings', rules: { 'root-user': 'hint' } } as ConfigLayer];
      const d = analyze(text, { layers }).diagnostics;
      assert.equal(d.find((x) => x.ruleId === 'latest-tag')?.severity, 'error');
      assert.equal(d.find((x) => x.ruleId === 'root-user')?.severity, 'hint');
    });

    it('trustedRegistries turns untrusted-registry on; the project file replaces the list', () => {
      const text = 'FROM quay.io/a/b:1\n';
      const h = hadolint('trustedRegistries: [docker.io]\n');
      assert.equal(analyze(text, { layers: [h] }).diagnostics.filter((x) => x.ruleId === 'untrusted-registry').length, 1);
      const p = project('{ "trustedRegistries": ["quay.io"] }');
      assert.equal(analyze(text, { layers: [h, p] }).diagnostics.filter((x) => x.ruleId === 'untrusted-registry').length, 0);
      assert.deepEqual(mergeRuleOptions([h, p]), { trustedRegistries: ['quay.io'] });
      // ignoring DL3026 in hadolint's own file silences it as hadolint would.
      assert.equal(analyze(text, { layers: [hadolint('trustedRegistries: [docker.io]\nignored: [DL3026]\n')] }).diagnostics.filter((x) => x.ruleId === 'untrusted-registry').length, 0);
    });

    it('a label-schema turns the label-schema rule on; override of DL3057 turns missing-healthcheck on', () => {
      const labels = analyze('FROM a:1\nLABEL version=one\n', { layers: [hadolint('label-schema:\n  version: semver\n')] }).diagnostics.filter((x) => x.ruleId === 'label-schema');
      assert.deepEqual(labels.map((x) => x.aliases.hadolint), ['DL3056']);
      const hc = analyze('FROM a:1\n', { layers: [hadolint('override:\n  warning: [DL3057]\n')] }).diagnostics.filter((x) => x.ruleId === 'missing-healthcheck');
      assert.deepEqual(hc.map((x) => x.severity), ['warning']);
    });

    it('the project file accepts trustedRegistries, labelSchema and strictLabels, and reports bad values', () => {
      const { config, problems } = parseProjectConfig('p.json', '{ "trustedRegistries": "docker.io", "labelSchema": { "v": "semver" }, "strictLabels": false }');
      assert.deepEqual(problems, []);
      assert.deepEqual(config.options, { trustedRegistries: ['docker.io'], labelSchema: { v: 'semver' }, strictLabels: false });
      const bad = parseProjectConfig('p.json', '{ "trustedRegistries": 3, "labelSchema": { "v": "date" }, "strictLabels": "yes" }');
      assert.equal(bad.problems.length, 3, bad.problems.join('\n'));
    });
  });

  describe('CLI', function () {
    const root = path.resolve(__dirname, '..', '..', '..');
    const cliPath = path.join(root, 'dist', 'cli.js');
    let tmp = '';
    before(function () {
      if (!fs.existsSync(cliPath)) throw new Error('dist/cli.js is missing: run npm run build first');
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'di-hadolint-'));
    });
    after(function () {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });
    const write = (rel: string, text: string) => {
      const p = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
      return p;
    };
    const lintJson = (args: string[]) => {
      const r = spawnSync(process.execPath, [cliPath, 'lint', '--format', 'json', ...args], { cwd: tmp, encoding: 'utf8' });
      return { status: r.status, findings: r.stdout ? JSON.parse(r.stdout) as Array<{ ruleId: string; severity: string }> : [], stderr: r.stderr };
    };

    it('finds the nearest .hadolint.yaml above each Dockerfile and applies it below the project file', function () {
      write('a/.hadolint.yaml', 'ignored: [DL3007]\nfailure-threshold: error\n');
      const df = write('a/sub/Dockerfile', 'FROM ubuntu:latest\nUSER 1000\n');
      const r = lintJson([df]);
      assert.equal(r.findings.filter((f) => f.ruleId === 'latest-tag').length, 0, r.stderr);
      assert.equal(r.status, 0, 'failure-threshold: error, and no errors');
      write('a/sub/.dockerfile-insight.json', '{ "rules": { "latest-tag": "warning" }, "failureThreshold": "warning" }');
      const r2 = lintJson([df]);
      assert.equal(r2.findings.filter((f) => f.ruleId === 'latest-tag').length, 1, 'the project file wins');
      assert.equal(r2.status, 1, 'the project file threshold wins');
    });

    it('.hadolint.yml works too, and a broken file is a usage error naming it', function () {
      write('b/.hadolint.yml', 'override:\n  error: [DL3002]\n');
      const df = write('b/Dockerfile', 'FROM ubuntu:24.04\nUSER root\n');
      const r = lintJson([df]);
      assert.equal(r.findings.find((f) => f.ruleId === 'root-user')?.severity, 'error');
      write('b/.hadolint.yml', 'override: [\n');
      const bad = spawnSync(process.execPath, [cliPath, 'lint', df], { cwd: tmp, encoding: 'utf8' });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /\.hadolint\.yml: not valid YAML/);
    });
  });
});
