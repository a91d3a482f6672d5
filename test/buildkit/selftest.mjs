// Offline checks of the step mapping in lib.mjs, on progress output copied from real Docker 20.10 builds.
// run.mjs runs these first (no daemon needed): if the mapping is wrong, no scenario result can be trusted.
// Also runnable alone: node test/buildkit/selftest.mjs
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readDockerfile, readProgress, mapProgress, signature, statusMap } from './lib.mjs';

const cases = [
  {
    name: 'multi-stage, FROM vertex merged, CACHED/DONE',
    dockerfile: 'FROM dfi-base:1 AS build\nWORKDIR /src\nCOPY a.txt .\nRUN cat a.txt > out\nFROM dfi-base:1\nARG X=1\nCOPY --from=build /src/out /out\nCOPY b.txt /b\nRUN echo $X\n',
    progress: `#4 [build 1/4] FROM docker.io/library/dfi-base:1
#4 DONE 0.0s
#8 [build 4/4] RUN cat a.txt > out
#8 CACHED
#5 [build 2/4] WORKDIR /src
#5 CACHED
#7 [build 3/4] COPY a.txt .
#7 CACHED
#9 [stage-1 2/4] COPY --from=build /src/out /out
#9 CACHED
#10 [stage-1 3/4] COPY b.txt /b
#10 DONE 0.0s
#11 [stage-1 4/4] RUN echo 1
#11 sha256:80891a6122464bce9ba07486bde7c1e4e095dc088c414dca243a0b449a3abae8
#11 0.045 1
#11 DONE 0.1s
#12 exporting to image
#12 DONE 0.7s`,
    expect: '2C 3C 4C 7C 8R 9R',
  },
  {
    name: 'WORKDIR / has no vertex but counts in n; single stage without prefix',
    dockerfile: 'FROM dfi-base:1\nWORKDIR /\nWORKDIR /srv\nWORKDIR /srv\nRUN echo a > a\nRUN echo b > b\n',
    progress: `#4 [1/6] FROM docker.io/library/dfi-base:1
#4 DONE 0.0s
#5 [2/6] WORKDIR /srv
#5 CACHED
#6 [3/6] WORKDIR /srv
#6 CACHED
#7 [4/6] RUN echo a > a
#7 CACHED
#8 [5/6] RUN echo b > b
#8 DONE 0.1s`,
    expect: '3C 4C 5C 6R',
  },
  {
    name: 'FROM <stage> has no FROM vertex; unneeded stage absent',
    dockerfile: 'FROM dfi-base:1 AS base\nWORKDIR /app\nCOPY package.json ./\n\nFROM base AS test\nCOPY src/ src/\nRUN ls src > tested\n\nFROM dfi-base:1 AS unused\nRUN echo never > /never\n',
    target: 'test',
    progress: `#4 [base 1/3] FROM docker.io/library/dfi-base:1
#4 CACHED
#8 [test 1/2] COPY src/ src/
#8 DONE 0.0s
#7 [base 3/3] COPY package.json ./
#7 DONE 0.0s
#5 [base 2/3] WORKDIR /app
#5 CACHED
#9 [test 2/2] RUN ls src > tested
#9 DONE 0.1s`,
    expect: '2C 3R 6R 7R',
  },
  {
    name: 'identical steps of two stages are one vertex',
    dockerfile: 'FROM dfi-base:1 AS one\nWORKDIR /app\nRUN echo one > one\n\nFROM dfi-base:1 AS two\nWORKDIR /app\nRUN echo two > two\n\nFROM dfi-base:1\nCOPY --from=one /app/one /one\nCOPY --from=two /app/two /two\n',
    progress: `#10 [two 1/3] FROM docker.io/library/dfi-base:1
#10 CACHED
#5 [two 2/3] WORKDIR /app
#5 CACHED
#8 [two 3/3] RUN echo two > two
#8 DONE 0.1s
#6 [one 3/3] RUN echo one > one
#6 CACHED
#7 [stage-2 2/3] COPY --from=one /app/one /one
#7 CACHED
#9 [stage-2 3/3] COPY --from=two /app/two /two
#9 DONE 0.0s`,
    expect: '2C 3C 6C 7R 10C 11R',
  },
];

export function selftest() {
  const failures = [];
  for (const c of cases) {
    try {
      const m = mapProgress(readDockerfile(c.dockerfile), readProgress(c.progress), c.target);
      assert.deepEqual(m.problems, []);
      assert.equal(signature(statusMap(m.steps)), c.expect);
    } catch (e) {
      failures.push(`${c.name}: ${e.message.split('\n').slice(0, 6).join(' ')}`);
    }
  }
  // and the checks must be able to fail: a wrong step count is reported
  const bad = mapProgress(readDockerfile('FROM a\nRUN x\n'), readProgress('#5 [2/3] RUN x\n#5 CACHED'));
  if (!bad.problems.length) failures.push('a step-count mismatch was not reported');
  return failures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = selftest();
  for (const x of f) console.log(`FAIL ${x}`);
  console.log(`selftest: ${cases.length + 1 - f.length} passed, ${f.length} failed`);
  process.exitCode = f.length ? 1 : 0;
}
