#!/usr/bin/env node
// The real-BuildKit suite: `dockerfile-insight rebuild` and `layers` against Docker 20.10's built-in BuildKit.
//
// For every scenario in scenarios.mjs: build the context once (warm cache), copy it (the "previous" context),
// apply the edit, ask `node dist/cli.js rebuild ... --previous <copy> --format json` (and, where the scenario
// lists them, the explicit --changed / --changed-build-arg / --base-changed[=...] flags) which steps will rebuild,
// build again with `DOCKER_BUILDKIT=1 /usr/bin/docker build --network=none --progress=plain`, read which steps
// BuildKit served from cache, and compare: BuildKit vs the recorded expectation, and BuildKit vs each prediction.
// Then builds images with COPY/ADD layers of known size and compares `layers`' byte counts with `docker history`.
//
// Usage: node test/buildkit/run.mjs [--grep REGEXP] [--no-cli] [--record] [--keep] [--no-bytes] [--jobs N]
//   --no-cli   only check BuildKit against the recorded expectations (no dist/cli.js needed)
//   --record   print what BuildKit did per scenario as an `expect:` line to paste (still compares)
//   --keep     keep the work directory (printed)
//   --jobs N   scenarios run on N private dockerds at once (default 3; 1 with DOCKER_HOST)
// Env: DFI_CLI=<file> runs that CLI bundle instead of dist/cli.js.
//      DOCKER_HOST set → use that daemon instead of starting one (it must be a private, throwaway one:
//      the suite prunes its build cache); otherwise scripts/test-tools/engine.sh starts and stops one.
// Last line: `buildkit: N passed, M failed`; exit 1 on any failure.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDockerfile, readProgress, mapProgress, expectationMap, statusMap, signature, diffMaps, run } from './lib.mjs';
import { scenarios } from './scenarios.mjs';
import { byteScenarios, compareBytes } from './bytes.mjs';
import { selftest } from './selftest.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = process.env.DFI_CLI ? path.resolve(process.env.DFI_CLI) : path.join(ROOT, 'dist/cli.js'); // DFI_CLI: another build of the CLI
const ENGINE = path.join(ROOT, 'scripts/test-tools/engine.sh');
const DOCKER = '/usr/bin/docker'; // the 20.10 client: drives the daemon's built-in BuildKit

const argv = process.argv.slice(2);
const opt = { grep: undefined, noCli: false, record: false, keep: false, noBytes: false, jobs: 3 };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--grep') opt.grep = new RegExp(argv[++i]);
  else if (a === '--no-cli') opt.noCli = true;
  else if (a === '--record') opt.record = true;
  else if (a === '--keep') opt.keep = true;
  else if (a === '--no-bytes') opt.noBytes = true;
  else if (a === '--jobs') opt.jobs = Math.max(1, Number(argv[++i]) || 1);
  else { console.error(`unknown argument ${a}`); process.exit(2); }
}

const t0 = Date.now();
const secs = (ms) => (ms / 1000).toFixed(1);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dfi-bk-'));
const dockerConfig = path.join(work, '.docker'); // keeps the client away from ~/.docker
fs.mkdirSync(dockerConfig);

/** One dockerd (started here, or the one DOCKER_HOST names) and a `docker` bound to it. */
class Engine {
  constructor(host, dir) {
    this.host = host;
    this.dir = dir; // set when engine.sh started it: stopEngines() stops it
    this.env = { ...process.env, DOCKER_BUILDKIT: '1', DOCKER_CONFIG: dockerConfig, DOCKER_HOST: host };
    this.docker = async (args, what) => {
      const r = await run(DOCKER, args, { env: this.env });
      if (r.code !== 0 && what) throw new Error(`${what}: docker ${args.join(' ')} exited ${r.code}\n${(r.stderr + r.stdout).slice(-3000)}`);
      return r;
    };
  }
}
const engines = [];

async function startEngine() {
  const t = Date.now();
  const r = await run('bash', [ENGINE, 'start'], { env: process.env });
  let dir;
  let host;
  for (const line of r.stdout.split('\n')) {
    const m = /^(DFI_ENGINE_DIR|DOCKER_HOST)=(.*)$/.exec(line);
    if (m && m[1] === 'DFI_ENGINE_DIR') dir = m[2];
    if (m && m[1] === 'DOCKER_HOST') host = m[2];
  }
  if (dir) engines.push(new Engine(host, dir)); // registered before any check, so stopEngines() stops it
  if (r.code !== 0 || !host) throw new Error(`engine.sh start failed:\n${r.stderr}`);
  console.log(`engine: dockerd ready in ${secs(Date.now() - t)}s (${host})`);
  return engines[engines.length - 1];
}

async function stopEngines() {
  for (const e of engines.splice(0)) {
    if (!e.dir) continue;
    const r = await run('bash', [ENGINE, 'stop', e.dir], { env: process.env });
    if (r.code !== 0) console.error(`engine.sh stop ${e.dir}: ${r.stderr}`);
  }
}

/** The shared base image: FROM scratch + busybox-static, a shell, /etc/passwd with root and app (uid 1000). */
async function makeBaseImage({ docker }) {
  const dir = fs.mkdtempSync(path.join(work, '.base-'));
  fs.copyFileSync('/bin/busybox', path.join(dir, 'busybox'));
  fs.chmodSync(path.join(dir, 'busybox'), 0o755);
  const setup = [
    '/bin/busybox mkdir -p /tmp /etc /root /home/app /var/cache',
    '/bin/busybox chmod 1777 /tmp',
    '/bin/busybox --install -s /bin',
    "printf 'root:x:0:0:root:/root:/bin/sh\\napp:x:1000:1000:app:/home/app:/bin/sh\\n' > /etc/passwd",
    "printf 'root:x:0:\\napp:x:1000:\\n' > /etc/group",
  ].join(' && ');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), [
    'FROM scratch',
    'COPY busybox /bin/busybox',
    `RUN ["/bin/busybox", "sh", "-c", ${JSON.stringify(setup)}]`,
    'ENV PATH=/bin',
    'CMD ["sh"]',
    '',
  ].join('\n'));
  await docker(['build', '--network=none', '--progress=plain', '-t', 'dfi-base:1', dir], 'base image');
}

/**
 * A variant of the base image under TAG: dfi-base:1 plus /version holding VARIANT; `config` adds Dockerfile lines
 * after that (ENV, LABEL: image config only, the layers stay the same).
 */
async function baseImage({ docker }, tag, variant, config = []) {
  const dir = fs.mkdtempSync(path.join(work, '.img-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), [`FROM dfi-base:1`, `RUN echo ${variant} > /version`, ...config, ''].join('\n'));
  await docker(['build', '--network=none', '--progress=plain', '-t', tag, dir], `base image ${tag}`);
}

function writeFiles(ctx, files) {
  for (const [rel, spec] of Object.entries(files)) {
    const p = path.resolve(ctx, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    const content = typeof spec === 'string' || Buffer.isBuffer(spec) ? spec : spec.content;
    fs.writeFileSync(p, content);
    fs.chmodSync(p, typeof spec === 'object' && !Buffer.isBuffer(spec) && spec.mode !== undefined ? spec.mode : 0o644);
  }
}

/** The object an edit/setup function gets. */
function editor(engine, ctx, secretsDir) {
  const p = (rel) => path.resolve(ctx, rel);
  return {
    ctx,
    write: (rel, content) => { fs.mkdirSync(path.dirname(p(rel)), { recursive: true }); fs.writeFileSync(p(rel), content); },
    replace: (rel, from, to) => {
      const s = fs.readFileSync(p(rel), 'utf8');
      if (!s.includes(from)) throw new Error(`edit: "${from}" not in ${rel}`);
      fs.writeFileSync(p(rel), s.replace(from, to));
    },
    remove: (rel) => fs.rmSync(p(rel), { recursive: true }),
    rename: (a, b) => fs.renameSync(p(a), p(b)),
    chmod: (rel, mode) => fs.chmodSync(p(rel), mode),
    chown: (rel, uid, gid) => fs.chownSync(p(rel), uid, gid),
    mkdir: (rel) => fs.mkdirSync(p(rel), { recursive: true }),
    symlink: (target, rel) => { fs.rmSync(p(rel), { force: true }); fs.mkdirSync(path.dirname(p(rel)), { recursive: true }); fs.symlinkSync(target, p(rel)); },
    touch: (rel, date) => fs.utimesSync(p(rel), date, date),
    stat: (rel) => fs.statSync(p(rel)),
    secret: (id, content) => fs.writeFileSync(path.join(secretsDir, id), content),
    baseImage: (tag, variant, config) => baseImage(engine, tag, variant, config),
  };
}

function buildArgsOf(a) {
  return Object.entries(a).filter(([, v]) => v !== null).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
}

async function build({ docker }, sc, dir, tag, buildArgs, secretsDir) {
  const args = ['build', '--network=none', '--progress=plain', '-t', tag, '-f', path.resolve(dir.ctx, sc.dockerfile ?? 'Dockerfile')];
  if (sc.target) args.push('--target', sc.target);
  args.push(...buildArgsOf(buildArgs));
  for (const id of Object.keys(sc.secrets ?? {})) args.push('--secret', `id=${id},src=${path.join(secretsDir, id)}`);
  args.push(dir.ctx);
  const r = await docker(args);
  const out = r.stderr + r.stdout;
  if (r.code !== 0) throw new Error(`docker build exited ${r.code}\n${out.slice(-3000)}`);
  return out;
}

/** Runs `dockerfile-insight rebuild` with ARGS; returns { map, raw, problems } */
async function predict(args, df) {
  const r = await run(process.execPath, [CLI, 'rebuild', ...args, '--format', 'json'], { cwd: ROOT });
  if (r.code !== 0) return { error: `exit ${r.code}: ${(r.stderr || r.stdout).trim().slice(0, 600)}` };
  let j;
  try { j = JSON.parse(r.stdout); } catch (e) { return { error: `not JSON: ${r.stdout.slice(0, 300)}` }; }
  if (!j || !Array.isArray(j.steps)) return { error: `no "steps" array: ${r.stdout.slice(0, 300)}` };
  const problems = [];
  const map = new Map();
  const byLine = new Map(df.stages.flatMap((s) => s.steps.map((st) => [st.line, { stage: s, step: st }])));
  for (const s of j.steps) {
    if (map.has(s.line)) problems.push(`line ${s.line} listed twice`);
    map.set(s.line, s.status);
    const at = byLine.get(s.line);
    if (!at) { problems.push(`line ${s.line} (${s.instruction}) is not a RUN/COPY/ADD/WORKDIR start line`); continue; }
    if (String(s.instruction).toUpperCase() !== at.step.keyword) problems.push(`line ${s.line}: instruction "${s.instruction}", the Dockerfile has ${at.step.keyword}`);
    const stageOk = s.stage === at.stage.index || (at.stage.name !== undefined && String(s.stage).toLowerCase() === at.stage.name.toLowerCase());
    if (!stageOk) problems.push(`line ${s.line}: stage ${JSON.stringify(s.stage)}, the step is in stage ${at.stage.name ?? at.stage.index}`);
  }
  const rebuilt = j.steps.filter((s) => s.status === 'rebuilt').map((s) => s.line);
  const first = rebuilt.length ? Math.min(...rebuilt) : null;
  if (j.firstRebuiltLine !== first) problems.push(`firstRebuiltLine ${j.firstRebuiltLine}, the rebuilt steps say ${first}`);
  return { map, raw: j, problems, args };
}

async function cliHasRebuild() {
  if (!fs.existsSync(CLI)) return false;
  const r = await run(process.execPath, [CLI, '--help'], { cwd: ROOT });
  return /\brebuild\b/.test(r.stdout + r.stderr);
}

async function runScenario(engine, sc, n, useCli) {
  const { docker } = engine;
  const dir = { root: path.join(work, String(n).padStart(2, '0')) };
  dir.ctx = path.join(dir.root, 'ctx');
  const secretsDir = path.join(work, `${path.basename(dir.root)}-secrets`);
  fs.mkdirSync(dir.ctx, { recursive: true });
  fs.mkdirSync(secretsDir);
  writeFiles(dir.ctx, sc.files);
  for (const [id, c] of Object.entries(sc.secrets ?? {})) fs.writeFileSync(path.join(secretsDir, id), c);
  const tag = `dfi-bk-${n}`;
  const t = editor(engine, dir.ctx, secretsDir);
  // each scenario starts from an empty build cache: an edit must not hit a cache entry another scenario made
  await docker(['builder', 'prune', '-af'], 'builder prune');
  if (sc.setup) await sc.setup(t);
  const args1 = { ...(sc.buildArgs ?? {}) };
  const args2 = { ...args1, ...(sc.buildArgs2 ?? {}) };
  await build(engine, sc, dir, tag, args1, secretsDir);
  const prevRoot = `${dir.root}-prev`;
  fs.cpSync(dir.root, prevRoot, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  const keepMode = (a, b) => { // make sure the copy has the same modes (files and directories) as the original
    for (const e of fs.readdirSync(a, { withFileTypes: true })) {
      const pa = path.join(a, e.name);
      const pb = path.join(b, e.name);
      if (e.isDirectory()) keepMode(pa, pb);
      if (!e.isSymbolicLink()) fs.chmodSync(pb, fs.statSync(pa).mode & 0o7777);
    }
  };
  keepMode(dir.root, prevRoot);
  await sc.edit?.(t);
  const dfRel = sc.dockerfile ?? 'Dockerfile';
  const dfPath = path.resolve(dir.ctx, dfRel);
  const df = readDockerfile(fs.readFileSync(dfPath, 'utf8'));

  const predictions = [];
  if (useCli) {
    const common = [dfPath, '--context', dir.ctx];
    if (sc.target) common.push('--target', sc.target);
    const changedArgNames = new Set((sc.changedArgs ?? []).map((a) => a.split('=')[0]));
    for (const [k, v] of Object.entries(args2)) if (v !== null && !changedArgNames.has(k)) common.push('--build-arg', `${k}=${v}`);
    const extra = [];
    for (const a of sc.changedArgs ?? []) extra.push('--changed-build-arg', a);
    // a base image change cannot show in the --previous copy of the context: both predictions are told with the flag
    if (sc.baseChanged) extra.push(sc.baseChanged === true ? '--base-changed' : `--base-changed=${sc.baseChanged}`);
    const prevCtx = path.join(prevRoot, 'ctx');
    const prevArgs = ['--previous', prevCtx];
    if (path.relative(dir.ctx, dfPath).startsWith('..')) prevArgs.push('--previous-dockerfile', path.resolve(prevCtx, dfRel));
    predictions.push({ name: '--previous', ...(await predict([...common, ...prevArgs, ...extra], df)) });
    if (sc.changed || sc.changedArgs || sc.baseChanged) { // the same change told with explicit flags only
      predictions.push({ name: 'flags', ...(await predict([...common, ...(sc.changed ?? []).flatMap((c) => ['--changed', c]), ...extra], df)) });
    }
  }

  const out = await build(engine, sc, dir, tag, args2, secretsDir);
  const mapped = mapProgress(df, readProgress(out), sc.target);
  const actual = statusMap(mapped.steps);
  const insAt = (l) => { const i = df.instructions.find((x) => x.line === l); return i ? `(${i.keyword} ${i.text.slice(0, 50)})` : ''; };
  const res = { sc, actual, predictions, failures: [], notes: [] };
  if (mapped.problems.length) res.failures.push(...mapped.problems.map((p) => `harness: ${p}`));
  for (const [l, s] of actual) if (s !== 'cached' && s !== 'rebuilt') res.failures.push(`harness: line ${l} BuildKit status ${s}`);
  const expected = expectationMap(sc.expect);
  const dExp = diffMaps('BuildKit', actual, 'expected', expected, insAt);
  if (dExp.length) res.failures.push('BuildKit differs from the recorded expectation (re-check by hand, then update `expect`):', ...dExp.map((d) => `  ${d}`));
  for (const p of predictions) {
    if (p.error) { res.failures.push(`rebuild ${p.name}: ${p.error}`); continue; }
    const d = diffMaps('BuildKit', actual, 'rebuild', p.map, insAt);
    if (d.length || p.problems.length) {
      res.failures.push(`rebuild ${p.name} disagrees with BuildKit:`, ...d.map((x) => `  ${x}`), ...p.problems.map((x) => `  ${x}`));
      res.failures.push(`  (node dist/cli.js rebuild ${p.args.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')} --format json)`);
    }
  }
  if (opt.record) {
    const c = [...actual].filter(([, s]) => s === 'cached').map(([l]) => l);
    const r = [...actual].filter(([, s]) => s === 'rebuilt').map(([l]) => l);
    res.notes.push(`expect: { ${[c.length ? `cached: [${c.join(', ')}]` : '', r.length ? `rebuilt: [${r.join(', ')}]` : ''].filter(Boolean).join(', ')} },`);
  }
  await docker(['rmi', '-f', tag]);
  if (!opt.keep) { fs.rmSync(dir.root, { recursive: true, force: true }); fs.rmSync(prevRoot, { recursive: true, force: true }); fs.rmSync(secretsDir, { recursive: true, force: true }); }
  return res;
}

function pad(s, n) { s = String(s); return s.length >= n ? s : s + ' '.repeat(n - s.length); }

async function main() {
  let passed = 0;
  let failed = 0;
  const rows = [];
  try {
    const self = selftest(); // the step mapping on recorded BuildKit output, before any daemon starts
    if (self.length) throw new Error(`the harness's own step mapping is broken:\n  ${self.join('\n  ')}`);
    const useCli = !opt.noCli;
    if (useCli && !(await cliHasRebuild())) {
      throw new Error(`${path.relative(ROOT, CLI)} has no "rebuild" command (run npm run build; or pass --no-cli to check BuildKit against the recorded expectations only)`);
    }
    const list = scenarios.filter((s) => !opt.grep || opt.grep.test(s.id));
    const ids = new Set();
    for (const s of scenarios) { if (ids.has(s.id)) throw new Error(`duplicate scenario id ${s.id}`); ids.add(s.id); }

    // engines: the daemon DOCKER_HOST names, or --jobs private ones (each gets its own base image)
    const tb = Date.now();
    if (process.env.DOCKER_HOST) {
      console.log(`engine: using DOCKER_HOST=${process.env.DOCKER_HOST}`);
      engines.push(new Engine(process.env.DOCKER_HOST, undefined));
    } else {
      const jobs = Math.min(opt.jobs, Math.max(1, list.length));
      for (let i = 0; i < jobs; i++) await startEngine();
    }
    await Promise.all(engines.map((e) => makeBaseImage(e)));
    console.log(`base image dfi-base:1 built on ${engines.length} engine(s) in ${secs(Date.now() - tb)}s`);
    console.log(`\n${list.length} rebuild scenario(s)${useCli ? '' : ' (--no-cli: BuildKit vs recorded expectations only)'}\n`);

    // a queue of scenarios over the engines; results are printed in scenario order
    const results = new Array(list.length);
    let next = 0;
    let printed = 0;
    const flush = () => {
      while (printed < list.length && results[printed]) {
        const { res, ms } = results[printed++];
        const ok = res.failures.length === 0;
        ok ? passed++ : failed++;
        console.log(`${ok ? '  ok  ' : 'FAIL  '} ${pad(res.sc.id, 44)} BuildKit ${signature(res.actual)}  (${secs(ms)}s)`);
        for (const f of res.failures) console.log(`        ${f}`);
        if (!ok) console.log(`        why: ${res.sc.why}`);
        for (const x of res.notes) console.log(`        ${x}`);
        rows.push(res);
      }
    };
    await Promise.all(engines.map(async (engine) => {
      while (next < list.length) {
        const i = next++;
        const sc = list[i];
        const ts = Date.now();
        let res;
        try {
          res = await runScenario(engine, sc, i + 1, useCli);
        } catch (e) {
          res = { sc, actual: new Map(), predictions: [], failures: [`error: ${e.message}`], notes: [] };
        }
        results[i] = { res, ms: Date.now() - ts };
        flush();
      }
    }));

    if (!opt.noBytes && (!opt.grep || opt.grep.test('bytes'))) {
      console.log('\nCOPY/ADD layer bytes: `layers` vs `docker history` (within 5%)\n');
      for (const b of byteScenarios) {
        const ts = Date.now();
        let r;
        try {
          r = await compareBytes(b, { work, docker: engines[0].docker, writeFiles, cli: useCli ? CLI : undefined, root: ROOT });
        } catch (e) {
          r = { lines: [], failures: [`error: ${e.message}`] };
        }
        const ok = r.failures.length === 0;
        ok ? passed++ : failed++;
        console.log(`${ok ? '  ok  ' : 'FAIL  '} bytes/${b.id}  (${secs(Date.now() - ts)}s)`);
        for (const l of r.lines) console.log(`        ${l}`);
        for (const f of r.failures) console.log(`        ${f}`);
      }
    }

    // the agreement table
    console.log('\nAgreement (C cached, R rebuilt, by line of the edited Dockerfile; "=" agrees with BuildKit)\n');
    const w = Math.max(...rows.map((r) => r.sc.id.length), 8) + 2;
    const bw = Math.max(...rows.map((r) => signature(r.actual).length), 8) + 2;
    console.log(`${pad('scenario', w)}${pad('BuildKit', bw)}${pad('expected', 10)}${pad('--previous', 12)}flags`);
    for (const r of rows) {
      const cell = (name) => {
        const p = r.predictions.find((x) => x.name === name);
        if (!p) return '-';
        if (p.error) return 'error';
        const same = diffMaps('', r.actual, '', p.map, () => '').length === 0;
        return same ? (p.problems.length ? '=*' : '=') : signature(p.map);
      };
      const exp = diffMaps('', r.actual, '', expectationMap(r.sc.expect), () => '').length === 0 ? '=' : signature(expectationMap(r.sc.expect));
      console.log(`${pad(r.sc.id, w)}${pad(signature(r.actual), bw)}${pad(exp, 10)}${pad(cell('--previous'), 12)}${cell('flags')}`);
    }
  } catch (e) {
    console.error(`\nbuildkit: ${e.message}`);
    failed++;
  } finally {
    await stopEngines();
    if (opt.keep) console.log(`\nwork directory kept: ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(`\nbuildkit: ${passed} passed, ${failed} failed (${secs(Date.now() - t0)}s)`);
  process.exitCode = failed ? 1 : 0;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => { await stopEngines(); fs.rmSync(work, { recursive: true, force: true }); process.exit(130); });
}
main();
