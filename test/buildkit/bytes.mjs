// COPY/ADD layer sizes: `dockerfile-insight layers --format json` against `docker history` of a real build.
// Each byte scenario is built once; the image's history rows above the base image are matched, in order, with
// the stage's COPY/ADD steps. The suite also prints the plain sum of the copied files' sizes (what a reader of
// the context would count) next to the two numbers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { readDockerfile, run } from './lib.mjs';

const df = (...lines) => lines.join('\n') + '\n';
const bin = (n) => randomBytes(n); // incompressible, so no layer format can shrink it

export const byteScenarios = [
  {
    id: 'files-dirs-globs-add',
    files: {
      'big.bin': bin(200_000),
      'assets/a.bin': bin(50_000),
      'assets/b.bin': bin(30_000),
      'assets/sub/c.txt': 'c'.repeat(10_000),
      'blob.dat': bin(64_000),
      'one.cfg': 'x'.repeat(3_000),
      'two.cfg': 'y'.repeat(5_000),
      'skip.txt': bin(40_000),
      Dockerfile: df(
        'FROM dfi-base:1',
        'COPY big.bin /data/big.bin',
        'COPY assets/ /assets/',
        'ADD blob.dat /blob.dat',
        'WORKDIR /app',
        'COPY *.cfg ./'),
    },
    // context-side sizes of what each COPY/ADD takes (checked against history as a sanity baseline)
    sums: { 2: 200_000, 3: 90_000, 4: 64_000, 6: 8_000 },
  },
  {
    id: 'copy-all-with-dockerignore',
    files: {
      '.dockerignore': '*.log\ncache/\n!cache/keep.bin\nDockerfile\n',
      'app.bin': bin(120_000),
      'lib/x.bin': bin(60_000),
      'debug.log': bin(300_000),
      'cache/junk.bin': bin(150_000),
      'cache/keep.bin': bin(25_000),
      Dockerfile: df(
        'FROM dfi-base:1',
        'WORKDIR /src',
        'COPY . .'),
    },
    sums: { 3: 120_000 + 60_000 + 25_000 + '*.log\ncache/\n!cache/keep.bin\nDockerfile\n'.length },
  },
  {
    id: 'add-local-tar-and-symlink',
    // ADD of a local tar archive extracts it: the layer holds the files (50 x 1000 bytes), not the 50 kB archive
    // plus headers and padding. assets/ holds a symlink, which docker history does not count at all.
    files: {
      'assets/a.bin': bin(40_000),
      Dockerfile: df(
        'FROM dfi-base:1',
        'ADD files.tar /unpacked/',
        'COPY assets/ /assets/'),
    },
    prepare: async (ctx) => {
      const src = path.join(ctx, '..', 'tar-src');
      for (let i = 0; i < 50; i++) { fs.mkdirSync(src, { recursive: true }); fs.writeFileSync(path.join(src, `f${i}.txt`), String(i % 10).repeat(1000)); }
      const r = await run('tar', ['-cf', path.join(ctx, 'files.tar'), '-C', src, '.']);
      if (r.code !== 0) throw new Error(`tar: ${r.stderr}`);
      fs.symlinkSync('a.bin', path.join(ctx, 'assets/link'));
    },
    sums: { 2: 50_000, 3: 40_000 },
  },
  {
    id: 'add-gzip-tar-and-non-archives',
    // ADD decides by content: a gzip-compressed tar is unpacked too (a hard link and a symlink in it count 0, the
    // directories 0); a gzip that holds no tar, and a tar inside a directory that ADD copies, stay as they are
    files: {
      Dockerfile: df(
        'FROM dfi-base:1',
        'ADD files.tgz /gz/',
        'ADD plain.gz /plain/',
        'ADD d/ /d/'),
    },
    prepare: async (ctx) => {
      const src = path.join(ctx, '..', 'tgz-src');
      fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
      for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(src, `f${i}.txt`), String(i % 10).repeat(1000));
      fs.writeFileSync(path.join(src, 'sub/a.bin'), bin(3000));
      fs.symlinkSync('f0.txt', path.join(src, 'link'));
      fs.linkSync(path.join(src, 'f1.txt'), path.join(src, 'hard'));
      let r = await run('tar', ['-czf', path.join(ctx, 'files.tgz'), '-C', src, '.']);
      if (r.code !== 0) throw new Error(`tar: ${r.stderr}`);
      fs.writeFileSync(path.join(ctx, 'plain.gz'), gzipSync(bin(5000)));
      fs.mkdirSync(path.join(ctx, 'd'));
      r = await run('tar', ['-cf', path.join(ctx, 'd/inner.tar'), '-C', src, '.']);
      if (r.code !== 0) throw new Error(`tar: ${r.stderr}`);
    },
    sums: { 2: 33_000 },
  },
  {
    id: 'multi-stage-target',
    target: 'app',
    files: {
      'payload.bin': bin(80_000),
      'tool.bin': bin(20_000),
      Dockerfile: df(
        'FROM dfi-base:1 AS build',
        'COPY tool.bin /tool.bin',
        'RUN cp /tool.bin /built.bin',
        '',
        'FROM dfi-base:1 AS app',
        'COPY payload.bin /srv/payload.bin',
        'COPY --from=build /built.bin /srv/built.bin',
        'COPY --from=build /tool.bin /srv/tool.bin',
        '',
        'FROM dfi-base:1 AS other',
        'COPY tool.bin /other.bin'),
    },
    // line 7 copies a RUN's output (not traceable from the context), line 8 a file the build stage copied in
    sums: { 6: 80_000, 7: 20_000, 8: 20_000 },
  },
];

/** Finds per-step byte counts in `layers --format json`, whatever its exact nesting: objects with a line and bytes. */
export function stepsWithBytes(json) {
  const out = new Map();
  const visit = (x) => {
    if (Array.isArray(x)) { x.forEach(visit); return; }
    if (!x || typeof x !== 'object') return;
    if (typeof x.line === 'number' && ('bytes' in x)) out.set(x.line, x);
    for (const v of Object.values(x)) if (v && typeof v === 'object') visit(v);
  };
  visit(json);
  return out;
}

export async function compareBytes(b, { work, docker, writeFiles, cli, root }) {
  const lines = [];
  const failures = [];
  const ctx = path.join(work, `bytes-${b.id}`);
  fs.mkdirSync(ctx, { recursive: true });
  writeFiles(ctx, b.files);
  if (b.prepare) await b.prepare(ctx);
  const tag = `dfi-bytes-${b.id}`;
  const args = ['build', '--network=none', '--progress=plain', '-t', tag];
  if (b.target) args.push('--target', b.target);
  await docker([...args, ctx], `build ${b.id}`);
  const history = async (img) => (await docker(['history', '--human=false', '--no-trunc', '--format', '{{json .}}', img], 'history'))
    .stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const h = await history(tag);
  const base = await history('dfi-base:1');
  const own = h.slice(0, h.length - base.length).reverse(); // oldest first, the stage's own rows
  const copies = own.filter((r) => /^(COPY|ADD) /.test(r.CreatedBy));
  const dockerfile = readDockerfile(b.files.Dockerfile);
  const stage = b.target ? dockerfile.stages.find((s) => s.name === b.target) : dockerfile.stages[dockerfile.stages.length - 1];
  const steps = stage.steps.filter((s) => s.keyword === 'COPY' || s.keyword === 'ADD');
  if (copies.length !== steps.length) {
    failures.push(`docker history has ${copies.length} COPY/ADD rows above the base, the stage ${steps.length} COPY/ADD steps`);
    return { lines, failures };
  }
  let predicted;
  if (cli) {
    const a = ['layers', path.join(ctx, 'Dockerfile'), '--context', ctx, '--format', 'json'];
    if (b.target) a.push('--target', b.target);
    const r = await run(process.execPath, [cli, ...a], { cwd: root });
    if (r.code !== 0) failures.push(`layers exited ${r.code}: ${(r.stderr || r.stdout).slice(0, 500)}`);
    else {
      try { predicted = stepsWithBytes(JSON.parse(r.stdout)); } catch { failures.push(`layers: not JSON: ${r.stdout.slice(0, 300)}`); }
    }
  }
  steps.forEach((s, i) => {
    const hist = Number(copies[i].Size);
    const sum = b.sums?.[s.line];
    const p = predicted?.get(s.line);
    const pb = p?.bytes;
    const rel = (x) => (hist === 0 ? (x === 0 ? 0 : Infinity) : Math.abs(x - hist) / hist);
    let verdict = '';
    if (predicted) {
      const fromStage = /--from=/.test(s.text);
      // COPY --from a path that layers could not trace to context files (a RUN made it): its size is unknown
      // to a static analysis, so only a traced (or non-zero) claim is held to docker history
      const untraced = fromStage && p && (p.traced === 'none' || pb === null || pb === undefined);
      if (!p) verdict = 'layers lists no bytes for this step';
      else if (untraced) verdict = `layers: not traced (bytes ${JSON.stringify(pb)}, traced ${JSON.stringify(p.traced)})`;
      else verdict = `layers ${pb} (${(rel(pb) * 100).toFixed(2)}% off)`;
      if (!p && !fromStage) failures.push(`line ${s.line} ${s.keyword}: layers lists no bytes`);
      else if (p && !untraced && typeof pb === 'number' && rel(pb) > 0.05) failures.push(`line ${s.line} ${s.keyword} ${s.text}: layers says ${pb} bytes, docker history ${hist} (more than 5% off)`);
      else if (p && !untraced && typeof pb !== 'number') failures.push(`line ${s.line} ${s.keyword}: layers gives no byte count`);
    }
    if (sum !== undefined && rel(sum) > 0.05) failures.push(`line ${s.line}: docker history ${hist} bytes, the copied files sum to ${sum} (harness baseline more than 5% off)`);
    lines.push(`line ${s.line} ${s.keyword} ${s.text.slice(0, 40)}: docker history ${hist}${sum !== undefined ? `, files ${sum}` : ''}${verdict ? `, ${verdict}` : ''}`);
  });
  await docker(['rmi', '-f', tag]);
  return { lines, failures };
}
