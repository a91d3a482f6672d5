/**
 * End-to-end tests of the command-line interface: they spawn `node dist/cli.js` (built by `npm run build`) on
 * files and folders made under os.tmpdir(), and check exit codes, output shapes, and SARIF validity against the
 * official OASIS SARIF 2.1.0 JSON schema (test/fixtures/sarif-schema-2.1.0.json).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { RULES } from '../../src/core';
import { projectRoot } from './helpers';

/** The project root (the folder with package.json and tsconfig.test.json), found from out/test/unit. */

const ROOT = projectRoot();
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SCHEMA_FILE = path.join(ROOT, 'test', 'fixtures', 'sarif-schema-2.1.0.json');
const CONFIG_NAME = '.dockerfile-insight.json';

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface JsonFinding {
  file: string;
  ruleId: string;
  aliases: { hadolint?: string; buildkit?: string; trivy?: string };
  severity: 'error' | 'warning' | 'info' | 'hint';
  category: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

let tmp = '';

/** Runs the CLI with an argument array (never through a shell). */
function cli(args: string[], opts: { cwd?: string; input?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? tmp,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  assert.equal(r.signal, null, `the CLI was killed by ${r.signal}\nstderr: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A run that ended on its own terms: exit 0, 1 or 2 and no stack trace or internal error. */
function assertNoCrash(r: RunResult, what: string): void {
  assert.ok(r.status === 0 || r.status === 1 || r.status === 2, `${what}: exit status ${r.status}\nstderr: ${r.stderr}`);
  const all = r.stdout + r.stderr;
  assert.doesNotMatch(all, /^\s+at .+:\d+:\d+\)?$/m, `${what}: printed a stack trace:\n${all}`);
  assert.doesNotMatch(all, /internal error/i, `${what}: reported an internal error:\n${all}`);
}

function usageError(r: RunResult, what: string, mentions?: RegExp | string): void {
  assertNoCrash(r, what);
  assert.equal(r.status, 2, `${what}: expected exit 2, got ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.ok(r.stderr.trim().length > 0, `${what}: a usage error must say what is wrong on stderr`);
  if (mentions !== undefined) {
    if (typeof mentions === 'string') assert.ok(r.stderr.includes(mentions), `${what}: stderr should mention ${JSON.stringify(mentions)}:\n${r.stderr}`);
    else assert.match(r.stderr, mentions, `${what}: stderr`);
  }
}

function lintJson(args: string[], opts: { cwd?: string; input?: string } = {}): { r: RunResult; findings: JsonFinding[] } {
  const r = cli(['lint', '--format', 'json', ...args], opts);
  assertNoCrash(r, `lint --format json ${args.join(' ')}`);
  let findings: JsonFinding[];
  try {
    findings = JSON.parse(r.stdout) as JsonFinding[];
  } catch (e) {
    throw new Error(`stdout is not JSON (${(e as Error).message}):\n${r.stdout}\nstderr: ${r.stderr}`);
  }
  assert.ok(Array.isArray(findings), 'JSON output is an array');
  return { r, findings };
}

/** Writes a file (creating folders) under the temp dir and returns its absolute path. */
function write(rel: string, text: string | Uint8Array): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

/** Bytes from text and byte values (Uint8Array rather than Buffer: @types/node 20 Buffers do not type-check with TS 5.9). */
function bytes(...parts: Array<string | number[]>): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A fresh sub-folder of the temp dir, so config files of one test cannot reach another. */
function freshDir(name: string): string {
  const d = path.join(tmp, name);
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/** The source text a 0-based range covers. */
function covered(text: string, range: JsonFinding['range']): string {
  const lines = text.split(/\r\n|\r|\n/);
  const { start, end } = range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  const parts = [lines[start.line].slice(start.character)];
  for (let l = start.line + 1; l < end.line; l++) parts.push(lines[l]);
  parts.push(lines[end.line].slice(0, end.character));
  return parts.join('\n');
}

const posix = (p: string) => p.split(path.sep).join('/');
const ids = (list: JsonFinding[]) => list.map((f) => f.ruleId);

// A Dockerfile with one finding of each severity-relevant rule, and the text each finding's range must cover.
const MULTI = [
  'FROM ubuntu:latest AS Build', // 0: latest-tag "ubuntu:latest" (warning), stage-name-casing "Build" (info)
  'WORKDIR app', //                 1: relative-workdir "app" (warning)
  'CMD ["a"]', //                   2: multiple-cmd "CMD ["a"]" (warning); exec form, so no json-args-recommended
  'CMD ["b"]', //                   3
  'COPY --from=nosuch /a /b', //    4: copy-from-unknown-stage "nosuch" (error)
  'USER root', //                   5: root-user "root" (warning)
  'FOO bar', //                     6: syntax-error "FOO" (error)
  '',
].join('\n');
const MULTI_EXPECTED: Record<string, { line: number; text: string }> = {
  'latest-tag': { line: 0, text: 'ubuntu:latest' },
  'stage-name-casing': { line: 0, text: 'Build' },
  'relative-workdir': { line: 1, text: 'app' },
  'multiple-cmd': { line: 2, text: 'CMD ["a"]' },
  'copy-from-unknown-stage': { line: 4, text: 'nosuch' },
  'root-user': { line: 5, text: 'root' },
  'syntax-error': { line: 6, text: 'FOO' },
};

// Only an info finding (stage-name-casing); only warnings; an error.
const INFO_ONLY = 'FROM alpine:3.19 AS Build\nUSER app\n';
const WARNING_ONLY = 'FROM ubuntu:latest\nUSER app\n';
const CLEAN = 'FROM alpine:3.19\nRUN apk add --no-cache curl=8.5.0-r0\nUSER app\n';

describe('CLI (node dist/cli.js)', function () {
  this.timeout(60_000);

  before(function () {
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run "npm run build" first (npm run test:unit does)`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dfi-cli-'));
    // A config file above the temp dir would change every result below: refuse to run with one.
    for (let d = path.dirname(tmp); ; d = path.dirname(d)) {
      assert.ok(!fs.existsSync(path.join(d, CONFIG_NAME)), `${path.join(d, CONFIG_NAME)} exists and would apply to these tests' files`);
      if (path.dirname(d) === d) break;
    }
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('--version, --help and commands', function () {
    it('--version prints the package.json version and exits 0', function () {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
      const r = cli(['--version']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), pkg.version);
    });

    it('--help prints usage for lint and rules and exits 0', function () {
      const r = cli(['--help']);
      assert.equal(r.status, 0, r.stderr);
      for (const s of ['lint', 'rules', '--format', '--config', '--failure-threshold', '--target', '--build-arg']) {
        assert.ok(r.stdout.includes(s), `--help should mention ${s}:\n${r.stdout}`);
      }
    });

    it('no arguments at all is a usage error (exit 2)', function () {
      const r = cli([]);
      assertNoCrash(r, 'no arguments');
      assert.equal(r.status, 2);
    });

    it('an unknown command is a usage error naming it', function () {
      usageError(cli(['frobnicate']), 'unknown command', 'frobnicate');
    });
  });

  describe('lint exit codes', function () {
    it('exits 0 on a clean Dockerfile', function () {
      write('exit/clean/Dockerfile', CLEAN);
      const r = cli(['lint', 'exit/clean/Dockerfile']);
      assertNoCrash(r, 'clean');
      assert.equal(r.status, 0, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    });

    it('exits 1 when there are findings', function () {
      write('exit/warn/Dockerfile', WARNING_ONLY);
      const r = cli(['lint', 'exit/warn/Dockerfile']);
      assertNoCrash(r, 'findings');
      assert.equal(r.status, 1);
      assert.match(r.stdout, /latest-tag/);
      assert.match(r.stdout, /exit[\\/]warn[\\/]Dockerfile:1:6/, 'text output gives file:line:column (1-based)');
    });

    it('--failure-threshold decides between 1 and 0', function () {
      write('exit/info/Dockerfile', INFO_ONLY);
      write('exit/warn/Dockerfile', WARNING_ONLY);
      write('exit/error/Dockerfile', 'FROM alpine:3.19\nUSER app\nFOO bar\n');
      const cases: Array<[string, string | undefined, number]> = [
        ['info', undefined, 1], // default threshold: info
        ['info', 'info', 1],
        ['info', 'warning', 0],
        ['info', 'error', 0],
        ['info', 'none', 0],
        ['warn', 'info', 1],
        ['warn', 'warning', 1],
        ['warn', 'error', 0],
        ['warn', 'none', 0],
        ['error', 'error', 1],
        ['error', 'none', 0],
      ];
      for (const [kind, threshold, expected] of cases) {
        const args = ['lint', ...(threshold ? ['--failure-threshold', threshold] : []), `exit/${kind}/Dockerfile`];
        const r = cli(args);
        assertNoCrash(r, args.join(' '));
        assert.equal(r.status, expected, `${args.join(' ')}: exit ${r.status}, expected ${expected}\n${r.stdout}${r.stderr}`);
      }
      // The --flag=value spelling works too.
      assert.equal(cli(['lint', '--failure-threshold=error', 'exit/warn/Dockerfile']).status, 0);
    });

    it('findings under the threshold are still printed', function () {
      write('exit/info/Dockerfile', INFO_ONLY);
      const { r, findings } = lintJson(['--failure-threshold', 'error', 'exit/info/Dockerfile']);
      assert.equal(r.status, 0);
      assert.deepEqual(ids(findings), ['stage-name-casing']);
    });

    it('exits 2 on an unknown option', function () {
      write('exit/clean/Dockerfile', CLEAN);
      usageError(cli(['lint', '--frobnicate', 'exit/clean/Dockerfile']), 'unknown option', '--frobnicate');
    });

    it('exits 2 when no PATH is given', function () {
      usageError(cli(['lint']), 'missing path');
      usageError(cli(['lint', '--format', 'json']), 'missing path after options');
    });

    it('exits 2 on a nonexistent file, naming it', function () {
      usageError(cli(['lint', 'no-such-dir/Dockerfile.missing']), 'nonexistent file', 'Dockerfile.missing');
      write('exit/clean/Dockerfile', CLEAN);
      usageError(cli(['lint', 'exit/clean/Dockerfile', 'also-missing.dockerfile']), 'one good and one missing file', 'also-missing.dockerfile');
    });

    it('exits 2 on a bad --format value, and on a flag missing its value', function () {
      write('exit/clean/Dockerfile', CLEAN);
      usageError(cli(['lint', '--format', 'xml', 'exit/clean/Dockerfile']), 'bad --format', 'xml');
      usageError(cli(['lint', '--format=yaml', 'exit/clean/Dockerfile']), 'bad --format=', 'yaml');
      usageError(cli(['lint', 'exit/clean/Dockerfile', '--format']), '--format without value', '--format');
      usageError(cli(['lint', '--failure-threshold', 'severe', 'exit/clean/Dockerfile']), 'bad --failure-threshold', 'severe');
      usageError(cli(['rules', '--format', 'sarif']), 'rules --format sarif', 'sarif');
    });

    it('exits 2 on a bad config file, naming the file', function () {
      const d = freshDir('badconfig');
      write('badconfig/Dockerfile', CLEAN);
      write('badconfig/invalid.json', '{ "rules": { "latest-tag": "off", } ');
      write('badconfig/unknown-rule.json', JSON.stringify({ rules: { 'no-such-rule': 'off' } }));
      write('badconfig/bad-severity.json', JSON.stringify({ rules: { 'latest-tag': 'loud' } }));
      write('badconfig/array.json', '[]');
      usageError(cli(['lint', '--config', 'invalid.json', 'Dockerfile'], { cwd: d }), 'invalid JSON', 'invalid.json');
      const unknown = cli(['lint', '--config', 'unknown-rule.json', 'Dockerfile'], { cwd: d });
      usageError(unknown, 'unknown rule', 'unknown-rule.json');
      assert.ok(unknown.stderr.includes('no-such-rule'), `the message names the unknown rule:\n${unknown.stderr}`);
      const sev = cli(['lint', '--config', 'bad-severity.json', 'Dockerfile'], { cwd: d });
      usageError(sev, 'bad severity', 'bad-severity.json');
      assert.ok(sev.stderr.includes('loud'), `the message names the bad severity:\n${sev.stderr}`);
      usageError(cli(['lint', '--config', 'array.json', 'Dockerfile'], { cwd: d }), 'config that is not an object', 'array.json');
      usageError(cli(['lint', '--config', 'missing-config.json', 'Dockerfile'], { cwd: d }), 'missing config', 'missing-config.json');
    });

    it('exits 2 when the nearest project config is broken, naming it', function () {
      const d = freshDir('badnearest');
      write(`badnearest/${CONFIG_NAME}`, '{ not json');
      write('badnearest/svc/Dockerfile', CLEAN);
      usageError(cli(['lint', 'svc/Dockerfile'], { cwd: d }), 'broken nearest config', CONFIG_NAME);
    });
  });

  describe('inputs', function () {
    it('reads stdin for "-"', function () {
      const { r, findings } = lintJson(['-'], { input: 'FROM ubuntu:latest\nUSER app\n' });
      assert.equal(r.status, 1);
      assert.deepEqual(ids(findings), ['latest-tag']);
      assert.match(findings[0].file, /stdin/);
      const clean = cli(['lint', '-'], { input: CLEAN });
      assertNoCrash(clean, 'clean stdin');
      assert.equal(clean.status, 0);
    });

    it('lints stdin and files together', function () {
      write('mixed/Dockerfile', INFO_ONLY);
      const { findings } = lintJson(['mixed/Dockerfile', '-'], { input: WARNING_ONLY });
      assert.deepEqual(findings.map((f) => [posix(f.file).replace(/.*stdin.*/, 'stdin'), f.ruleId]), [
        ['mixed/Dockerfile', 'stage-name-casing'],
        ['stdin', 'latest-tag'],
      ]);
    });

    it('searches a directory for Dockerfiles, skipping node_modules/ and .dockerignore files', function () {
      freshDir('proj');
      const untagged = 'FROM alpine\nUSER app\n'; // one latest-tag finding per file, so every linted file shows up
      for (const f of ['Dockerfile', 'Containerfile', 'x.dockerfile', 'Dockerfile.dev', 'sub/Dockerfile', 'sub/deeper/api.Dockerfile']) {
        write(`proj/${f}`, untagged);
      }
      for (const f of ['node_modules/pkg/Dockerfile', 'sub/node_modules/Dockerfile', '.dockerignore', 'Dockerfile.dockerignore', 'notes.txt', 'Makefile']) {
        write(`proj/${f}`, untagged);
      }
      const { r, findings } = lintJson(['proj']);
      assert.equal(r.status, 1);
      const files = [...new Set(findings.map((f) => posix(f.file)))].sort();
      assert.deepEqual(files, [
        'proj/Containerfile',
        'proj/Dockerfile',
        'proj/Dockerfile.dev',
        'proj/sub/Dockerfile',
        'proj/sub/deeper/api.Dockerfile',
        'proj/x.dockerfile',
      ].sort());
      assert.ok(findings.every((f) => f.ruleId === 'latest-tag'), JSON.stringify(findings, null, 1));
    });

    it('a directory with no Dockerfile is exit 2 naming it (a .dockerignore alone does not count)', function () {
      freshDir('nodocker');
      write('nodocker/.dockerignore', 'FROM alpine\n');
      write('nodocker/node_modules/x/Dockerfile', 'FROM alpine\n');
      usageError(cli(['lint', 'nodocker']), 'empty directory', 'nodocker');
    });

    it('lints a fragment with no FROM as one stage instead of failing', function () {
      write('frag/install.dockerfile', 'RUN apt-get install foo\n');
      const { r, findings } = lintJson(['frag/install.dockerfile']);
      assert.notEqual(r.status, 2, r.stderr);
      assert.equal(r.stderr, '');
      assert.deepEqual(findings.filter((f) => f.ruleId === 'syntax-error'), [], 'no "no FROM" error for a fragment');
      // The fragment really is analysed: a root USER in a fragment is found, on the right text.
      const text = 'RUN make\nUSER root\n';
      const res = lintJson(['-'], { input: text });
      assert.deepEqual(ids(res.findings), ['root-user']);
      assert.equal(covered(text, res.findings[0].range), 'root');
      assert.equal(res.r.status, 1);
    });

    it('a binary file (NUL bytes) gives exit 0 or 1 with a clear message, never a crash', function () {
      const bin = bytes('FROM alpine:3.19\nRUN echo ', [0, 1, 2, 0xff, 0xfe, 0], '\nUSER root\n');
      write('binary/blob.dockerfile', bin);
      const r = cli(['lint', 'binary/blob.dockerfile']);
      assertNoCrash(r, 'binary file');
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      const all = r.stdout + r.stderr;
      assert.match(all, /blob\.dockerfile/, 'the message names the file');
      assert.match(all, /binary/i, 'the message says why it was not linted');
      // A real executable's bytes too.
      write('binary/node.dockerfile', Uint8Array.from(fs.readFileSync(process.execPath).subarray(0, 64 * 1024)));
      const r2 = cli(['lint', 'binary/node.dockerfile']);
      assertNoCrash(r2, 'executable bytes');
      assert.ok(r2.status === 0 || r2.status === 1);
    });

    it('a binary file with --format json/sarif keeps stdout machine-readable and still says it was skipped', function () {
      write('binary/blob.dockerfile', bytes('FROM alpine\n', [0, 0], '\n'));
      for (const format of ['json', 'sarif']) {
        const r = cli(['lint', '--format', format, 'binary/blob.dockerfile']);
        assertNoCrash(r, `binary --format ${format}`);
        assert.ok(r.status === 0 || r.status === 1);
        JSON.parse(r.stdout); // stdout stays parseable
        assert.match(r.stderr, /blob\.dockerfile.*binary|binary.*blob\.dockerfile/i,
          `--format ${format}: a skipped file must be reported (on stderr, since stdout is data); got stderr ${JSON.stringify(r.stderr)}`);
      }
    });

    it('strips a UTF-8 BOM so the first line\'s ranges are not shifted', function () {
      write('bom/Dockerfile', '\uFEFFFROM ubuntu:latest\nUSER app\n');
      const { findings } = lintJson(['bom/Dockerfile']);
      assert.deepEqual(findings.map((f) => [f.ruleId, f.range.start.character, f.range.end.character]), [['latest-tag', 5, 18]]);
    });

    it('CRLF line endings give the same ranges as LF', function () {
      write('crlf/Dockerfile', MULTI.replace(/\n/g, '\r\n'));
      write('crlf/lf.dockerfile', MULTI);
      const a = lintJson(['crlf/Dockerfile']).findings.map((f) => [f.ruleId, f.range]);
      const b = lintJson(['crlf/lf.dockerfile']).findings.map((f) => [f.ruleId, f.range]);
      assert.deepEqual(a, b);
    });
  });

  describe('--format json', function () {
    it('is an array of findings with exactly the documented keys and 0-based ranges on the right text', function () {
      write('json/Dockerfile', MULTI);
      const { r, findings } = lintJson(['json/Dockerfile']);
      assert.equal(r.status, 1);
      assert.deepEqual([...ids(findings)].sort(), Object.keys(MULTI_EXPECTED).sort(), JSON.stringify(findings, null, 1));
      const ruleById = new Map(RULES.map((x) => [x.id, x]));
      for (const f of findings) {
        const where = `${f.ruleId}: ${JSON.stringify(f)}`;
        assert.deepEqual(Object.keys(f).sort(), ['aliases', 'category', 'file', 'message', 'range', 'ruleId', 'severity'], where);
        assert.equal(posix(f.file), 'json/Dockerfile', where);
        assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity), where);
        assert.ok(['security', 'cache', 'size', 'correctness', 'style'].includes(f.category), where);
        const rule = ruleById.get(f.ruleId);
        assert.ok(rule, `unknown ruleId ${f.ruleId}`);
        assert.equal(f.category, rule.category, where);
        assert.equal(typeof f.message, 'string', where);
        assert.ok(f.message.length > 0, where);
        assert.equal(typeof f.aliases, 'object', where);
        for (const [tool, code] of Object.entries(f.aliases)) {
          assert.ok(['hadolint', 'buildkit', 'trivy'].includes(tool), `${where}: alias tool ${tool}`);
          assert.equal(typeof code, 'string', where);
          assert.ok((rule.aliases[tool as 'hadolint'] ?? []).includes(code as string), `${where}: ${tool} code ${code} is not one of the rule's`);
        }
        assert.deepEqual(Object.keys(f.range).sort(), ['end', 'start'], where);
        for (const p of [f.range.start, f.range.end]) {
          assert.deepEqual(Object.keys(p).sort(), ['character', 'line'], where);
          assert.ok(Number.isInteger(p.line) && p.line >= 0, where);
          assert.ok(Number.isInteger(p.character) && p.character >= 0, where);
        }
        const want = MULTI_EXPECTED[f.ruleId];
        assert.equal(f.range.start.line, want.line, `${where}: 0-based line`);
        assert.equal(covered(MULTI, f.range), want.text, `${where}: the range covers the wrong text`);
      }
      const byId = Object.fromEntries(findings.map((f) => [f.ruleId, f]));
      assert.deepEqual(byId['latest-tag'].aliases, { hadolint: 'DL3007', trivy: 'DS-0001' });
      assert.deepEqual(byId['latest-tag'].range, { start: { line: 0, character: 5 }, end: { line: 0, character: 18 } });
      assert.equal(byId['copy-from-unknown-stage'].severity, 'error');
      assert.equal(byId['stage-name-casing'].severity, 'info');
      assert.deepEqual(byId['syntax-error'].aliases, {});
      // Sorted by position.
      const order = findings.map((f) => f.range.start.line * 1e6 + f.range.start.character);
      assert.deepEqual(order, [...order].sort((a, b) => a - b));
    });

    it('for "FROM ubuntu:latest" the latest-tag range covers exactly "ubuntu:latest"', function () {
      const text = 'FROM ubuntu:latest\n';
      const { findings } = lintJson(['-'], { input: text });
      const f = findings.find((x) => x.ruleId === 'latest-tag');
      assert.ok(f, JSON.stringify(findings));
      assert.deepEqual(f.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 18 } });
      assert.equal(covered(text, f.range), 'ubuntu:latest');
      const flagged = 'FROM --platform=linux/amd64 ubuntu:latest\nUSER app\n';
      const g = lintJson(['-'], { input: flagged }).findings.find((x) => x.ruleId === 'latest-tag');
      assert.ok(g);
      assert.equal(covered(flagged, g.range), 'ubuntu:latest');
    });

    it('a clean file gives an empty array', function () {
      const { r, findings } = lintJson(['-'], { input: CLEAN });
      assert.equal(r.status, 0);
      assert.deepEqual(findings, []);
    });
  });

  describe('configuration', function () {
    it('--config with a project file turns a rule off (by id or by tool code)', function () {
      const d = freshDir('cfg');
      write('cfg/Dockerfile', WARNING_ONLY);
      write('cfg/off.json', JSON.stringify({ rules: { 'latest-tag': 'off' } }));
      write('cfg/off-by-code.json', JSON.stringify({ rules: { DL3007: 'off' } }));
      write('cfg/raise.json', JSON.stringify({ rules: { 'latest-tag': 'error' } }));
      const before = lintJson(['Dockerfile'], { cwd: d });
      assert.deepEqual(ids(before.findings), ['latest-tag']);
      assert.equal(before.r.status, 1);
      const off = lintJson(['--config', 'off.json', 'Dockerfile'], { cwd: d });
      assert.deepEqual(off.findings, []);
      assert.equal(off.r.status, 0);
      const offByCode = lintJson(['--config=off-by-code.json', 'Dockerfile'], { cwd: d });
      assert.deepEqual(offByCode.findings, []);
      const raised = lintJson(['--config', 'raise.json', '--failure-threshold', 'error', 'Dockerfile'], { cwd: d });
      assert.deepEqual(raised.findings.map((f) => [f.ruleId, f.severity]), [['latest-tag', 'error']]);
      assert.equal(raised.r.status, 1);
    });

    it('finds the nearest .dockerfile-insight.json above each file automatically', function () {
      const d = freshDir('nearest');
      write(`nearest/repo/${CONFIG_NAME}`, JSON.stringify({ rules: { 'latest-tag': 'off' } }));
      write(`nearest/repo/services/api/${CONFIG_NAME}`, JSON.stringify({ rules: { 'stage-name-casing': 'off' } }));
      const text = 'FROM ubuntu:latest AS Build\nUSER app\n'; // latest-tag + stage-name-casing
      write('nearest/repo/services/web/deep/Dockerfile', text); // gets repo/ config
      write('nearest/repo/services/api/Dockerfile', text); // gets api/ config (nearest wins)
      write('nearest/other/Dockerfile', text); // no config
      const { findings } = lintJson(['repo', 'other'], { cwd: d });
      const got = findings.map((f) => `${posix(f.file)} ${f.ruleId}`).sort();
      assert.deepEqual(got, [
        'other/Dockerfile latest-tag',
        'other/Dockerfile stage-name-casing',
        'repo/services/api/Dockerfile latest-tag',
        'repo/services/web/deep/Dockerfile stage-name-casing',
      ]);
      // stdin uses the config nearest to the working directory.
      const stdin = lintJson(['-'], { cwd: path.join(d, 'repo', 'services', 'web'), input: text });
      assert.deepEqual(ids(stdin.findings), ['stage-name-casing']);
    });

    it('an explicit --config replaces the nearest config', function () {
      const d = freshDir('explicit');
      write(`explicit/${CONFIG_NAME}`, JSON.stringify({ rules: { 'latest-tag': 'off' } }));
      write('explicit/empty.json', JSON.stringify({ rules: {} }));
      write('explicit/Dockerfile', WARNING_ONLY);
      assert.deepEqual(lintJson(['Dockerfile'], { cwd: d }).findings, []);
      assert.deepEqual(ids(lintJson(['--config', 'empty.json', 'Dockerfile'], { cwd: d }).findings), ['latest-tag']);
    });
  });

  describe('--build-arg and --target', function () {
    it('--build-arg gives ARG values used in FROM', function () {
      const text = 'ARG TAG\nFROM ubuntu:${TAG}\nUSER app\n';
      write('args/Dockerfile', text);
      // Without a default, FROM ubuntu:${TAG} is "ubuntu:" (BuildKit's InvalidDefaultArgInFrom); not what this test is about.
      write('args/.dockerfile-insight.json', '{ "rules": { "InvalidDefaultArgInFrom": "off" } }');
      const unknown = lintJson(['args/Dockerfile']);
      assert.deepEqual(unknown.findings, [], 'an unknown build arg is not guessed to be latest');
      assert.equal(unknown.r.status, 0);
      const latest = lintJson(['--build-arg', 'TAG=latest', 'args/Dockerfile']);
      assert.deepEqual(ids(latest.findings), ['latest-tag']);
      assert.equal(covered(text, latest.findings[0].range), 'ubuntu:${TAG}');
      assert.equal(latest.r.status, 1);
      const pinned = lintJson(['--build-arg=TAG=22.04', 'args/Dockerfile']);
      assert.deepEqual(pinned.findings, []);
      // The last value wins, and values may contain "=".
      const twice = lintJson(['--build-arg', 'TAG=22.04', '--build-arg', 'TAG=latest', 'args/Dockerfile']);
      assert.deepEqual(ids(twice.findings), ['latest-tag']);
      const user = lintJson(['--build-arg', 'U=root', '--build-arg', 'X=a=b', '-'], { input: 'FROM alpine:3.19\nARG U\nUSER ${U}\n' });
      assert.deepEqual(ids(user.findings), ['root-user']);
      usageError(cli(['lint', '--build-arg', 'NOEQUALS', 'args/Dockerfile']), '--build-arg without =', 'NOEQUALS');
    });

    it('--target picks the stage whose image is checked', function () {
      const text = 'FROM alpine:3.19 AS build\nUSER root\nRUN make\n\nFROM alpine:3.19 AS final\nUSER app\n';
      write('target/Dockerfile', text);
      const last = lintJson(['target/Dockerfile']);
      assert.deepEqual(last.findings, [], 'the default target is the last stage, which runs as app');
      assert.equal(last.r.status, 0);
      const build = lintJson(['--target', 'build', 'target/Dockerfile']);
      assert.deepEqual(ids(build.findings), ['root-user']);
      assert.equal(covered(text, build.findings[0].range), 'root');
      assert.equal(build.r.status, 1);
      assert.deepEqual(ids(lintJson(['--target=BUILD', 'target/Dockerfile']).findings), ['root-user'], 'stage names are case-insensitive');
    });
  });

  describe('rules', function () {
    interface RuleJson {
      id: string;
      category: string;
      severity: string;
      aliases: Record<string, string[]>;
      fixable: boolean;
      docs: string;
    }
    const rulesJson = (): RuleJson[] => {
      const r = cli(['rules', '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as RuleJson[];
    };

    it('rules --format json lists every registered rule with id, category, severity, aliases, fixable and docs', function () {
      const list = rulesJson();
      assert.ok(Array.isArray(list));
      assert.deepEqual(list.map((x) => x.id), RULES.map((x) => x.id), 'the registry, in order');
      assert.equal(new Set(list.map((x) => x.id)).size, list.length, 'ids are unique');
      for (const x of list) {
        const where = JSON.stringify(x);
        for (const k of ['id', 'category', 'severity', 'aliases', 'fixable', 'docs']) assert.ok(k in x, `${where}: missing ${k}`);
        assert.match(x.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, `${where}: id is kebab-case`);
        assert.ok(['security', 'cache', 'size', 'correctness', 'style'].includes(x.category), where);
        assert.ok(['error', 'warning', 'info', 'hint'].includes(x.severity), where);
        assert.equal(typeof x.fixable, 'boolean', where);
        assert.equal(typeof x.aliases, 'object', where);
        for (const [tool, codes] of Object.entries(x.aliases)) {
          assert.ok(['hadolint', 'buildkit', 'trivy'].includes(tool), `${where}: alias tool ${tool}`);
          assert.ok(Array.isArray(codes) && codes.length > 0 && codes.every((c) => typeof c === 'string' && c.length > 0), where);
        }
        assert.equal(x.docs, `docs/rules/${x.id}.md`, where);
        const reg = RULES.find((r) => r.id === x.id);
        assert.ok(reg);
        assert.equal(x.category, reg.category, where);
        assert.equal(x.severity, reg.severity, where);
        assert.equal(x.fixable, reg.fixable, where);
        assert.deepEqual(x.aliases, reg.aliases, where);
      }
    });

    it('every rule\'s docs path exists on disk', function () {
      const missing = rulesJson().filter((x) => !fs.existsSync(path.join(ROOT, x.docs))).map((x) => x.docs);
      assert.deepEqual(missing, [], `missing docs pages: ${missing.join(', ')}`);
    });

    it('rules (text) lists every rule id and exits 0', function () {
      const r = cli(['rules']);
      assert.equal(r.status, 0, r.stderr);
      for (const x of RULES) assert.ok(r.stdout.includes(x.id), `rules output lacks ${x.id}`);
    });

    it('rules rejects unknown arguments with exit 2', function () {
      usageError(cli(['rules', '--frobnicate']), 'rules --frobnicate', '--frobnicate');
    });
  });

  describe('--format sarif', function () {
    let validate: ValidateFunction;
    let schema: Record<string, unknown>;

    before(function () {
      assert.ok(fs.existsSync(SCHEMA_FILE), `${SCHEMA_FILE} is missing`);
      schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
      // Make sure this is the official OASIS 2.1.0 schema (draft-07), not a trimmed or older copy.
      assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.equal(schema.$id, 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json');
      assert.equal(schema.title, 'Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema');
      assert.ok(Object.keys(schema.definitions as object).length >= 50, 'the full schema, with all its definitions');
      const ajv = new Ajv({ strict: false, allErrors: true });
      // The schema uses three formats; check them for real rather than ignoring them (no extra dependency).
      const uriChars = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
      ajv.addFormat('uri-reference', (s: string) => uriChars.test(s));
      ajv.addFormat('uri', (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && uriChars.test(s));
      ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)));
      assert.equal(ajv.validateSchema(schema), true, `the schema is valid draft-07: ${ajv.errorsText(ajv.errors)}`);
      validate = ajv.compile(schema);
    });

    const errorsOf = () => JSON.stringify(validate.errors?.slice(0, 10), null, 1);

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Sarif = any;

    function sarifAndJson(args: string[], cwd?: string): { sarif: Sarif; json: JsonFinding[]; status: number | null } {
      const r = cli(['lint', '--format', 'sarif', ...args], { cwd });
      assertNoCrash(r, 'sarif');
      const sarif = JSON.parse(r.stdout) as Sarif;
      const { findings } = lintJson(args, { cwd });
      return { sarif, json: findings, status: r.status };
    }

    it('validates against the official SARIF 2.1.0 schema and matches the JSON findings', function () {
      const d = freshDir('sarif');
      write('sarif/Dockerfile', MULTI);
      write('sarif/my dir/Dockerfile', 'FROM node\nUSER app\n'); // a path that needs %-encoding in the URI
      write('sarif/hint.json', JSON.stringify({ rules: { 'relative-workdir': 'hint' } }));
      const { sarif, json, status } = sarifAndJson(['--config', 'hint.json', 'Dockerfile', 'my dir/Dockerfile'], d);
      assert.equal(status, 1);
      assert.equal(validate(sarif), true, `SARIF is not schema-valid: ${errorsOf()}`);

      assert.equal(sarif.version, '2.1.0');
      assert.equal(sarif.runs.length, 1);
      const run = sarif.runs[0];
      assert.equal(typeof run.tool.driver.name, 'string');

      // tool.driver.rules: every registered rule, with its default level.
      const driverRules = run.tool.driver.rules as Array<{ id: string; defaultConfiguration?: { level?: string } }>;
      assert.deepEqual(driverRules.map((x) => x.id).sort(), RULES.map((x) => x.id).sort(), 'driver.rules lists every rule');
      const level = (s: string) => ({ error: 'error', warning: 'warning', info: 'note', hint: 'note' } as Record<string, string>)[s];
      for (const rule of RULES) {
        const dr = driverRules.find((x) => x.id === rule.id);
        assert.equal(dr?.defaultConfiguration?.level, level(rule.severity), `${rule.id} default level`);
      }

      // One result per JSON finding, in the same order, with matching rule, level, message and 1-based region.
      const results = run.results as Sarif[];
      assert.equal(results.length, json.length, 'as many results as JSON findings');
      const severities = new Set(json.map((f) => f.severity));
      for (const s of ['error', 'warning', 'info', 'hint']) assert.ok(severities.has(s as JsonFinding['severity']), `the test input covers ${s}`);
      results.forEach((res: Sarif, i: number) => {
        const f = json[i];
        const where = `result ${i} (${f.ruleId})`;
        assert.equal(res.ruleId, f.ruleId, where);
        assert.equal(res.level, level(f.severity), `${where}: level for ${f.severity}`);
        assert.equal(res.message.text, f.message, where);
        if (res.ruleIndex !== undefined) assert.equal(driverRules[res.ruleIndex].id, res.ruleId, `${where}: ruleIndex`);
        assert.equal(res.locations.length, 1, where);
        const loc = res.locations[0].physicalLocation;
        assert.equal(decodeURIComponent(loc.artifactLocation.uri), posix(f.file), `${where}: uri`);
        assert.deepEqual(loc.region, {
          startLine: f.range.start.line + 1,
          startColumn: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
        }, `${where}: region`);
      });
      const byRule = (id: string) => results.find((x: Sarif) => x.ruleId === id);
      assert.equal(byRule('copy-from-unknown-stage').level, 'error');
      assert.equal(byRule('latest-tag').level, 'warning');
      assert.equal(byRule('stage-name-casing').level, 'note');
      assert.equal(byRule('relative-workdir').level, 'note', 'hint maps to note');
      assert.deepEqual(byRule('latest-tag').locations[0].physicalLocation.region, { startLine: 1, startColumn: 6, endLine: 1, endColumn: 19 });
      assert.ok(results.some((x: Sarif) => x.locations[0].physicalLocation.artifactLocation.uri === 'my%20dir/Dockerfile'),
        'a space in a path is %-encoded in the URI');
    });

    it('is schema-valid for a clean file, stdin, and a multi-line finding', function () {
      const clean = cli(['lint', '--format', 'sarif', '-'], { input: CLEAN });
      assert.equal(clean.status, 0);
      const c = JSON.parse(clean.stdout);
      assert.equal(validate(c), true, errorsOf());
      assert.deepEqual(c.runs[0].results, []);
      const multi = cli(['lint', '--format', 'sarif', '-'], { input: 'FROM alpine:3.19\nWORKDIR rel\\\n  dir\nUSER app\n' });
      const m = JSON.parse(multi.stdout);
      assert.equal(validate(m), true, errorsOf());
      assert.equal(m.runs[0].results.length, 1);
      assert.deepEqual(m.runs[0].results[0].locations[0].physicalLocation.region, { startLine: 2, startColumn: 9, endLine: 3, endColumn: 6 });
    });

    it('the validator rejects broken SARIF (so the validity test can fail)', function () {
      write('sarif2/Dockerfile', MULTI);
      const good = JSON.parse(cli(['lint', '--format', 'sarif', 'sarif2/Dockerfile']).stdout);
      assert.equal(validate(good), true, errorsOf());
      assert.ok(good.runs[0].results.length > 0);
      const corruptions: Array<[string, (s: Sarif) => void]> = [
        ['wrong version', (s) => { s.version = '2.0.0'; }],
        ['no runs', (s) => { delete s.runs; }],
        ['driver without name', (s) => { delete s.runs[0].tool.driver.name; }],
        ['level "warn"', (s) => { s.runs[0].results[0].level = 'warn'; }],
        ['0-based startLine', (s) => { s.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0; }],
        ['0-based startColumn', (s) => { s.runs[0].results[0].locations[0].physicalLocation.region.startColumn = 0; }],
        ['string line number', (s) => { s.runs[0].results[0].locations[0].physicalLocation.region.endLine = '3'; }],
        ['message without text', (s) => { s.runs[0].results[0].message = {}; }],
        ['unknown result property', (s) => { s.runs[0].results[0].severity = 'error'; }],
        ['unencoded space in uri', (s) => { s.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'my dir/Dockerfile'; }],
        ['rule without id', (s) => { delete s.runs[0].tool.driver.rules[0].id; }],
      ];
      for (const [name, corrupt] of corruptions) {
        const bad = JSON.parse(JSON.stringify(good));
        corrupt(bad);
        assert.equal(validate(bad), false, `the validator accepted SARIF with ${name}`);
      }
    });
  });
});
