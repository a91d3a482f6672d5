// npm run bench:context — times the build-context scan (src/core/context.ts through a Node file system, as the
// CLI does) on a generated context of 100,000 files: once with node_modules/ ignored (it must be pruned, not
// walked: target < 1 s), once with nothing ignored (every file walked and stat'ed), plus the layer preview.
// Usage: node scripts/bench-context.mjs [--files N] [--keep]
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, lstatSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = require(join(root, 'dist', 'core.js'));
const args = process.argv.slice(2);
const total = Number(args[args.indexOf('--files') + 1] || 100000) || 100000;

const nodeFs = {
  async readFile(p) { try { return new Uint8Array(require('node:fs').readFileSync(p)); } catch { return undefined; } },
  async stat(p) { try { const s = lstatSync(p); return { type: s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other', size: s.size, mode: s.mode & 0o7777 }; } catch { return undefined; } },
  async readDirectory(p) { try { return readdirSync(p, { withFileTypes: true }).map((d) => [d.name, d.isDirectory() ? 'directory' : 'file']); } catch { return []; } },
  async readDirectoryStats(p) {
    const out = [];
    for (const d of readdirSync(p, { withFileTypes: true })) {
      if (d.isDirectory()) out.push({ name: d.name, stat: { type: 'directory', size: 0 } });
      else { const s = lstatSync(join(p, d.name)); out.push({ name: d.name, stat: { type: s.isSymbolicLink() ? 'symlink' : 'file', size: s.size, mode: s.mode & 0o7777 } }); }
    }
    return out;
  },
};

const dir = mkdtempSync(join(tmpdir(), 'dfi-bench-ctx-'));
const t0 = Date.now();
// 100k files: node_modules/<pkg>/<sub>/<file>, 100 per directory, plus a small app
const perDir = 100;
for (let i = 0; i < total; i += perDir) {
  const d = join(dir, 'node_modules', `pkg${Math.floor(i / 1000)}`, `d${i}`);
  mkdirSync(d, { recursive: true });
  for (let j = 0; j < perDir; j++) writeFileSync(join(d, `f${j}.js`), 'module.exports = 1;\n');
}
mkdirSync(join(dir, 'src'), { recursive: true });
for (let i = 0; i < 50; i++) writeFileSync(join(dir, 'src', `m${i}.js`), 'x'.repeat(100 + i));
writeFileSync(join(dir, 'package.json'), '{}');
writeFileSync(join(dir, 'Dockerfile'), 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n');
console.log(`bench:context: generated ${total} files under node_modules/ in ${Date.now() - t0} ms (${dir})`);

async function time(label, ignore, rounds = 5) {
  writeFileSync(join(dir, '.dockerignore'), ignore);
  const samples = [];
  let idx;
  for (let r = 0; r < rounds; r++) {
    const s = process.hrtime.bigint();
    idx = await core.scanContext(nodeFs, dir, join(dir, 'Dockerfile'));
    const model = core.buildModel('FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n');
    core.computeLayers(model, { context: idx });
    samples.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  samples.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(34)} median ${samples[samples.length >> 1].toFixed(1).padStart(8)} ms  (min ${samples[0].toFixed(1)}, max ${samples[samples.length - 1].toFixed(1)})  entries ${idx.entries.length}, directory reads ${idx.directoriesRead}, pruned ${idx.pruned.length} dir(s)${idx.pruned.length ? ` (${idx.pruned.slice(0, 3).join(', ')}${idx.pruned.length > 3 ? ', ...' : ''})` : ''}`);
  return samples[samples.length >> 1];
}

const ignored = await time('node_modules ignored (pruned)', 'node_modules\n*.log\n');
await time('nothing ignored (full walk)', '# nothing\n', 3);
await time('node_modules ignored, one exception', 'node_modules\n!node_modules/pkg0/d0/f0.js\n');
if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
console.log(ignored < 1000 ? `bench:context: OK, ignored node_modules scanned in ${ignored.toFixed(1)} ms (< 1000 ms)` : `bench:context: SLOW: ${ignored.toFixed(1)} ms`);
