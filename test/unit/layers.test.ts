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
import { computeLayers, estimateRun, formatBytes } from '../../src/core/layers';
import { MemFs } from './memFs';

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
});
