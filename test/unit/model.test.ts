import assert from 'node:assert/strict';
import { buildModel, expand, joinContinuations, parseImageRef, sliceRange, stepAtLine, VarScope } from '../../src/core';

describe('model', () => {
  describe('parser directives', () => {
    it('reads syntax, escape and check', () => {
      const m = buildModel('# syntax=docker/dockerfile:1.7\n# escape=`\n# check=skip=StageNameCasing;error=true\nFROM alpine:3.20\n');
      assert.equal(m.syntax?.value, 'docker/dockerfile:1.7');
      assert.equal(m.escape?.value, '`');
      assert.equal(m.escapeChar, '`');
      assert.equal(m.check?.value, 'skip=StageNameCasing;error=true');
    });

    it('uses the backtick escape for line continuations', () => {
      const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a `\n    && echo b\nWORKDIR C:\\app\n';
      const m = buildModel(text);
      const run = m.steps.find((s) => s.keyword === 'RUN')!;
      assert.deepEqual([run.range.start.line, run.range.end.line], [2, 3]);
      assert.match(run.argsText, /echo a\s+&& echo b/);
      const wd = m.steps.find((s) => s.keyword === 'WORKDIR')!;
      assert.equal(wd.argsText, 'C:\\app');
    });
  });

  describe('line handling', () => {
    it('keeps exact ranges with CRLF line endings', () => {
      const text = 'FROM alpine:3.20\r\nRUN apk add \\\r\n    curl\r\nUSER app\r\n';
      const m = buildModel(text);
      assert.equal(m.steps.length, 3);
      const run = m.steps[1];
      assert.deepEqual(run.range.start, { line: 1, character: 0 });
      assert.equal(run.range.end.line, 2);
      assert.equal(sliceRange(m, m.steps[2].range), 'USER app');
      assert.equal(m.steps[2].range.start.line, 3);
    });

    it('skips comments inside continuation lines', () => {
      const text = 'FROM alpine:3.20\nRUN apk add \\\n  # the web client\n  curl \\\n  && echo done\n';
      const m = buildModel(text);
      const run = m.steps[1];
      assert.equal(run.range.end.line, 4);
      assert.doesNotMatch(run.argsText, /web client/);
      assert.match(run.argsText, /apk add\s+curl\s+&& echo done/);
    });

    it('finds the step at a line with a binary search', () => {
      const m = buildModel('FROM a:1\n\nRUN x \\\n  y\nCMD z\n');
      assert.equal(stepAtLine(m, 3)?.keyword, 'RUN');
      assert.equal(stepAtLine(m, 1), undefined);
      assert.equal(stepAtLine(m, 4)?.keyword, 'CMD');
    });
  });

  describe('forms and flags', () => {
    it('tells JSON form from shell form', () => {
      const m = buildModel('FROM a:1\nCMD ["node", "server.js"]\nENTRYPOINT node server.js\nRUN ["sh", "-c", "echo"]\nCMD [not json]\n');
      const [, cmd, ep, run, bad] = m.steps;
      assert.deepEqual(cmd.json, ['node', 'server.js']);
      assert.equal(ep.json, undefined);
      assert.deepEqual(run.json, ['sh', '-c', 'echo']);
      assert.equal(bad.json, undefined);
    });

    it('parses flags: --mount, --from, --chown, --chmod, --link', () => {
      const text = 'FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache/go-build --mount=type=secret,id=npmrc go build\n'
        + 'FROM alpine:3.20\nCOPY --from=build --chown=app:app --chmod=755 --link /out/app /usr/bin/app\n';
      const m = buildModel(text);
      const run = m.steps[1];
      assert.equal(run.mounts.length, 2);
      assert.deepEqual([run.mounts[0].type, run.mounts[0].target], ['cache', '/root/.cache/go-build']);
      assert.deepEqual([run.mounts[1].type, run.mounts[1].id], ['secret', 'npmrc']);
      const copy = m.steps[3];
      assert.deepEqual(copy.flags.map((f) => [f.name, f.value]), [['from', 'build'], ['chown', 'app:app'], ['chmod', '755'], ['link', null]]);
      assert.deepEqual(copy.args.map((a) => a.value), ['/out/app', '/usr/bin/app']);
    });

    it('reads heredocs', () => {
      const text = 'FROM alpine:3.20\nRUN <<EOF\nset -e\napk add curl\nEOF\nCOPY <<-CONF /etc/app.conf\n\tkey=value\n\tCONF\n';
      const m = buildModel(text);
      const run = m.steps[1];
      assert.equal(run.heredocs.length, 1);
      assert.equal(run.heredocs[0].name, 'EOF');
      assert.equal(run.heredocs[0].content, 'set -e\napk add curl');
      assert.equal(run.range.end.line, 4);
      const copy = m.steps[2];
      assert.equal(copy.heredocs[0].name, 'CONF');
    });

    it('models ONBUILD triggers as their own step', () => {
      const m = buildModel('FROM node:20\nONBUILD COPY . /app\nONBUILD RUN npm ci\n');
      const [, a, b] = m.steps;
      assert.equal(a.keyword, 'ONBUILD');
      assert.equal(a.trigger?.keyword, 'COPY');
      assert.equal(b.trigger?.keyword, 'RUN');
      assert.equal(b.trigger?.isTrigger, true);
    });
  });

  describe('stages', () => {
    it('splits base image references', () => {
      assert.deepEqual(parseImageRef('ubuntu'), { raw: 'ubuntu', registry: 'docker.io', explicitRegistry: false, repository: 'library/ubuntu', name: 'ubuntu', tag: undefined, digest: undefined });
      const r = parseImageRef('localhost:5000/team/app:1.2@sha256:abc')!;
      assert.deepEqual([r.registry, r.repository, r.tag, r.digest], ['localhost:5000', 'team/app', '1.2', 'sha256:abc']);
      const g = parseImageRef('ghcr.io/owner/img')!;
      assert.deepEqual([g.registry, g.repository, g.tag], ['ghcr.io', 'owner/img', undefined]);
      assert.equal(parseImageRef('bitnami/redis:7')!.registry, 'docker.io');
      assert.equal(parseImageRef(''), undefined);
    });

    it('knows scratch, earlier stages, --platform and names', () => {
      const text = 'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\nRUN go build\nFROM scratch\nCOPY --from=build /app /app\nFROM build AS test\n';
      const m = buildModel(text);
      assert.equal(m.stages.length, 3);
      const [build, final, test] = m.stages;
      assert.deepEqual([build.name, build.platform, build.baseKind, build.image?.tag], ['Build', '$BUILDPLATFORM', 'image', '1.22']);
      assert.equal(final.baseKind, 'scratch');
      assert.deepEqual([test.baseKind, test.baseStage], ['stage', 0]);
      assert.deepEqual(final.edges.map((e) => [e.kind, e.stage]), [['copy-from', 0]]);
    });

    it('computes the stages the target needs (FROM, COPY --from, RUN --mount=from)', () => {
      const text = [
        'FROM alpine:3.20 AS base',
        'FROM base AS deps',
        'FROM alpine:3.20 AS assets',
        'FROM alpine:3.20 AS unused',
        'FROM deps AS final',
        'COPY --from=assets /a /a',
        'RUN --mount=from=1,source=/x,target=/x true',
      ].join('\n');
      const m = buildModel(text);
      assert.equal(m.target, 4);
      assert.deepEqual(m.requiredStages, [0, 1, 2, 4]);
      const t = buildModel(text, { target: 'assets' });
      assert.deepEqual(t.requiredStages, [2]);
    });

    it('resolves COPY --from by index only to earlier stages', () => {
      const m = buildModel('FROM a:1\nFROM b:1\nCOPY --from=0 /x /x\nCOPY --from=1 /y /y\n');
      assert.deepEqual(m.stages[1].edges.map((e) => e.stage), [0, undefined]);
    });

    it('analyses a fragment without FROM as one stage', () => {
      const m = buildModel('RUN apt-get install -y curl\nUSER app\n');
      assert.equal(m.fragment, true);
      assert.equal(m.stages.length, 1);
      assert.equal(m.stages[0].steps.length, 2);
      assert.equal(m.problems.length, 0);
    });
  });

  describe('variables', () => {
    const scope = (entries: Record<string, string | undefined>): VarScope =>
      new Map(Object.entries(entries).map(([name, value]) => [name, { name, value, kind: 'arg' as const, step: 0 }]));

    it('expands the ${VAR:-default} / ${VAR:+alt} forms', () => {
      const s = scope({ SET: 'x', EMPTY: '', UNKNOWN: undefined });
      assert.equal(expand('$SET/${SET}', s).value, 'x/x');
      assert.equal(expand('${EMPTY:-d}|${EMPTY-d}', s).value, 'd|');
      assert.equal(expand('${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}', s).value, 'alt||alt');
      assert.equal(expand('${NOPE:-fallback}', s).value, 'fallback');
      const r = expand('a-$UNKNOWN-$MISSING', s);
      assert.equal(r.value, 'a--');
      assert.deepEqual(r.unresolved, ['UNKNOWN', 'MISSING']);
      assert.deepEqual(r.undeclared, ['MISSING']);
    });

    it('keeps escaped dollars and single-quoted text literal', () => {
      const s = scope({ A: '1' });
      assert.equal(expand('\\$A', s).value, '$A');
      assert.equal(expand("'$A'", s).value, "'$A'");
      assert.equal(expand('`$A', s, '`').value, '$A');
    });

    it('scopes global ARGs: FROM sees them, a stage only after re-declaring', () => {
      const text = 'ARG VERSION=3.20\nARG OTHER=o\nFROM alpine:${VERSION}\nARG VERSION\nRUN echo\n';
      const m = buildModel(text);
      assert.equal(m.stages[0].base, 'alpine:3.20');
      const run = m.steps[4];
      assert.equal(run.scope.get('VERSION')?.value, '3.20');
      assert.equal(run.scope.has('OTHER'), false);
      assert.deepEqual(m.globalArgs.map((s) => s.argsText), ['VERSION=3.20', 'ARG OTHER=o'.slice(4)]);
    });

    it('build args override defaults; ENV wins over ARG; proxies are predefined', () => {
      const text = 'FROM alpine:3.20\nARG A=1\nENV B=${A}-env\nARG B=argval\nRUN echo\n';
      const m = buildModel(text, { buildArgs: { A: '9' } });
      const run = m.steps[4];
      assert.equal(run.scope.get('A')?.value, '9');
      assert.equal(run.scope.get('B')?.value, '9-env');
      assert.equal(run.scope.get('B')?.kind, 'env');
      assert.equal(run.scope.get('HTTP_PROXY')?.kind, 'predefined');
    });

    it('keeps quoted values whole and expands one ENV with the values from before it', () => {
      const m = buildModel('FROM alpine:3.20\nENV B=old\nENV A="x y" B=new C=$B D=\'$B lit\' E=e\\ f\nARG Q="1 2" R=${A}\nRUN true\n');
      const run = m.steps[4];
      assert.equal(run.scope.get('A')?.value, 'x y');
      assert.equal(run.scope.get('C')?.value, 'old', 'C sees B as it was before the instruction');
      assert.equal(run.scope.get('B')?.value, 'new');
      assert.equal(run.scope.get('D')?.value, '$B lit');
      assert.equal(run.scope.get('E')?.value, 'e f');
      assert.equal(run.scope.get('Q')?.value, '1 2');
      assert.equal(run.scope.get('R')?.value, 'x y');
      assert.equal(run.scope.has('2"'), false);
    });

    it('does not continue a line that ends in an escaped escape character (BuildKit)', () => {
      assert.equal(joinContinuations('echo a \\\\\nENV X=1', '\\'), 'echo a \\\\\nENV X=1');
      assert.equal(joinContinuations('echo a \\\n  b', '\\'), 'echo a   b');
      assert.equal(joinContinuations('echo a `\n  b', '`'), 'echo a   b');
    });

    it('handles the legacy ENV form and ENV inherited through FROM stage', () => {
      const m = buildModel('FROM alpine:3.20 AS a\nENV PATH_EXTRA /opt/bin here\nFROM a\nRUN true\n');
      assert.equal(m.steps[3].scope.get('PATH_EXTRA')?.value, '/opt/bin here');
    });
  });

  describe('USER, WORKDIR and SHELL in effect', () => {
    it('tracks them per step and through FROM <stage>', () => {
      const text = 'FROM alpine:3.20 AS base\nWORKDIR /app\nUSER app\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nWORKDIR src\nRUN true\nFROM base\nRUN true\nFROM alpine:3.20\nRUN true\n';
      const m = buildModel(text);
      const run1 = m.steps[5];
      assert.deepEqual([run1.user.value, run1.workdir.value, run1.shell.value[0]], ['app', '/app/src', '/bin/ash']);
      assert.equal(run1.user.source, 'step');
      const run2 = m.steps[7];
      assert.deepEqual([run2.user.value, run2.user.source, run2.workdir.value], ['app', 'inherited', '/app/src']);
      const run3 = m.steps[9];
      assert.deepEqual([run3.user.value, run3.user.source, run3.workdir.value, run3.shell.value], ['root', 'default', '/', ['/bin/sh', '-c']]);
    });

    it('expands variables in WORKDIR and USER', () => {
      const m = buildModel('FROM alpine:3.20\nARG HOME_DIR=/home/app\nWORKDIR $HOME_DIR\nENV U=svc\nUSER ${U}\nRUN true\n');
      const run = m.steps[5];
      assert.deepEqual([run.workdir.value, run.user.value], ['/home/app', 'svc']);
    });
  });

  describe('problems (never exceptions)', () => {
    it('reports unknown instructions, missing arguments and instructions before FROM', () => {
      const m = buildModel('RUN echo early\nFROM alpine:3.20\nBOGUS x\nUSER\n');
      const kinds = m.problems.map((p) => p.kind).sort();
      assert.deepEqual(kinds, ['before-from', 'missing-arguments', 'unknown-instruction']);
    });

    for (const [name, text] of [
      ['empty', ''],
      ['only comments', '# hello\n# world\n'],
      ['half-typed FROM', 'FROM'],
      ['half-typed flag', 'FROM --platform='],
      ['unterminated heredoc', 'FROM a:1\nRUN <<EOF\necho'],
      ['unterminated variable', 'FROM a:1\nWORKDIR ${X'],
      ['binary', '\u0000\u0001\u0002FROM\u00ff\ufffd\n\u0000'],
      ['lone backslashes', '\\\n\\\n\\'],
    ] as const) {
      it(`survives ${name}`, () => {
        const m = buildModel(text);
        assert.ok(Array.isArray(m.steps));
      });
    }
  });
});
