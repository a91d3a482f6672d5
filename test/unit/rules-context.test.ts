/**
 * The rules that read the build context (context-not-ignored, copy-ignored-file): over an in-memory context walked
 * with the real walk, without a context (silent), and end to end through `node dist/cli.js lint`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import { ContextIndex, scanContext } from '../../src/core/context';
import { contextNotIgnored, sensitiveEntry } from '../../src/core/rules/contextNotIgnored';
import { copyIgnoredFile } from '../../src/core/rules/copyIgnoredFile';
import type { Diagnostic } from '../../src/core/types';
import { MemFs } from './memFs';

const RULES = [contextNotIgnored, copyIgnoredFile];

async function walk(tree: Record<string, string | null>): Promise<ContextIndex> {
  return scanContext(new MemFs(tree), '/ctx', '/ctx/Dockerfile');
}

function lint(text: string, context?: ContextIndex): Diagnostic[] {
  return analyze(text, { rules: RULES, context }).diagnostics;
}

function ids(ds: Diagnostic[]): string[] {
  return ds.map((d) => d.ruleId);
}

const LEAKY = {
  '/ctx/Dockerfile': 'FROM alpine\n',
  '/ctx/app.js': 'console.log(1)\n',
  '/ctx/.git/HEAD': 'ref: refs/heads/main\n',
  '/ctx/.git/config': '[core]\n',
  '/ctx/.env': 'TOKEN=abc\n',
  '/ctx/node_modules/x/index.js': 'module.exports = 1;\n',
  '/ctx/keys/server.pem': '-----BEGIN PRIVATE KEY-----\n',
};

describe('context rules', () => {
  describe('sensitiveEntry', () => {
    it('names the entry to ignore', () => {
      assert.equal(sensitiveEntry('.git/HEAD', 'file'), '.git');
      assert.equal(sensitiveEntry('.git', 'directory'), '.git');
      assert.equal(sensitiveEntry('web/node_modules/a/b.js', 'file'), 'web/node_modules');
      assert.equal(sensitiveEntry('.env.production', 'file'), '.env.production');
      assert.equal(sensitiveEntry('conf/id_rsa', 'file'), 'conf/id_rsa');
      assert.equal(sensitiveEntry('.aws/credentials', 'file'), '.aws');
      assert.equal(sensitiveEntry('.npmrc', 'file'), '.npmrc');
    });
    it('leaves ordinary and public files alone', () => {
      for (const p of ['src/app.js', '.env.example', 'id_rsa.pub', 'docs/git.md', 'environment.ts', 'keyboard.js']) {
        assert.equal(sensitiveEntry(p, 'file'), undefined, p);
      }
    });
  });

  describe('context-not-ignored', () => {
    it('reports COPY . . when .git, .env, node_modules and keys would be sent', async () => {
      const ctx = await walk(LEAKY);
      const ds = lint('FROM alpine\nCOPY . .\n', ctx);
      assert.deepEqual(ids(ds), ['context-not-ignored']);
      const m = ds[0].message;
      assert.match(m, /sends 7 files/);
      assert.match(m, /\.git \(2 files, /);
      assert.match(m, /\.env \(1 files, 10 B\)/);
      assert.match(m, /node_modules \(1 files/);
      assert.match(m, /keys\/server\.pem/);
      assert.match(m, /no \.dockerignore/);
      assert.equal(ds[0].severity, 'warning');
      assert.equal((ds[0] as { fix?: unknown }).fix, undefined);
      assert.deepEqual(ds[0].range, { start: { line: 1, character: 5 }, end: { line: 1, character: 6 } });
    });

    it('reports ./ and * and ADD ., and names the ignore file when there is one', async () => {
      const ctx = await walk({ ...LEAKY, '/ctx/.dockerignore': 'node_modules\n' });
      for (const text of ['FROM alpine\nCOPY ./ /app/\n', 'FROM alpine\nCOPY * /app/\n', 'FROM alpine\nADD . /app\n']) {
        const ds = lint(text, ctx);
        assert.deepEqual(ids(ds), ['context-not-ignored'], text);
        assert.match(ds[0].message, /Add to \.dockerignore: \.env, \.git, keys\/server\.pem\./, text);
        assert.doesNotMatch(ds[0].message, /node_modules/);
      }
    });

    it('is silent when the ignore file excludes them all', async () => {
      const ctx = await walk({ ...LEAKY, '/ctx/.dockerignore': '.git\n.env*\nnode_modules\n*.pem\n**/*.pem\n' });
      assert.deepEqual(lint('FROM alpine\nCOPY . .\n', ctx), []);
    });

    it('is silent for a narrow COPY, COPY --from and a stage the target does not need', async () => {
      const ctx = await walk(LEAKY);
      assert.deepEqual(lint('FROM alpine\nCOPY app.js /app/\n', ctx), []);
      assert.deepEqual(lint('FROM alpine AS b\nFROM alpine\nCOPY --from=b . /x\n', ctx), []);
      assert.deepEqual(lint('FROM alpine AS unused\nCOPY . .\nFROM alpine\nRUN true\n', ctx), []);
    });

    it('is silent without a context', () => {
      assert.deepEqual(lint('FROM alpine\nCOPY . .\n'), []);
    });

    it('is silent when the context is clean', async () => {
      const ctx = await walk({ '/ctx/Dockerfile': 'FROM alpine\n', '/ctx/app.js': 'x' });
      assert.deepEqual(lint('FROM alpine\nCOPY . .\n', ctx), []);
    });
  });

  describe('copy-ignored-file', () => {
    const TREE = {
      '/ctx/Dockerfile': 'FROM alpine\n',
      '/ctx/.dockerignore': 'build\n*.log\n',
      '/ctx/build/app.jar': 'jar',
      '/ctx/run.log': 'log',
      '/ctx/app.js': 'x',
    };

    it('reports a source that exists but is excluded (file, pruned directory, path inside it)', async () => {
      const ctx = await walk(TREE);
      const ds = lint('FROM alpine\nCOPY run.log /x/\nCOPY build /b/\nADD ./build/app.jar /app.jar\n', ctx);
      assert.deepEqual(ids(ds), ['copy-ignored-file', 'copy-ignored-file', 'copy-ignored-file']);
      assert.match(ds[0].message, /COPY source "run\.log" is excluded by \.dockerignore/);
      assert.equal(ds[0].aliases.buildkit, 'CopyIgnoredFile');
      assert.deepEqual(ds.map((d) => d.range.start.line), [1, 2, 3]);
    });

    it('is silent for sent, missing, glob, variable, --from and URL sources', async () => {
      const ctx = await walk(TREE);
      const text = [
        'FROM alpine AS b',
        'FROM alpine',
        'ARG F=run.log',
        'COPY app.js /x/',
        'COPY missing.log /x/',
        'COPY *.log /x/',
        'COPY $F /x/',
        'COPY --from=b build /x/',
        'ADD https://example.com/build /x/',
        '',
      ].join('\n');
      assert.deepEqual(lint(text, ctx), []);
    });

    it('is silent when an exception re-includes the file', async () => {
      const ctx = await walk({ ...TREE, '/ctx/.dockerignore': 'build\n!build/app.jar\n' });
      assert.deepEqual(lint('FROM alpine\nCOPY build/app.jar /app.jar\nCOPY build /b/\n', ctx), []);
    });

    it('is silent without a context', () => {
      assert.deepEqual(lint('FROM alpine\nCOPY run.log /x/\n'), []);
    });
  });

  describe('CLI lint', function () {
    this.timeout(60_000);
    let tmp = '';
    const cli = (args: string[], input?: string) => {
      const root = path.resolve(__dirname, '..', '..', '..');
      const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { cwd: tmp, input, encoding: 'utf8' });
      return r;
    };

    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dfi-ctx-'));
      fs.mkdirSync(path.join(tmp, '.git'));
      fs.writeFileSync(path.join(tmp, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      fs.writeFileSync(path.join(tmp, '.env'), 'SECRET=1\n');
      fs.writeFileSync(path.join(tmp, 'app.js'), 'x\n');
      fs.writeFileSync(path.join(tmp, 'Dockerfile'), 'FROM alpine:3.19\nCOPY . /app\nUSER app\n');
    });

    after(() => {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('reports context-not-ignored for a Dockerfile on disk', () => {
      const r = cli(['lint', '--format', 'json', 'Dockerfile']);
      assert.equal(r.stderr, '');
      const findings = JSON.parse(r.stdout) as Array<{ ruleId: string; message: string }>;
      const f = findings.find((x) => x.ruleId === 'context-not-ignored');
      assert.ok(f, r.stdout);
      assert.match(f.message, /\.git \(1 files, 21 B\)/);
      assert.match(f.message, /\.env \(1 files, 9 B\)/);
      assert.equal(r.status, 1);
    });

    it('stdin has no context: no context findings', () => {
      const r = cli(['lint', '--format', 'json', '-'], 'FROM alpine:3.19\nCOPY . /app\nUSER app\n');
      const findings = JSON.parse(r.stdout) as Array<{ ruleId: string }>;
      assert.ok(!findings.some((x) => x.ruleId === 'context-not-ignored'), r.stdout);
    });
  });
});
