import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

function projectRoot(): string {
  let d = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(d, 'scripts', 'build.mjs'))) return d;
    const up = path.dirname(d);
    if (up === d) throw new Error('project root not found');
    d = up;
  }
}

const root = projectRoot();

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('bundles and layering', () => {
  it('src/core imports neither vscode nor Node built-ins', () => {
    const offenders: string[] = [];
    for (const f of walk(path.join(root, 'src', 'core'))) {
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)) {
        const mod = m[1];
        if (mod === 'vscode' || mod.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'crypto', 'util', 'url'].includes(mod)) {
          offenders.push(`${path.relative(root, f)}: ${mod}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the browser bundle requires nothing but vscode', () => {
    const web = path.join(root, 'dist', 'web', 'extension.js');
    assert.ok(fs.existsSync(web), 'dist/web/extension.js exists (npm run build)');
    const text = fs.readFileSync(web, 'utf8');
    const required = [...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)], ['vscode']);
  });

  it('the core runs in a browser-like sandbox with no Node globals (no Buffer, process or require)', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const vm = require('node:vm') as typeof import('node:vm');
    const code = fs.readFileSync(path.join(root, 'dist', 'web', 'core.js'), 'utf8');
    const sandbox: Record<string, unknown> = { TextEncoder, TextDecoder, console, Uint8Array, setTimeout, clearTimeout };
    sandbox.self = sandbox;
    sandbox.globalThis = sandbox;
    vm.createContext(sandbox);
    vm.runInContext(code, sandbox);
    const core = sandbox.dockerfileInsightCore as typeof import('../../src/core');
    assert.equal(typeof sandbox.Buffer, 'undefined');
    const text = '\uFEFFFROM ubuntu:latest\nRUN apt-get update && apt-get install -y curl | tee log\nUSER root\n';
    const ids = core.analyze(text).diagnostics.map((d) => d.ruleId);
    for (const id of ['latest-tag', 'root-user', 'pipe-without-pipefail']) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
  });

  it('package.json points at the bundles the build makes', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    for (const rel of [pkg.main, pkg.browser, pkg.bin['dockerfile-insight']]) {
      assert.ok(fs.existsSync(path.join(root, rel)), rel);
    }
    assert.match(fs.readFileSync(path.join(root, pkg.bin['dockerfile-insight']), 'utf8'), /^#!\/usr\/bin\/env node/);
  });
});
