/**
 * The cache model. Every expectation below was first observed on the real builder (Docker 20.10, BuildKit built
 * in; `docker build --progress=plain`, CACHED vs DONE) — see docs/layers-and-cache.md — and is encoded here so
 * the model cannot drift from it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildModel } from '../../src/core/model';
import {
  BuildSide, cacheInputs, ChangeSpec, ContextView, predict, Prediction, whatIf,
} from '../../src/core/cache';
import { IgnoreMatcher } from '../../src/core/dockerignore';
import { parseScript, runEffects } from '../../src/core/runEffects';

/** `{ line: status }` of a prediction, `r` for rebuilt and `c` for cached. */
function statuses(p: Prediction): Record<number, string> {
  const out: Record<number, string> = {};
  for (const s of p.steps) out[s.line] = s.status === 'rebuilt' ? 'r' : 'c';
  return out;
}

function what(text: string, change: ChangeSpec, opts: { buildArgs?: Record<string, string>; target?: string; ignore?: string[] } = {}): Record<number, string> {
  return statuses(whatIf((buildArgs) => buildModel(text, { buildArgs, target: opts.target }), change, {
    buildArgs: opts.buildArgs, target: opts.target, ignore: opts.ignore ? new IgnoreMatcher(opts.ignore) : undefined,
  }));
}

/** Two builds of (possibly) different Dockerfile texts with explicit context differences. */
function compare(prevText: string, curText: string, changed: Record<string, [string | undefined, string | undefined]> = {}): Record<number, string> {
  const pv: ContextView = { changed: new Map() };
  const cv: ContextView = { changed: new Map() };
  for (const [p, [a, b]] of Object.entries(changed)) {
    pv.changed.set(p, a);
    cv.changed.set(p, b);
  }
  const prev: BuildSide = { model: buildModel(prevText), context: pv };
  const cur: BuildSide = { model: buildModel(curText), context: cv };
  return statuses(predict(prev, cur));
}

const SINGLE = `FROM bb
ARG V=1
WORKDIR /app
COPY src/ /app/src/
RUN cat /app/src/a.txt > /out
ENV E=1
COPY other.txt /app/
RUN echo done
`;

describe('cache model: one stage', () => {
  it('lists the steps BuildKit executes (RUN, COPY, ADD, WORKDIR other than /), with 1-based lines', () => {
    const p = whatIf((a) => buildModel('FROM bb\nENV A=1\nWORKDIR /\nWORKDIR /x\nRUN true\nUSER nobody\nCOPY a /a\nADD b /b\nCMD x\n', { buildArgs: a }), {});
    assert.deepEqual(p.steps.map((s) => [s.line, s.instruction, s.stage, s.status]), [
      [4, 'WORKDIR', 0, 'cached'], [5, 'RUN', 0, 'cached'], [7, 'COPY', 0, 'cached'], [8, 'ADD', 0, 'cached'],
    ]);
    assert.equal(p.firstRebuiltLine, null);
  });

  it('a changed file rebuilds the COPY that takes it and every step after it in the stage', () => {
    assert.deepEqual(what(SINGLE, { files: ['src/a.txt'] }), { 3: 'c', 4: 'r', 5: 'r', 7: 'r', 8: 'r' });
    assert.deepEqual(what(SINGLE, { files: ['other.txt'] }), { 3: 'c', 4: 'c', 5: 'c', 7: 'r', 8: 'r' });
    assert.deepEqual(what(SINGLE, { files: ['unrelated.txt'] }), { 3: 'c', 4: 'c', 5: 'c', 7: 'c', 8: 'c' });
  });

  it('an excluded (ignored) file changes nothing', () => {
    assert.deepEqual(what(SINGLE, { files: ['src/a.txt'] }, { ignore: ['src/*.txt'] }), { 3: 'c', 4: 'c', 5: 'c', 7: 'c', 8: 'c' });
  });

  it('an ARG value reaches every RUN after the ARG, used or not, but not COPY or WORKDIR', () => {
    assert.deepEqual(what(SINGLE, { buildArgs: { V: '2' } }), { 3: 'c', 4: 'c', 5: 'r', 7: 'r', 8: 'r' });
    assert.deepEqual(what(SINGLE, { buildArgs: { V: undefined } }), { 3: 'c', 4: 'c', 5: 'r', 7: 'r', 8: 'r' });
  });

  it('the same value passed explicitly, an undeclared arg and a proxy arg change nothing', () => {
    const none = { 3: 'c', 4: 'c', 5: 'c', 7: 'c', 8: 'c' };
    assert.deepEqual(what(SINGLE, { buildArgs: { V: '1' } }), none);
    assert.deepEqual(what(SINGLE, { buildArgs: { ZZ: undefined } }), none);
    assert.deepEqual(what(SINGLE, { buildArgs: { HTTP_PROXY: 'http://p:1' } }), none);
  });

  it('an ARG without default that gets a value; an ARG used in a COPY path; a global ARG only when re-declared', () => {
    assert.deepEqual(what('FROM bb\nRUN echo a\nARG X\nCOPY o /o\nRUN echo b\n', { buildArgs: { X: '1' } }), { 2: 'c', 4: 'c', 5: 'r' });
    assert.deepEqual(what('FROM bb\nARG F=o\nCOPY $F /o\nRUN echo b\n', { buildArgs: { F: 'p' } }), { 3: 'r', 4: 'r' });
    assert.deepEqual(what('ARG V=1\nFROM bb\nCOPY o /o\nARG V\nRUN echo x\n', { buildArgs: { V: '2' } }), { 3: 'c', 5: 'r' });
    assert.deepEqual(what('ARG V=1\nFROM bb\nCOPY o /o\nRUN echo x\n', { buildArgs: { V: '2' } }), { 3: 'c', 4: 'c' });
    assert.deepEqual(what('FROM bb\nARG V=1\nENV X=$V\nCOPY o /o\nRUN echo x\n', { buildArgs: { V: '2' } }), { 4: 'c', 5: 'r' });
  });

  it('a new base image rebuilds every stage built on it, not FROM scratch stages', () => {
    const text = 'FROM scratch AS s\nCOPY o /o\nFROM bbx\nCOPY o /o\nRUN echo x\nCOPY --from=s /o /o2\n';
    assert.deepEqual(what(text, { baseChanged: true }), { 2: 'c', 4: 'r', 5: 'r', 6: 'r' });
  });

  // A base image rebuilt with the same layers and another configuration (Docker 20.10 BuildKit; the image's config
  // edited between the builds, layers identical). Each Dockerfile ends in its own RUN so no two share a vertex.
  describe('a base image whose configuration alone changed (--base-changed=config / env / user / workdir / shell)', () => {
    const df = (...lines: string[]) => ['FROM bx', ...lines].join('\n') + '\n';
    const cases: Record<string, string> = {
      wdAbs: df('WORKDIR /app1', 'RUN true 1'),
      wdRel: df('WORKDIR app2', 'RUN true 2'),
      copyAbs: df('COPY app.txt /abs3.txt', 'RUN true 3'),
      copyRel: df('COPY app.txt rel4.txt', 'RUN true 4'),
      chown: df('COPY --chown=app:app app.txt /c5.txt', 'RUN true 5'),
      chownId: df('COPY --chown=1000:1000 app.txt /c6.txt', 'RUN true 6'),
      add: df('ADD app.txt /a7.txt', 'RUN true 7'),
      copyBaseVar: df('COPY app.txt /d8/$MODE/', 'RUN true 8'),
      userFirst: df('USER app', 'WORKDIR /x10', 'COPY app.txt /y10', 'RUN true 10'),
      chmod: df('COPY --chmod=600 app.txt /c16.txt', 'RUN true 16'),
      wdBaseVar: df('WORKDIR /w17/$MODE', 'RUN true 17'),
      rootThenRel: df('WORKDIR /', 'COPY app.txt rel19.txt', 'RUN true 19'),
      rootThenRelWd: df('WORKDIR /', 'WORKDIR app20', 'RUN true 20'),
      userRelWd: df('USER app', 'WORKDIR app21', 'RUN true 21'),
      twoCopies: df('COPY app.txt /abs23.txt', 'COPY app.txt /abs23-2.txt', 'WORKDIR /q23', 'RUN true 23'),
    };
    const ORDER = Object.keys(cases);
    /** For every case, the statuses as `c`/`r` letters in line order. */
    const run = (baseChanged: ChangeSpec['baseChanged']) => Object.fromEntries(ORDER.map((k) => [k, Object.values(what(cases[k], { baseChanged })).join('')]));
    // what BuildKit did, per case (recorded with the real engine; see docs/layers-and-cache.md)
    it('ENV: RUN and any expansion of a variable only the image defines; WORKDIR, COPY (--chown, --chmod, relative) and ADD stay', () => {
      assert.deepEqual(run(['env']), {
        wdAbs: 'cr', wdRel: 'cr', copyAbs: 'cr', copyRel: 'cr', chown: 'cr', chownId: 'cr', add: 'cr', copyBaseVar: 'rr', userFirst: 'ccr',
        chmod: 'cr', wdBaseVar: 'rr', rootThenRel: 'cr', rootThenRelWd: 'cr', userRelWd: 'cr', twoCopies: 'cccr',
      });
    });
    it('USER: WORKDIR (created as that user) until a USER step, and RUN; COPY and ADD stay, with or without --chown', () => {
      assert.deepEqual(run(['user']), {
        wdAbs: 'rr', wdRel: 'rr', copyAbs: 'cr', copyRel: 'cr', chown: 'cr', chownId: 'cr', add: 'cr', copyBaseVar: 'cr', userFirst: 'ccc',
        chmod: 'cr', wdBaseVar: 'rr', rootThenRel: 'cr', rootThenRelWd: 'rr', userRelWd: 'cc', twoCopies: 'ccrr',
      });
    });
    it('WORKDIR: a relative WORKDIR, a COPY to a relative destination and RUN, until an absolute WORKDIR', () => {
      assert.deepEqual(run(['workdir']), {
        wdAbs: 'cc', wdRel: 'rr', copyAbs: 'cr', copyRel: 'rr', chown: 'cr', chownId: 'cr', add: 'cr', copyBaseVar: 'cr', userFirst: 'ccc',
        chmod: 'cr', wdBaseVar: 'cc', rootThenRel: 'cc', rootThenRelWd: 'cc', userRelWd: 'rr', twoCopies: 'cccc',
      });
    });
    it('SHELL: only a shell-form RUN before any SHELL step', () => {
      assert.deepEqual(what(df('RUN ["true", "exec"]', 'RUN true'), { baseChanged: ['shell'] }), { 2: 'c', 3: 'r' });
      assert.deepEqual(what(df('SHELL ["/bin/sh", "-c"]', 'RUN true'), { baseChanged: ['shell'] }), { 3: 'c' });
      assert.deepEqual(what(df('SHELL ["/bin/sh", "-c"]', 'RUN true'), { baseChanged: ['env'] }), { 3: 'r' });
      assert.deepEqual(what(df('RUN ["true", "exec"]'), { baseChanged: ['env'] }), { 2: 'r' });
      assert.deepEqual(what(df('RUN ["true", "exec"]'), { baseChanged: ['workdir'] }), { 2: 'r' });
      assert.deepEqual(run(['shell']), {
        wdAbs: 'cr', wdRel: 'cr', copyAbs: 'cr', copyRel: 'cr', chown: 'cr', chownId: 'cr', add: 'cr', copyBaseVar: 'cr', userFirst: 'ccr',
        chmod: 'cr', wdBaseVar: 'cr', rootThenRel: 'cr', rootThenRelWd: 'cr', userRelWd: 'cr', twoCopies: 'cccr',
      });
    });
    it('config (which part unknown) is every step that reads any of it; the layers (true / "layers") rebuild everything', () => {
      const union = run('config');
      for (const k of ORDER) {
        const parts = [run(['env'])[k], run(['user'])[k], run(['workdir'])[k], run(['shell'])[k]];
        const expected = [...union[k]].map((_, i) => (parts.some((p) => p[i] === 'r') ? 'r' : 'c')).join('');
        assert.equal(union[k], expected, k);
      }
      assert.equal(run('config').wdAbs, 'rr', 'the env-only case keeps WORKDIR; a USER change does not');
      for (const k of ORDER) {
        assert.match(run(true)[k], /^r+$/, k);
        assert.deepEqual(run('layers')[k], run(true)[k], k);
      }
      // nothing changed: everything cached (a LABEL/CMD-only change rebuilds nothing, as observed)
      for (const k of ORDER) assert.match(run(undefined)[k], /^c+$/, k);
      assert.deepEqual(run(['env', 'user']).wdAbs, 'rr');
    });
    it('a stage FROM another stage reads the image\'s config through it; COPY --from keys on content, not on the RUN re-running', () => {
      assert.deepEqual(what('FROM bx AS a\nENV X=1\nFROM a\nCOPY app.txt /s.txt\nRUN true 11\n', { baseChanged: ['env'] }), { 4: 'c', 5: 'r' });
      const same = 'FROM bx AS a\nRUN echo same > /tmp/out12\nFROM scratch\nCOPY --from=a /tmp/out12 /out\nCOPY x /x\n';
      for (const f of ['env', 'user', 'workdir'] as const) assert.deepEqual(what(same, { baseChanged: [f] }), { 2: 'r', 4: 'c', 5: 'c' }, f);
      const usesEnv = 'FROM bx AS a\nRUN echo "$MODE" > /tmp/out13\nFROM scratch\nCOPY --from=a /tmp/out13 /out\nCOPY x /x\n';
      assert.deepEqual(what(usesEnv, { baseChanged: ['env'] }), { 2: 'r', 4: 'r', 5: 'r' });
      assert.deepEqual(what(usesEnv, { baseChanged: ['user'] }), { 2: 'r', 4: 'c', 5: 'c' });
      assert.deepEqual(what(usesEnv, { baseChanged: ['workdir'] }), { 2: 'r', 4: 'c', 5: 'c' });
      // a relative path written under the image's WORKDIR lands elsewhere when that WORKDIR changes
      const relative = 'FROM bx AS a\nRUN echo same > out\nFROM scratch\nCOPY --from=a /out /out\n';
      assert.deepEqual(what(relative, { baseChanged: ['workdir'] }), { 2: 'r', 4: 'r' });
      assert.deepEqual(what(relative.replace('FROM bx AS a\n', 'FROM bx AS a\nWORKDIR /\n'), { baseChanged: ['workdir'] }), { 3: 'c', 5: 'c' });
    });
    it('FROM scratch has no configuration to change', () => {
      assert.deepEqual(what('FROM scratch\nWORKDIR app\nCOPY a b\n', { baseChanged: 'config' }), { 2: 'c', 3: 'c' });
    });
  });

  it('Dockerfile edits: RUN whitespace counts, COPY whitespace and keyword case do not, comments and metadata do not', () => {
    assert.deepEqual(compare(SINGLE, SINGLE.replace('RUN echo done', 'RUN echo  done')), { 3: 'c', 4: 'c', 5: 'c', 7: 'c', 8: 'r' });
    assert.deepEqual(compare(SINGLE, SINGLE.replace('COPY other.txt /app/', 'copy   other.txt  /app/')), { 3: 'c', 4: 'c', 5: 'c', 7: 'c', 8: 'c' });
    assert.deepEqual(compare(SINGLE, SINGLE.replace('ARG V=1', '# note\n\nARG V=1')), { 5: 'c', 6: 'c', 7: 'c', 9: 'c', 10: 'c' });
    assert.deepEqual(compare(SINGLE, SINGLE + 'LABEL a=b\nCMD ["x"]\n'), { 3: 'c', 4: 'c', 5: 'c', 7: 'c', 8: 'c' });
  });

  it('ENV rebuilds the RUNs after it, not a COPY between; USER rebuilds WORKDIR and RUN, not COPY; SHELL rebuilds RUN', () => {
    assert.deepEqual(compare(SINGLE, SINGLE.replace('ENV E=1', 'ENV E=2')), { 3: 'c', 4: 'c', 5: 'c', 7: 'c', 8: 'r' });
    const u = 'FROM bb\nUSER root\nCOPY o /o\nWORKDIR /w\nRUN echo x\n';
    assert.deepEqual(compare(u, u.replace('USER root', 'USER nobody')), { 3: 'c', 4: 'r', 5: 'r' });
    const s = 'FROM bb\nCOPY o /o\nSHELL ["/bin/sh", "-c"]\nRUN echo x\n';
    assert.deepEqual(compare(s, s.replace('"-c"', '"-ec"')), { 2: 'c', 4: 'r' });
  });

  it('inserting, removing and swapping steps', () => {
    const t = 'FROM bb\nCOPY a /a\nCOPY b /b\nRUN echo x\n';
    assert.deepEqual(compare(t, t.replace('COPY b /b', 'RUN echo new\nCOPY b /b')), { 2: 'c', 3: 'r', 4: 'r', 5: 'r' });
    assert.deepEqual(compare(t, 'FROM bb\nCOPY a /a\nRUN echo x\n'), { 2: 'c', 3: 'r' });
    assert.deepEqual(compare(t, 'FROM bb\nCOPY b /b\nCOPY a /a\nRUN echo x\n'), { 2: 'r', 3: 'r', 4: 'r' });
  });

  it('context differences: content, deletion, addition under a copied directory; a glob takes only matching files', () => {
    assert.deepEqual(compare(SINGLE, SINGLE, { 'src/b.txt': ['f:644:x', undefined] }), { 3: 'c', 4: 'r', 5: 'r', 7: 'r', 8: 'r' });
    assert.deepEqual(compare(SINGLE, SINGLE, { 'src/empty': [undefined, 'dir'] }), { 3: 'c', 4: 'r', 5: 'r', 7: 'r', 8: 'r' });
    const g = 'FROM bb\nCOPY src/*.txt /g/\nRUN echo x\n';
    assert.deepEqual(compare(g, g, { 'src/c.txt': [undefined, 'f'] }), { 2: 'r', 3: 'r' });
    assert.deepEqual(compare(g, g, { 'src/c.md': [undefined, 'f'] }), { 2: 'c', 3: 'c' });
    const whole = 'FROM bb\nRUN echo 1\nCOPY . /ctx\nRUN echo 2\n';
    assert.deepEqual(compare(whole, whole, { Dockerfile: ['old', 'new'] }), { 2: 'c', 3: 'r', 4: 'r' });
  });

  it('RUN --mount=type=bind sources are inputs by content; cache mounts are not', () => {
    const b = 'FROM bb\nRUN echo 1\nRUN --mount=type=bind,source=src,target=/m cat /m/a.txt > /x\nRUN echo 2\n';
    assert.deepEqual(what(b, { files: ['src/a.txt'] }), { 2: 'c', 3: 'r', 4: 'r' });
    assert.deepEqual(what(b, { files: ['other.txt'] }), { 2: 'c', 3: 'c', 4: 'c' });
    const c = 'FROM bb\nRUN --mount=type=cache,target=/c echo 1 > /c/x\nCOPY other.txt /o\n';
    assert.deepEqual(what(c, { files: ['other.txt'] }), { 2: 'c', 3: 'r' });
  });

  it('--changed DIR: something below the directory changed', () => {
    const t = 'FROM bb\nCOPY other.txt /o\nCOPY src/a.txt /a\nRUN echo x\n';
    assert.deepEqual(what(t, { files: ['src'], directories: ['src'] }), { 2: 'c', 3: 'r', 4: 'r' });
  });
});

const MULTI = `FROM bb AS builder
ARG V=1
COPY a.txt /a
COPY b.txt /b
RUN echo same > /out
RUN cat /a > /acopy

FROM bb AS unused
COPY c.txt /c
RUN echo unused

FROM bb
COPY --from=builder /a /a
COPY --from=builder /out /out
RUN echo final
COPY --from=builder /acopy /acopy
`;

describe('cache model: stages', () => {
  it('COPY --from depends on the content at the path, not on whether the stage re-ran', () => {
    // b.txt rebuilds builder's COPY b and both RUNs; /a, /out (echo same) and /acopy (cat /a) have the same content
    assert.deepEqual(what(MULTI, { files: ['b.txt'] }), { 3: 'c', 4: 'r', 5: 'r', 6: 'r', 13: 'c', 14: 'c', 15: 'c', 16: 'c' });
    assert.deepEqual(what(MULTI, { files: ['a.txt'] }), { 3: 'r', 4: 'r', 5: 'r', 6: 'r', 13: 'r', 14: 'r', 15: 'r', 16: 'r' });
    assert.deepEqual(what(MULTI, { buildArgs: { V: '2' } }), { 3: 'c', 4: 'c', 5: 'r', 6: 'r', 13: 'c', 14: 'c', 15: 'c', 16: 'c' });
  });

  it('a stage the target does not need is not listed; its files change nothing', () => {
    assert.deepEqual(what(MULTI, { files: ['c.txt'] }), { 3: 'c', 4: 'c', 5: 'c', 6: 'c', 13: 'c', 14: 'c', 15: 'c', 16: 'c' });
    assert.deepEqual(what(MULTI, { files: ['c.txt'] }, { target: 'unused' }), { 9: 'r', 10: 'r' });
  });

  it('a RUN whose output uses the changed ARG, or is not understood, changes what COPY --from takes', () => {
    const t = 'FROM bb AS b\nARG V=1\nRUN echo $V > /out\nRUN echo other > /other\nFROM bb\nCOPY --from=b /other /other\nCOPY --from=b /out /out\nRUN echo x\n';
    assert.deepEqual(what(t, { buildArgs: { V: '2' } }), { 3: 'r', 4: 'r', 6: 'c', 7: 'r', 8: 'r' });
    const d = 'FROM bb AS b\nARG V=1\nRUN date +%s%N > /out\nFROM bb\nCOPY --from=b /out /out\nRUN echo x\n';
    assert.deepEqual(what(d, { buildArgs: { V: '2' } }), { 3: 'r', 5: 'r', 6: 'r' });
  });

  it('renaming a stage keeps the cache; a stage FROM another stage follows it', () => {
    assert.deepEqual(compare(MULTI, MULTI.replace(/builder/g, 'build')), { 3: 'c', 4: 'c', 5: 'c', 6: 'c', 13: 'c', 14: 'c', 15: 'c', 16: 'c' });
    const t = 'FROM bb AS builder\nWORKDIR /w\nCOPY src/ ./src/\nRUN cd src && cat a.txt b.txt > /w/all\nFROM builder AS test\nRUN echo test\n';
    assert.deepEqual(what(t, { files: ['src/a.txt'] }, { target: 'test' }), { 2: 'c', 3: 'r', 4: 'r', 6: 'r' });
  });

  it('stage names are reported by name, unnamed stages by index', () => {
    const p = whatIf((a) => buildModel(MULTI, { buildArgs: a }), { files: ['a.txt'] });
    assert.deepEqual([...new Set(p.steps.map((s) => s.stage))], ['builder', 2]);
    assert.equal(p.firstRebuiltLine, 3);
  });
});

describe('cache inputs ("rebuilds when")', () => {
  it('collects files, args, base images and stage outputs along the chain', () => {
    const m = buildModel(MULTI);
    const last = m.steps.find((s) => s.range.start.line === 15)!; // RUN echo final? (line 15 is COPY --from ... /acopy)
    const inputs = cacheInputs(m, last);
    assert.ok(inputs.images.includes('bb'));
    assert.deepEqual(inputs.stageOutputs.map((o) => `${o.stage}:${o.path}`), ['builder:/a', 'builder:/out', 'builder:/acopy']);
    assert.ok(inputs.files.includes('a.txt') && inputs.files.includes('b.txt'), JSON.stringify(inputs));
    assert.ok(inputs.args.includes('V'));
    assert.ok(!inputs.files.includes('c.txt'));
    const run = buildModel(SINGLE).steps[4];
    const ri = cacheInputs(buildModel(SINGLE), run);
    assert.deepEqual(ri.files, ['src']);
    assert.deepEqual(ri.args, ['V']);
    assert.deepEqual(ri.lines, [3, 4, 5]);
  });
});

describe('RUN effects (runEffects)', () => {
  it('follows simple commands, redirections and cd', () => {
    const e = runEffects('cd src && cat a.txt b.txt > /w/all; mkdir -p /x/y', '/w');
    assert.ok(e.pure);
    assert.deepEqual(e.reads, ['/w/src/a.txt', '/w/src/b.txt']);
    assert.deepEqual(e.writes, [{ path: '/w/all', cover: true }, { path: '/x/y', cover: false }]);
    assert.deepEqual(runEffects('echo "$V" >> out', '/a'), { pure: true, reads: [], writes: [{ path: '/a/out', cover: false }], vars: ['V'] });
  });

  it('gives up on what it cannot follow', () => {
    for (const s of ['make', 'echo $(date) > /x', 'if true; then echo; fi', 'cat $F > /x', 'sh -c "echo hi"', 'cat <<EOF\nx\nEOF', 'date > /x']) {
      assert.equal(runEffects(s, '/').pure, false, s);
    }
    assert.equal(parseScript("echo 'unterminated").commands, undefined);
  });
});

describe('CLI rebuild (JSON contract)', () => {
  const cliPath = (() => {
    let d = __dirname;
    for (;;) {
      if (fs.existsSync(path.join(d, 'tsconfig.test.json'))) return path.join(d, 'dist', 'cli.js');
      const parent = path.dirname(d);
      if (parent === d) throw new Error('project root not found');
      d = parent;
    }
  })();
  let tmp = '';
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dfi-rebuild-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd: tmp });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const write = (root: string, files: Record<string, string>) => {
    for (const [f, c] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), c);
    }
  };

  it('--changed / --changed-build-arg / --base-changed print the contract JSON', () => {
    const ctx = path.join(tmp, 'a');
    write(ctx, { Dockerfile: SINGLE, 'src/a.txt': 'a', 'other.txt': 'o' });
    const r = run(['rebuild', path.join(ctx, 'Dockerfile'), '--context', ctx, '--changed', 'other.txt', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j), ['steps', 'firstRebuiltLine']);
    assert.deepEqual(j.steps[0], { line: 3, stage: 0, instruction: 'WORKDIR', status: 'cached' });
    assert.equal(j.firstRebuiltLine, 7);
    const a = JSON.parse(run(['rebuild', 'a/Dockerfile', '--context', 'a', '--changed-build-arg', 'V', '--format=json']).stdout);
    assert.equal(a.firstRebuiltLine, 5);
    const same = JSON.parse(run(['rebuild', 'a/Dockerfile', '--context', 'a', '--build-arg', 'V=3', '--changed-build-arg', 'V=3', '--format', 'json']).stdout);
    assert.equal(same.firstRebuiltLine, null);
    const base = JSON.parse(run(['rebuild', 'a/Dockerfile', '--context', 'a', '--base-changed', '--format', 'json']).stdout);
    assert.equal(base.firstRebuiltLine, 3);
  });

  it('--base-changed=config | env,user,workdir,shell: only the steps that read the base image\'s configuration', () => {
    const ctx = path.join(tmp, 'cfg');
    write(ctx, { Dockerfile: SINGLE, 'src/a.txt': 'a', 'other.txt': 'o' });
    const first = (...flags: string[]) => {
      const r = run(['rebuild', 'cfg/Dockerfile', '--context', 'cfg', ...flags, '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout).firstRebuiltLine;
    };
    assert.equal(first('--base-changed=layers'), 3);
    assert.equal(first('--base-changed=config'), 3, 'WORKDIR /app is created as the image\'s USER');
    assert.equal(first('--base-changed=env'), 5, 'ENV: only from the first RUN');
    assert.equal(first('--base-changed=user'), 3);
    assert.equal(first('--base-changed=workdir'), null, 'an absolute WORKDIR first: nothing reads the image\'s');
    assert.equal(first('--base-changed=shell,env'), 5);
    assert.equal(first('--base-changed=env', '--base-changed'), 3, 'layers win when both are given');
    // --previous: the context copies cannot show a base change, the flag tells it the same way
    const prev = path.join(tmp, 'cfg-prev');
    write(prev, { Dockerfile: SINGLE, 'src/a.txt': 'a', 'other.txt': 'o' });
    assert.equal(first('--previous', prev, '--base-changed=env'), 5);
    assert.equal(first('--previous', prev), null);
    const text = run(['rebuild', 'cfg/Dockerfile', '--context', 'cfg', '--base-changed=env']);
    assert.match(text.stdout, /base images: configuration changed \(env\)/);
    for (const bad of ['--base-changed=', '--base-changed=labels', '--base-changed=env,nope']) {
      const r = run(['rebuild', 'cfg/Dockerfile', '--context', 'cfg', bad]);
      assert.equal(r.status, 2, bad);
      assert.match(r.stderr, /layers, config, or a comma-separated list of env, user, workdir, shell/);
    }
  });

  it('--previous works out what differs: content, mode, mtime (ignored), added files, the Dockerfile text', () => {
    const prev = path.join(tmp, 'p');
    const cur = path.join(tmp, 'c');
    const files = { Dockerfile: SINGLE, 'src/a.txt': 'a', 'src/b.txt': 'b', 'other.txt': 'o' };
    write(prev, files);
    write(cur, files);
    const j = (args: string[] = []) => JSON.parse(run(['rebuild', path.join(cur, 'Dockerfile'), '--context', cur, '--previous', prev, '--format', 'json', ...args]).stdout);
    fs.utimesSync(path.join(cur, 'src/a.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    assert.equal(j().firstRebuiltLine, null, 'mtime only');
    fs.chmodSync(path.join(cur, 'other.txt'), 0o755);
    assert.equal(j().firstRebuiltLine, 7, 'mode');
    fs.chmodSync(path.join(cur, 'other.txt'), 0o644);
    fs.chmodSync(path.join(prev, 'other.txt'), 0o644);
    write(cur, { 'src/new.txt': 'n' });
    assert.equal(j().firstRebuiltLine, 4, 'added');
    fs.rmSync(path.join(cur, 'src/new.txt'));
    write(cur, { Dockerfile: SINGLE.replace('RUN echo done', 'RUN echo changed') });
    assert.equal(j().firstRebuiltLine, 8, 'Dockerfile text');
    write(cur, { 'Dockerfile.next': SINGLE });
    assert.equal(j(['--previous-dockerfile', path.join(cur, 'Dockerfile.next')]).firstRebuiltLine, 8, 'previous Dockerfile given');
  });

  it('usage errors exit 2', () => {
    assert.equal(run(['rebuild']).status, 2);
    assert.equal(run(['rebuild', 'nope/Dockerfile']).status, 2);
    assert.equal(run(['layers', 'x', '--changed', 'a']).status, 2);
    assert.equal(run(['rebuild', 'a/Dockerfile', '--context', 'a', '--target', 'nosuch']).status, 2);
    assert.equal(run(['rebuild', 'a/Dockerfile', '--format', 'xml']).status, 2);
  });
});
