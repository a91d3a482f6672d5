/**
 * Layer preview: which steps make layers (as Docker 20.10's BuildKit makes them), layer numbers, the context
 * files and bytes a COPY/ADD takes, COPY --from tracing, RUN estimates, and the `layers` CLI.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildModel } from '../../src/core/model';
import { scanContext } from '../../src/core/context';
import { gzipSync as gzipBuffer } from 'node:zlib';
import { computeLayers, estimateRun, formatBytes, inspectArchive, inspectArchives, InspectOptions } from '../../src/core/layers';
import type { FileSystem } from '../../src/core/fs';
import { MemFs } from './memFs';

// ------------------------------------------------------------------------------------------------ tar writing
/** One 512-byte tar header (ustar unless `magic` says otherwise), checksum filled in. */
function tarHeader(name: string, o: { type?: string; size?: number; sizeField?: number[]; linkname?: string; magic?: 'ustar' | 'gnu' | 'v7'; prefix?: string; badChecksum?: boolean } = {}): Uint8Array {
  const h = new Uint8Array(512);
  const put = (off: number, text: string) => h.set(new TextEncoder().encode(text), off);
  const oct = (off: number, len: number, v: number) => put(off, v.toString(8).padStart(len - 1, '0') + '\0');
  put(0, name);
  oct(100, 8, 0o644);
  oct(108, 8, 0);
  oct(116, 8, 0);
  if (o.sizeField) h.set(o.sizeField, 124);
  else oct(124, 12, o.size ?? 0);
  oct(136, 12, 0);
  put(156, o.type ?? '0');
  if (o.linkname) put(157, o.linkname);
  if (o.magic !== 'v7') put(257, o.magic === 'gnu' ? 'ustar  \0' : 'ustar\x0000');
  if (o.prefix) put(345, o.prefix);
  put(148, '        ');
  let sum = 0;
  for (const b of h) sum += b;
  put(148, (o.badChecksum ? sum + 1 : sum).toString(8).padStart(6, '0') + '\0 ');
  return h;
}

type TarEntry = { name: string; data?: string | Uint8Array; type?: string; linkname?: string; magic?: 'ustar' | 'gnu' | 'v7'; prefix?: string; sizeField?: number[]; size?: number };

/** A tar archive of the entries (data padded to 512), ended by two zero blocks unless `end` is false. */
function tar(entries: TarEntry[], end = true): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = typeof e.data === 'string' ? new TextEncoder().encode(e.data) : e.data ?? new Uint8Array(0);
    parts.push(tarHeader(e.name, { type: e.type, size: e.size ?? data.length, sizeField: e.sizeField, linkname: e.linkname, magic: e.magic, prefix: e.prefix }));
    const padded = new Uint8Array(Math.ceil(data.length / 512) * 512);
    padded.set(data);
    parts.push(padded);
  }
  if (end) parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** gzip as a plain Uint8Array (what the core's FileSystem returns). */
const gzipSync = (b: Uint8Array): Uint8Array => new Uint8Array(gzipBuffer(b));

const pax = (records: Record<string, string>) => {
  let body = '';
  for (const [k, v] of Object.entries(records)) {
    const rec = ` ${k}=${v}\n`;
    let n = rec.length + 1;
    while (String(n).length + rec.length !== n) n = String(n).length + rec.length;
    body += `${n}${rec}`;
  }
  return body;
};

/** The archive the real-engine check used in miniature: files, a directory, a symlink, a hard link, a duplicate path. */
const SAMPLE: TarEntry[] = [
  { name: './', type: '5' },
  { name: './f0.txt', data: 'a'.repeat(1000) },
  { name: './sub/', type: '5' },
  { name: './sub/a.bin', data: 'b'.repeat(300) },
  { name: './link', type: '2', linkname: 'f0.txt' },
  { name: './hard', type: '1', linkname: './f0.txt' },
  { name: './dup', data: 'c'.repeat(100) },
  { name: 'dup', data: 'd'.repeat(400) },
];
// docker history: 1000 + 300 + 400 (the last dup) = 1700; entries other than directories: f0, a.bin, link, hard, dup
const SAMPLE_BYTES = 1700;
const SAMPLE_FILES = 5;

describe('layer preview', () => {
  it('RUN, COPY, ADD and WORKDIR (not /) make layers; the rest is metadata or build-time only', () => {
    const m = buildModel('FROM bb\nARG A\nRUN true\nWORKDIR /app\nWORKDIR /\nENV X=1\nCOPY f .\nUSER nobody\nWORKDIR /home/x\nRUN echo\nCMD ["x"]\n');
    const p = computeLayers(m);
    const rows = p.stages[0].steps.map((s) => `${s.instruction}:${s.kind}:${s.layer ?? '-'}`);
    assert.deepEqual(rows, ['ARG:none:-', 'RUN:layer:1', 'WORKDIR:layer:2', 'WORKDIR:metadata:-', 'ENV:metadata:-', 'COPY:layer:3', 'USER:metadata:-', 'WORKDIR:layer:4', 'RUN:layer:5', 'CMD:metadata:-']);
    assert.equal(p.stages[0].ownLayers, 5);
    assert.equal(p.stages[0].baseLayers, undefined);
    assert.ok(p.byStep.get(m.steps[3].index)!.emptyLayer);
  });

  it('counts the base image\'s layers when known: scratch 0, a stage its total, an image from the caller', () => {
    const m = buildModel('FROM scratch AS a\nCOPY x /x\nRUN y\nFROM a AS b\nCOPY z /z\nFROM bb\nCOPY --from=b /z /z\n', { target: 'b' });
    const p = computeLayers(m, { allStages: true, baseLayers: (ref) => (ref === 'bb' ? 2 : undefined) });
    assert.deepEqual(p.stages.map((s) => [s.baseLayers, s.ownLayers]), [[0, 2], [2, 1], [2, 1]]);
    assert.equal(p.stages[1].steps[0].imageLayer, 3);
    assert.equal(p.stages[2].steps[0].imageLayer, 3);
    assert.equal(computeLayers(m).stages.length, 2, 'only the stages the target needs by default');
  });

  it('counts the files and bytes each COPY/ADD takes from the context, honouring .dockerignore', async () => {
    const mem = new MemFs({
      '/c/Dockerfile': 'x', '/c/.dockerignore': '*.log\nnode_modules\n', '/c/src/a.js': '12345', '/c/src/b.log': 'zzzz', '/c/src/lib/c.js': '123',
      '/c/node_modules/m/i.js': 'xxxxxxxx', '/c/pkg.json': '{}',
    });
    const ctx = await scanContext(mem, '/c', '/c/Dockerfile');
    const m = buildModel('FROM bb\nWORKDIR /app\nCOPY pkg.json ./\nCOPY src/ ./src/\nCOPY . /all\nCOPY nope /n\nADD https://example.invalid/x.tgz /x\n');
    const steps = computeLayers(m, { context: ctx }).stages[0].steps.filter((s) => s.copy);
    // `*.log` matches at the top level only (as in Docker), so src/b.log is copied; node_modules is not
    assert.deepEqual(steps.map((s) => [s.copy!.files, s.copy!.bytes]), [[1, 2], [3, 12], [6, 1 + 19 + 12 + 2], [0, 0], [0, 0]]);
    assert.equal(steps[0].copy!.dest, '/app');
    assert.deepEqual(steps[1].copy!.sources[0].sample, ['src/a.js', 'src/b.log', 'src/lib/c.js']);
    assert.ok(steps[3].copy!.sources[0].missing);
    assert.deepEqual(steps[4].copy!.remote, ['https://example.invalid/x.tgz']);
  });

  it('traces COPY --from a stage back to the context files that stage copied', async () => {
    const mem = new MemFs({ '/c/src/a.js': '12345', '/c/src/b.js': '12', '/c/README': 'r' });
    const ctx = await scanContext(mem, '/c');
    const m = buildModel('FROM bb AS build\nWORKDIR /w\nCOPY src/ ./src/\nCOPY README /w/\nFROM bb AS plain\nCOPY --from=build /w/src /app\nFROM bb\nCOPY --from=build /w/src/a.js /a.js\nCOPY --from=plain /app /app\n', {});
    const p = computeLayers(m, { context: ctx, allStages: true });
    const plain = p.stages[1].steps[0].copy!;
    assert.equal(plain.traced, 'exact');
    assert.deepEqual([plain.files, plain.bytes], [2, 7]);
    const one = p.stages[2].steps[0].copy!;
    assert.deepEqual([one.files, one.bytes, one.traced], [1, 5, 'exact']);
    const viaRun = computeLayers(buildModel('FROM bb AS b\nCOPY src/ /s/\nRUN make\nFROM bb\nCOPY --from=b /s /s\n'), { context: ctx });
    assert.equal(viaRun.stages[1].steps[0].copy!.traced, 'partial');
  });

  it('COPY --from that cannot be traced to context files has unknown bytes (null), not 0', async () => {
    const mem = new MemFs({ '/c/a.txt': 'aaa' });
    const ctx = await scanContext(mem, '/c');
    const p = computeLayers(buildModel('FROM bb AS b\nRUN make > /out\nFROM bb\nCOPY --from=b /out /out\nCOPY --from=alpine:3 /etc/x /x\nCOPY a.txt /a\n'), { context: ctx });
    const [fromStage, fromImage, plain] = p.stages[1].steps.map((s) => s.copy!);
    assert.deepEqual([fromStage.traced, fromStage.bytes, fromStage.sources[0].bytes], ['none', null, null]);
    assert.deepEqual([fromImage.traced, fromImage.bytes], ['none', null]);
    assert.deepEqual([plain.bytes, plain.files], [3, 1]);
  });

  it('estimates what a RUN installs and leaves behind, and sees the clean-ups', () => {
    const est = (t: string) => {
      const m = buildModel(`FROM x\nRUN ${t}\n`);
      return estimateRun(m, m.steps[1]);
    };
    const apt = est('apt-get update && apt-get install -y --no-install-recommends curl ca-certificates');
    assert.deepEqual(apt.installs, [{ manager: 'apt', packages: ['curl', 'ca-certificates'] }]);
    assert.equal(apt.leftovers[0].path, '/var/lib/apt/lists');
    assert.ok(apt.estimate);
    assert.equal(est('apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*').leftovers.length, 0);
    assert.equal(est('apk add --no-cache git').leftovers.length, 0);
    assert.equal(est('apk add git').leftovers[0].path, '/var/cache/apk');
    assert.equal(est('pip install --no-cache-dir flask').leftovers.length, 0);
    assert.equal(est('pip install flask').leftovers[0].path, '/root/.cache/pip');
    assert.deepEqual(est('curl -fsSLo /tmp/x.tar.gz https://e.invalid/x.tar.gz && tar xzf /tmp/x.tar.gz').leftovers.map((l) => l.path), ['/tmp/x.tar.gz']);
    assert.equal(est('curl -fsSLo /tmp/x.tar.gz https://e.invalid/x.tar.gz && tar xzf /tmp/x.tar.gz && rm /tmp/x.tar.gz').leftovers.length, 0);
    const m = buildModel('FROM x\nRUN --mount=type=cache,target=/var/cache/apk apk add git\n');
    assert.equal(estimateRun(m, m.steps[1]).leftovers.length, 0, 'a cache mount keeps the cache out of the layer');
  });

  it('formats sizes like docker history', () => {
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1982256), '1.98 MB');
    assert.equal(formatBytes(14850), '14.8 kB');
  });
});

describe('ADD of a local archive (what docker history counts)', () => {
  const add = async (files: Record<string, string | Uint8Array>, dockerfile: string, fs?: (m: MemFs) => FileSystem, opts: InspectOptions = {}) => {
    const mem = new MemFs();
    for (const [p, c] of Object.entries(files)) mem.write(`/c/${p}`, c);
    const ctx = await scanContext(mem, '/c');
    const model = buildModel(dockerfile);
    await inspectArchives(fs ? fs(mem) : mem, model, ctx, opts);
    const steps = computeLayers(model, { context: ctx }).stages[0].steps.filter((x) => x.copy);
    return { mem, ctx, steps: steps.map((x) => x.copy!) };
  };

  it('a tar counts its regular files once per path (the last wins); directories, symlinks and hard links 0', async () => {
    const { mem, steps } = await add({ 'files.tar': tar(SAMPLE) }, 'FROM bb\nADD files.tar /u/\nCOPY files.tar /c/\n');
    assert.deepEqual([steps[0].files, steps[0].bytes], [SAMPLE_FILES, SAMPLE_BYTES]);
    assert.deepEqual(steps[0].sources[0].unpacked, [{ path: 'files.tar', format: 'tar', files: SAMPLE_FILES, bytes: SAMPLE_BYTES }]);
    // COPY never unpacks
    assert.deepEqual([steps[1].files, steps[1].bytes, steps[1].sources[0].unpacked], [1, tar(SAMPLE).length, undefined]);
    // only headers are read: no file data
    assert.ok(mem.rangeReads.length > 0 && mem.rangeReads.every(([, , len]) => len === 512), JSON.stringify(mem.rangeReads));
  });

  it('gzip through the platform\'s DecompressionStream; bzip2, xz and zstd are unknown (null), never the archive size', async () => {
    const gz = gzipSync(tar(SAMPLE));
    const { steps } = await add({
      'files.tgz': gz, 'files.tbz': new Uint8Array([0x42, 0x5a, 0x68, 0x39, 1, 2, 3]), 'files.txz': new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 9]),
      'files.zst': new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 1]), 'plain.txt': 'hello',
    }, 'FROM bb\nADD files.tgz /u/\nADD files.tbz /u/\nADD files.txz plain.txt /u/\nADD files.zst /u/\n');
    assert.deepEqual([steps[0].files, steps[0].bytes, steps[0].sources[0].unpacked?.[0].format], [SAMPLE_FILES, SAMPLE_BYTES, 'gzip']);
    assert.equal(steps[1].bytes, null);
    assert.equal(steps[1].sources[0].unpacked?.[0].format, 'bzip2');
    assert.match(steps[1].sources[0].unpacked?.[0].reason ?? '', /bzip2 is not decompressed here/);
    assert.equal(steps[2].bytes, null, 'one unknown source makes the step unknown');
    assert.deepEqual([steps[2].sources[0].bytes, steps[2].sources[1].bytes], [null, 5]);
    assert.equal(steps[3].sources[0].unpacked?.[0].format, 'zstd');
  });

  it('without DecompressionStream a gzip is unknown; a large file on a file system without range reads is not read', async () => {
    const g = globalThis as { DecompressionStream?: unknown };
    const saved = g.DecompressionStream;
    assert.equal(typeof saved, 'function', 'Node >= 18 has DecompressionStream');
    delete g.DecompressionStream;
    try {
      const { steps } = await add({ 'files.tgz': gzipSync(tar(SAMPLE)) }, 'FROM bb\nADD files.tgz /u/\n');
      assert.equal(steps[0].bytes, null);
      assert.match(steps[0].sources[0].unpacked?.[0].reason ?? '', /gzip cannot be decompressed on this platform/);
    } finally {
      g.DecompressionStream = saved;
    }
    const noRanges = (m: MemFs): FileSystem => ({ readFile: (p) => m.readFile(p), stat: (p) => m.stat(p), readDirectory: (p) => m.readDirectory(p) });
    const whole = await add({ 'files.tar': tar(SAMPLE), 'files.tgz': gzipSync(tar(SAMPLE)) }, 'FROM bb\nADD files.tar files.tgz /u/\n', noRanges);
    assert.deepEqual([whole.steps[0].files, whole.steps[0].bytes], [2 * SAMPLE_FILES, 2 * SAMPLE_BYTES], 'read whole when there are no range reads');
    const capped = await add({ 'files.tar': tar(SAMPLE) }, 'FROM bb\nADD files.tar /u/\n', noRanges, { maxReadBytes: 1000 });
    assert.equal(capped.steps[0].bytes, null);
    assert.match(capped.steps[0].sources[0].unpacked?.[0].reason ?? '', /larger than/);
  });

  it('copied as it is (not an archive): a gzip of a non-tar, an empty tar, a bad first header, a text named .tar', async () => {
    const plain = 'x'.repeat(700);
    const bad = tar([{ name: 'a', data: 'aaa' }]);
    bad[148] ^= 1; // checksum digit off
    const { steps } = await add({
      'plain.gz': gzipSync(new TextEncoder().encode(plain)), 'empty.tar': new Uint8Array(10240), 'bad.tar': bad, 'note.tar': 'just text\n',
    }, 'FROM bb\nADD plain.gz /u/\nADD empty.tar /u/\nADD bad.tar /u/\nADD note.tar /u/\n');
    assert.deepEqual(steps.map((c) => [c.files, c.bytes, c.sources[0].unpacked]), [
      [1, gzipSync(new TextEncoder().encode(plain)).length, undefined], [1, 10240, undefined], [1, bad.length, undefined], [1, 10, undefined],
    ]);
  });

  it('only files the source names are unpacked: a glob\'s matches yes, a tar inside a copied directory no', async () => {
    const one = tar([{ name: 'one', data: 'o'.repeat(2000) }]);
    const { steps } = await add({ 'a.tgz': gzipSync(tar(SAMPLE)), 'b.tgz': gzipSync(one), 'd/inner.tar': tar(SAMPLE) }, 'FROM bb\nADD *.tgz /g/\nADD d/ /d/\nADD d/inner.tar /i/\n');
    assert.deepEqual([steps[0].files, steps[0].bytes], [SAMPLE_FILES + 1, SAMPLE_BYTES + 2000]);
    assert.deepEqual([steps[1].files, steps[1].bytes], [1, tar(SAMPLE).length]);
    assert.deepEqual([steps[2].files, steps[2].bytes], [SAMPLE_FILES, SAMPLE_BYTES]);
  });

  it('reads base-256 and octal sizes, PAX size/path records, GNU long names and ustar prefixes', async () => {
    const big = new Uint8Array(12);
    big[0] = 0x80;
    big[10] = 0x03; // 0x03e8 = 1000, base-256
    big[11] = 0xe8;
    const long = 'n'.repeat(120);
    const archive = tar([
      { name: 'b256', data: 'z'.repeat(1000), sizeField: [...big], magic: 'gnu' },
      { name: 'PaxHeaders/x', type: 'x', data: pax({ path: `${long}/p.bin`, size: '1234' }) },
      { name: 'truncated-name', data: 'p'.repeat(1234), size: 0 }, // the PAX size wins over the header's 0
      { name: '././@LongLink', type: 'L', data: `${long}/gnu.bin\0`, magic: 'gnu' },
      { name: 'short', data: 'g'.repeat(10), magic: 'gnu' },
      { name: 'file.bin', prefix: 'deep/dir', data: 'q'.repeat(7) },
      { name: 'v7.bin', data: 'v'.repeat(3), magic: 'v7' },
      { name: 'global', type: 'g', data: pax({ comment: 'ignored' }) },
    ]);
    const mem = new MemFs();
    mem.write('/a.tar', archive);
    assert.deepEqual(await inspectArchive(mem, '/a.tar', archive.length), { format: 'tar', files: 5, bytes: 1000 + 1234 + 10 + 7 + 3 });
    // a header that fails after the first one: Docker's build would fail, the size is unknown
    const broken = tar([{ name: 'a', data: 'a' }, { name: 'b', data: 'b' }]);
    broken[1024 + 148] ^= 1;
    mem.write('/b.tar', broken);
    assert.deepEqual(await inspectArchive(mem, '/b.tar', broken.length), { format: 'tar', reason: 'bad tar header checksum' });
    // sparse files and entry types Docker does not unpack: unknown
    const sparse = tar([{ name: 's', type: 'S', data: 's' }]);
    mem.write('/s.tar', sparse);
    assert.equal((await inspectArchive(mem, '/s.tar', sparse.length)).bytes, undefined);
  });

  it('an ADD whose archives were not inspected has unknown bytes; COPY --from follows an unpacked archive', async () => {
    const mem = new MemFs();
    mem.write('/c/files.tar', tar(SAMPLE));
    const ctx = await scanContext(mem, '/c');
    const model = buildModel('FROM bb AS b\nADD files.tar /u/\nFROM bb\nCOPY --from=b /u /u\n');
    assert.equal(computeLayers(model, { context: ctx }).stages[0].steps[0].copy!.bytes, null, 'not inspected');
    await inspectArchives(mem, model, ctx);
    const p = computeLayers(model, { context: ctx });
    assert.equal(p.stages[0].steps[0].copy!.bytes, SAMPLE_BYTES);
    assert.deepEqual([p.stages[1].steps[0].copy!.traced, p.stages[1].steps[0].copy!.bytes], ['exact', SAMPLE_BYTES]);
  });
});

describe('CLI layers', () => {
  const root = (() => {
    let d = __dirname;
    for (;;) {
      if (fs.existsSync(path.join(d, 'tsconfig.test.json'))) return d;
      const parent = path.dirname(d);
      if (parent === d) throw new Error('project root not found');
      d = parent;
    }
  })();
  it('prints stages and steps with line, instruction, kind, files and bytes (json) and a readable table (text)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dfi-layers-'));
    try {
      fs.mkdirSync(path.join(tmp, 'src'));
      fs.writeFileSync(path.join(tmp, 'src/a.txt'), 'hello');
      fs.writeFileSync(path.join(tmp, 'Dockerfile'), 'FROM bb AS build\nCOPY src/ /src/\nRUN apk add git\nFROM scratch\nCOPY --from=build /src /src\n');
      const run = (args: string[]) => spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { encoding: 'utf8', cwd: tmp });
      const r = run(['layers', 'Dockerfile', '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.context, tmp);
      assert.deepEqual(j.stages.map((s: { name: string | null; baseLayers: number | null }) => [s.name, s.baseLayers]), [['build', null], [null, 0]]);
      const copy = j.stages[0].steps[0];
      assert.deepEqual([copy.line, copy.instruction, copy.kind, copy.layer, copy.files, copy.bytes], [2, 'COPY', 'layer', 1, 1, 5]);
      assert.equal(j.stages[0].steps[1].estimate.leftovers[0].path, '/var/cache/apk');
      assert.deepEqual([j.stages[1].steps[0].imageLayer, j.stages[1].steps[0].from, j.stages[1].steps[0].bytes], [1, 'build', 5]);
      const t = run(['layers', 'Dockerfile']);
      assert.equal(t.status, 0, t.stderr);
      assert.match(t.stdout, /COPY\s+layer base\+1\s+1 file, 5 B/);
      assert.match(t.stdout, /estimate: installs git \(apk\); leaves apk package index cache/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('json: bytes null for an untraced COPY --from and an archive it cannot read, the unpacked size of a tar; text says unknown', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dfi-layers-'));
    try {
      fs.writeFileSync(path.join(tmp, 'files.tar'), tar(SAMPLE));
      fs.writeFileSync(path.join(tmp, 'files.tbz'), new Uint8Array([0x42, 0x5a, 0x68, 0x39, 1, 2, 3]));
      fs.writeFileSync(path.join(tmp, 'Dockerfile'), 'FROM bb AS build\nRUN make > /out\nFROM bb\nCOPY --from=build /out /out\nADD files.tar /u/\nADD files.tbz /v/\n');
      const run = (args: string[]) => spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { encoding: 'utf8', cwd: tmp });
      const r = run(['layers', 'Dockerfile', '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      const steps = JSON.parse(r.stdout).stages[1].steps;
      assert.deepEqual([steps[0].traced, steps[0].bytes, steps[0].sources[0].bytes, steps[0].files], ['none', null, null, 0]);
      assert.deepEqual([steps[1].files, steps[1].bytes], [SAMPLE_FILES, SAMPLE_BYTES]);
      assert.deepEqual(steps[1].sources[0].unpacked, [{ path: 'files.tar', format: 'tar', files: SAMPLE_FILES, bytes: SAMPLE_BYTES }]);
      assert.equal(steps[2].bytes, null);
      assert.deepEqual(steps[2].sources[0].unpacked, [{ path: 'files.tbz', format: 'bzip2', files: null, bytes: null, reason: 'bzip2 is not decompressed here' }]);
      const t = run(['layers', 'Dockerfile']);
      assert.equal(t.status, 0, t.stderr);
      assert.match(t.stdout, /COPY\s+layer base\+1\s+from build: size unknown \(not traced to context files\)/);
      assert.match(t.stdout, /ADD\s+layer base\+2\s+5 files, 1\.70 kB\s+\(files\.tar: tar archive, unpacked\)/);
      assert.match(t.stdout, /ADD\s+layer base\+3\s+files and size unknown\s+\(files\.tbz: bzip2 archive, unpacked; size unknown: bzip2 is not decompressed here\)/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
