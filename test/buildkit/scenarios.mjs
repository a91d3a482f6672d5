// Scenarios for the real-BuildKit suite (test/buildkit/run.mjs).
//
// Each scenario is a build context (files), built once to warm the cache, then edited, then built again.
// `expect` is the ground truth recorded from Docker 20.10's BuildKit (`--progress=plain`: `CACHED` or executed)
// and checked by hand: for every step BuildKit executes for the target (RUN, COPY, ADD, WORKDIR), the 1-based line
// where it starts in the Dockerfile *after* the edit. `dockerfile-insight rebuild` must produce the same.
//
// Fields:
//   files        { path: content | { content, mode } } in the context (a Dockerfile path outside the context:
//                dockerfile: '../df/Dockerfile' — the path is relative to the context, the file is written there)
//   dockerfile   path of the Dockerfile relative to the context (default 'Dockerfile')
//   target, buildArgs (both builds), buildArgs2 (overrides for the second build; null removes), secrets { id: content }
//   setup(t)     before the first build (e.g. make a base image); edit(t) between the builds (t: see run.mjs)
//   changed      context paths whose content the edit changed: also predict with explicit --changed flags
//   changedArgs  --changed-build-arg values (NAME or NAME=NEW)
//   baseChanged  true: pass --base-changed (the base image's layers changed); a string: --base-changed=<it>
//                (`config`, or `env`, `user`, `workdir`, `shell`, comma-separated: only that part of its config).
//                Passed to both predictions: the --previous copy of the context cannot show a base image change
//   expect       { cached: [lines], rebuilt: [lines] }
//   why          one line: what BuildKit does and why (shown on disagreement)

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const df = (...lines) => lines.join('\n') + '\n';

/** Writes DIR/NAME.tar holding the given files (via tar(1), no shell). */
function tarball(t, name, files) {
  const src = path.join(t.ctx, '..', `${name}-src`);
  for (const [f, c] of Object.entries(files)) t.write(path.relative(t.ctx, path.join(src, f)), c);
  const r = spawnSync('tar', ['-cf', path.join(t.ctx, name), '-C', src, '.'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar: ${r.stderr}`);
}

const APP = { 'package.json': '{ "name": "app", "version": "1.0.0" }\n', 'src/app.js': 'console.log("v1");\n', 'src/util.js': 'module.exports = 1;\n' };

export const scenarios = [
  // ------------------------------------------------------------------------------------------- order
  {
    id: 'order/manifest-first-edit-source',
    why: 'only COPY . . sees the source; the dependency step keys on package.json alone',
    files: {
      ...APP,
      Dockerfile: df(
        'FROM dfi-base:1',
        'WORKDIR /app',
        'COPY package.json ./',
        'RUN wc -c package.json > deps.txt',
        'COPY . .',
        'RUN cat src/app.js > build.txt',
        'CMD ["sh"]'),
    },
    edit: (t) => t.write('src/app.js', 'console.log("v2");\n'),
    changed: ['src/app.js'],
    expect: { cached: [2, 3, 4], rebuilt: [5, 6] },
  },
  {
    id: 'order/copy-all-first-edit-source',
    why: 'COPY . . comes first, so a source edit invalidates it and everything after',
    files: {
      ...APP,
      Dockerfile: df(
        'FROM dfi-base:1',
        'WORKDIR /app',
        'COPY . .',
        'RUN wc -c package.json > deps.txt',
        'RUN cat src/app.js > build.txt'),
    },
    edit: (t) => t.write('src/app.js', 'console.log("v2");\n'),
    changed: ['src/app.js'],
    expect: { cached: [2], rebuilt: [3, 4, 5] },
  },
  {
    id: 'order/changed-given-as-directory',
    why: 'a file under src/ changed; the flag form names only the directory (--changed src)',
    files: {
      ...APP, 'docs/guide.txt': 'g\n',
      Dockerfile: df(
        'FROM dfi-base:1',
        'WORKDIR /app',
        'COPY package.json ./',
        'RUN wc -c package.json > deps.txt',
        'COPY docs/ docs/',
        'COPY src/ src/',
        'RUN cat src/*.js > build.txt'),
    },
    edit: (t) => t.write('src/util.js', 'module.exports = 2;\n'),
    changed: ['src'],
    expect: { cached: [2, 3, 4, 5], rebuilt: [6, 7] },
  },
  {
    id: 'order/manifest-first-edit-manifest',
    why: 'the manifest edit invalidates its COPY, the install step and everything after',
    files: {
      ...APP,
      Dockerfile: df(
        'FROM dfi-base:1',
        'WORKDIR /app',
        'COPY package.json ./',
        'RUN wc -c package.json > deps.txt',
        'COPY . .',
        'RUN cat src/app.js > build.txt'),
    },
    edit: (t) => t.write('package.json', '{ "name": "app", "version": "1.0.1" }\n'),
    changed: ['package.json'],
    expect: { cached: [2], rebuilt: [3, 4, 5, 6] },
  },

  // ------------------------------------------------------------------------------------ .dockerignore
  {
    id: 'ignore/pattern-file-edited',
    why: 'README.md matches *.md in .dockerignore: it is never sent, so editing it changes nothing',
    files: {
      ...APP, 'README.md': '# app\n', '.dockerignore': '*.md\nlogs/\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('README.md', '# app, now documented\n'),
    changed: ['README.md'],
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'ignore/exception-file-edited',
    why: '!KEEP.md re-includes KEEP.md after *.md: it is sent, so COPY . . changes',
    files: {
      ...APP, 'README.md': '# app\n', 'KEEP.md': 'keep me\n', '.dockerignore': '*.md\n!KEEP.md\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('KEEP.md', 'keep me, edited\n'),
    changed: ['KEEP.md'],
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'ignore/file-added-in-ignored-dir',
    why: 'logs/ is ignored, so a new file under it is not part of the context',
    files: {
      ...APP, 'logs/a.log': 'x\n', '.dockerignore': 'logs/\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('logs/b.log', 'y\n'),
    changed: ['logs/b.log'],
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'ignore/doublestar-edited',
    why: '**/*.tmp ignores .tmp files at any depth',
    files: {
      ...APP, 'src/deep/cache.tmp': 'tmp1\n', '.dockerignore': '**/*.tmp\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY src/ src/', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('src/deep/cache.tmp', 'tmp2\n'),
    changed: ['src/deep/cache.tmp'],
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'ignore/dir-excluded-file-reincluded',
    why: 'cache/ is excluded but !cache/keep.txt brings one file back: an edit to it is sent',
    files: {
      ...APP, 'cache/junk.txt': 'j1\n', 'cache/keep.txt': 'k1\n', '.dockerignore': 'cache/\n!cache/keep.txt\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('cache/keep.txt', 'k2\n'),
    changed: ['cache/keep.txt'],
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'ignore/dir-excluded-other-file-edited',
    why: 'cache/junk.txt stays excluded next to the re-included cache/keep.txt',
    files: {
      ...APP, 'cache/junk.txt': 'j1\n', 'cache/keep.txt': 'k1\n', '.dockerignore': 'cache/\n!cache/keep.txt\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('cache/junk.txt', 'j2\n'),
    changed: ['cache/junk.txt'],
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'ignore/dockerfile-specific-ignore-file',
    why: 'build/app.Dockerfile.dockerignore is used instead of the root .dockerignore (which would ignore *.txt)',
    dockerfile: 'build/app.Dockerfile',
    files: {
      'a.txt': 'a1\n', 'notes.txt': 'n1\n', '.dockerignore': '*.txt\n', 'build/app.Dockerfile.dockerignore': 'notes.txt\n',
      'build/app.Dockerfile': df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('a.txt', 'a2\n'),
    changed: ['a.txt'],
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'ignore/root-anchored-not-nested',
    why: 'a .dockerignore pattern "build" matches only the top-level build, not src/build (unlike .gitignore)',
    files: {
      ...APP, 'build/out.txt': 'o1\n', 'src/build/gen.txt': 'g1\n', '.dockerignore': 'build\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('src/build/gen.txt', 'g2\n'),
    changed: ['src/build/gen.txt'],
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'ignore/middle-doublestar',
    why: 'docs/**/draft* ignores drafts at any depth under docs',
    files: {
      ...APP, 'docs/a/b/draft-1.md': 'd1\n', 'docs/final.md': 'f\n', '.dockerignore': '/Dockerfile\ndocs/**/draft*\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('docs/a/b/draft-1.md', 'd2\n'),
    changed: ['docs/a/b/draft-1.md'],
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'ignore/dockerignore-excludes-more',
    why: 'a new .dockerignore pattern drops notes.txt from the context, so COPY . . changes',
    files: {
      ...APP, 'notes.txt': 'notes\n', '.dockerignore': 'Dockerfile\n.dockerignore\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('.dockerignore', 'Dockerfile\n.dockerignore\nnotes.txt\n'),
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'ignore/dockerignore-comment-only',
    why: '.dockerignore ignores itself and the Dockerfile; a comment in it changes no file that is sent',
    files: {
      ...APP, 'notes.txt': 'notes\n', '.dockerignore': 'Dockerfile\n.dockerignore\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('.dockerignore', '# build files\nDockerfile\n.dockerignore\n'),
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'ignore/dockerfile-comment-with-copy-all',
    why: 'without a .dockerignore the Dockerfile itself is in the context: a comment edit changes COPY . .',
    files: {
      ...APP,
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('Dockerfile', df('FROM dfi-base:1', '# the application', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt')),
    expect: { cached: [3], rebuilt: [4, 5] },
  },
  {
    id: 'ignore/dockerfile-comment-dockerfile-ignored',
    why: 'the Dockerfile is in .dockerignore, so comments are invisible to the cache even with COPY . .',
    files: {
      ...APP, '.dockerignore': 'Dockerfile\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt'),
    },
    edit: (t) => t.write('Dockerfile', df('FROM dfi-base:1', '# the application', 'WORKDIR /app', 'COPY . .', 'RUN ls -R > tree.txt')),
    expect: { cached: [3, 4, 5] },
  },

  // -------------------------------------------------------------------------------------------- globs
  {
    id: 'glob/new-matching-file',
    why: 'COPY *.json ./ now matches one more file',
    files: {
      ...APP, 'tsconfig.json': '{}\n', 'readme.txt': 'r\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY *.json ./', 'RUN ls > files.txt', 'COPY src/ src/'),
    },
    edit: (t) => t.write('jsconfig.json', '{}\n'),
    changed: ['jsconfig.json'],
    expect: { cached: [2], rebuilt: [3, 4, 5] },
  },
  {
    id: 'glob/non-matching-file-edited',
    why: 'COPY *.json ./ and COPY src/*.js do not match readme.txt or src/a.ts',
    files: {
      ...APP, 'readme.txt': 'r\n', 'src/a.ts': 'let a = 1;\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY *.json ./', 'COPY src/*.js src/', 'RUN ls -R > files.txt'),
    },
    edit: (t) => { t.write('readme.txt', 'r2\n'); t.write('src/a.ts', 'let a = 2;\n'); },
    changed: ['readme.txt', 'src/a.ts'],
    expect: { cached: [2, 3, 4, 5] },
  },

  // ------------------------------------------------------------------------------- touch, content, mode
  {
    id: 'file/touch-only',
    why: 'BuildKit hashes content, mode and ownership, not the modification time: a touch changes nothing',
    files: {
      ...APP,
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY src/ src/', 'RUN cat src/app.js > out.txt'),
    },
    edit: (t) => t.touch('src/app.js', new Date(Date.now() + 86400e3)),
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'file/same-content-rewritten',
    why: 'the file is written again with the same bytes (new mtime and inode): still a cache hit',
    files: {
      ...APP,
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN cat src/app.js > out.txt'),
    },
    edit: (t) => { t.remove('src/app.js'); t.write('src/app.js', APP['src/app.js']); t.touch('src/app.js', new Date(Date.now() + 3600e3)); },
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'file/mode-change',
    why: 'chmod +x changes the file mode, which is part of the content hash',
    files: {
      ...APP, 'run.sh': { content: '#!/bin/sh\necho hi\n', mode: 0o644 },
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY run.sh ./', 'RUN ls -l run.sh > mode.txt'),
    },
    edit: (t) => t.chmod('run.sh', 0o755),
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'file/content-same-size',
    why: 'same size, same mtime, different bytes: BuildKit still sees it',
    files: {
      ...APP,
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY src/ src/', 'RUN cat src/app.js > out.txt'),
    },
    edit: (t) => { const st = t.stat('src/app.js'); t.write('src/app.js', 'console.log("v9");\n'); t.touch('src/app.js', st.mtime); },
    changed: ['src/app.js'],
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'file/copied-dir-mode-change',
    why: 'COPY src/ src/ copies what is inside src, not src itself: the mode of src does not matter',
    files: {
      ...APP,
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY src/ src/', 'RUN ls -ld src > mode.txt'),
    },
    edit: (t) => t.chmod('src', 0o700),
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'file/subdir-mode-change',
    why: 'BuildKit 20.10 does not see a mode change of a directory inside the context (the cached layer keeps the old mode; a build from an empty cache gets the new one)',
    files: {
      ...APP,
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls -ld src > mode.txt'),
    },
    edit: (t) => t.chmod('src', 0o700),
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'file/dir-touched',
    why: 'a directory\'s modification time is not hashed either',
    files: {
      ...APP,
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY src/ src/', 'RUN ls src > list.txt'),
    },
    edit: (t) => t.touch('src', new Date(Date.now() + 86400e3)),
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'file/empty-dir-added',
    why: 'an empty directory is part of the copied tree',
    files: {
      ...APP,
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY src/ src/', 'RUN ls src > list.txt'),
    },
    edit: (t) => t.mkdir('src/empty'),
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'file/owner-change',
    why: 'the docker client sends context files as uid/gid 0 whoever owns them: a chown changes nothing',
    files: {
      ...APP,
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY src/ src/', 'RUN ls -ln src > owners.txt'),
    },
    edit: (t) => t.chown('src/app.js', 1234, 1234),
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'file/symlink-retargeted',
    why: 'a symlink is copied as a link: its target text is its content',
    setup: (t) => t.symlink('v1.txt', 'src/current'),
    files: {
      'src/v1.txt': 'one\n', 'src/v2.txt': 'two\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY src/ src/', 'RUN cat src/current > current.txt'),
    },
    edit: (t) => t.symlink('v2.txt', 'src/current'),
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'file/add-local-tar-edited',
    why: 'ADD unpacks a local tar; the archive\'s bytes key the step',
    setup: (t) => tarball(t, 'files.tar', { 'a.txt': 'a1\n', 'b.txt': 'b\n' }),
    files: {
      'other.txt': 'o\n',
      Dockerfile: df('FROM dfi-base:1', 'COPY other.txt /other.txt', 'ADD files.tar /unpacked/', 'RUN ls /unpacked > /list'),
    },
    edit: (t) => tarball(t, 'files.tar', { 'a.txt': 'a2\n', 'b.txt': 'b\n' }),
    changed: ['files.tar'],
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'file/renamed',
    why: 'a rename changes the copied tree',
    files: {
      ...APP,
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY package.json ./', 'COPY src/ src/', 'RUN ls src > out.txt'),
    },
    edit: (t) => t.rename('src/util.js', 'src/helpers.js'),
    changed: ['src/util.js', 'src/helpers.js'],
    expect: { cached: [2, 3], rebuilt: [4, 5] },
  },

  // ---------------------------------------------------------------------------------------------- ARG
  {
    id: 'arg/used-value-changed',
    why: 'RUN sees VERSION; the COPY after the ARG does not use it and stays cached',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df(
        'FROM dfi-base:1',
        'WORKDIR /app',
        'ARG VERSION=1',
        'COPY app.txt .',
        'RUN echo "$VERSION" > version',
        'RUN cat app.txt'),
    },
    buildArgs: { VERSION: '1' },
    buildArgs2: { VERSION: '2' },
    changedArgs: ['VERSION=2'],
    expect: { cached: [2, 4], rebuilt: [5, 6] },
  },
  {
    id: 'arg/declared-not-referenced',
    why: 'every ARG in scope is in the environment of each later RUN, referenced or not',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df(
        'FROM dfi-base:1',
        'RUN echo before > /before',
        'ARG FLAVOR=plain',
        'COPY app.txt /app.txt',
        'RUN echo after > /after'),
    },
    buildArgs: { FLAVOR: 'plain' },
    buildArgs2: { FLAVOR: 'spicy' },
    changedArgs: ['FLAVOR=spicy'],
    expect: { cached: [2, 4], rebuilt: [5] },
  },
  {
    id: 'arg/global-not-redeclared',
    why: 'a global ARG (before FROM) is not in scope inside the stage unless redeclared there',
    files: {
      Dockerfile: df(
        'ARG CHANNEL=stable',
        'FROM dfi-base:1',
        'RUN echo "channel=$CHANNEL" > /channel'),
    },
    buildArgs: { CHANNEL: 'stable' },
    buildArgs2: { CHANNEL: 'beta' },
    changedArgs: ['CHANNEL=beta'],
    expect: { cached: [3] },
  },
  {
    id: 'arg/global-redeclared',
    why: 'ARG CHANNEL inside the stage brings the global value in scope from that line on',
    files: {
      Dockerfile: df(
        'ARG CHANNEL=stable',
        'FROM dfi-base:1',
        'RUN echo first > /first',
        'ARG CHANNEL',
        'RUN echo "channel=$CHANNEL" > /channel'),
    },
    buildArgs: { CHANNEL: 'stable' },
    buildArgs2: { CHANNEL: 'beta' },
    changedArgs: ['CHANNEL=beta'],
    expect: { cached: [3], rebuilt: [5] },
  },
  {
    id: 'arg/global-in-from',
    why: 'the global ARG picks the base image: a different image invalidates the whole stage',
    setup: async (t) => t.baseImage('dfi-base:2', 'two'),
    files: {
      Dockerfile: df(
        'ARG BASE=dfi-base:1',
        'FROM $BASE',
        'WORKDIR /app',
        'RUN echo hi > hi.txt'),
    },
    buildArgs: { BASE: 'dfi-base:1' },
    buildArgs2: { BASE: 'dfi-base:2' },
    changedArgs: ['BASE=dfi-base:2'],
    expect: { rebuilt: [3, 4] },
  },
  {
    id: 'arg/unset-then-set',
    why: 'an ARG without a default is unset in the first build and set with --build-arg in the second',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'ARG TOKEN', 'RUN echo "token=${TOKEN:-none}" > token'),
    },
    buildArgs2: { TOKEN: 'abc' },
    changedArgs: ['TOKEN=abc'],
    expect: { cached: [2], rebuilt: [4] },
  },
  {
    id: 'arg/global-default-shadowed',
    why: 'the stage redeclares ARG V with its own default, so editing the global default changes nothing',
    files: {
      Dockerfile: df('ARG V=1', 'FROM dfi-base:1', 'ARG V=2', 'RUN echo "$V" > /v'),
    },
    edit: (t) => t.replace('Dockerfile', 'ARG V=1', 'ARG V=3'),
    expect: { cached: [4] },
  },
  {
    id: 'arg/build-arg-not-declared',
    why: 'a --build-arg that no ARG declares is unused (BuildKit warns) and keys nothing',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'RUN echo hi > hi.txt'),
    },
    buildArgs: { EXTRA: '1' },
    buildArgs2: { EXTRA: '2' },
    changedArgs: ['EXTRA=2'],
    expect: { cached: [2, 3] },
  },
  {
    id: 'arg/per-stage',
    why: 'the ARG is declared in the build stage only; its value reaches the final stage through the artifact',
    files: {
      Dockerfile: df(
        'FROM dfi-base:1 AS build',
        'ARG MODE=debug',
        'RUN mkdir /out && echo "$MODE" > /out/mode',
        '',
        'FROM dfi-base:1',
        'RUN echo final > /final',
        'COPY --from=build /out /out',
        'RUN cat /out/mode'),
    },
    buildArgs: { MODE: 'debug' },
    buildArgs2: { MODE: 'release' },
    changedArgs: ['MODE=release'],
    expect: { cached: [6], rebuilt: [3, 7, 8] },
  },
  {
    id: 'arg/in-copy-source',
    why: 'the ARG selects which file COPY takes',
    files: {
      'a.conf': 'a\n', 'b.conf': 'b\n',
      Dockerfile: df('FROM dfi-base:1', 'ARG CONF=a.conf', 'COPY ${CONF} /etc/app.conf', 'RUN cat /etc/app.conf'),
    },
    buildArgs: { CONF: 'a.conf' },
    buildArgs2: { CONF: 'b.conf' },
    changedArgs: ['CONF=b.conf'],
    expect: { rebuilt: [3, 4] },
  },
  {
    id: 'arg/default-edited',
    why: 'the ARG default itself is edited in the Dockerfile (no --build-arg): later RUNs see the new value',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'COPY app.txt /app.txt', 'ARG LEVEL=1', 'COPY app.txt /app2.txt', 'RUN echo "$LEVEL" > /level'),
    },
    edit: (t) => t.replace('Dockerfile', 'ARG LEVEL=1', 'ARG LEVEL=2'),
    expect: { cached: [2, 4], rebuilt: [5] },
  },

  // ------------------------------------------------------------------------------- ENV, LABEL, metadata
  {
    id: 'env/edited-before-run',
    why: 'RUN executes with the stage environment: a new ENV value invalidates it',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'ENV LEVEL=1', 'RUN echo "$LEVEL" > level', 'RUN echo done > done'),
    },
    edit: (t) => t.replace('Dockerfile', 'ENV LEVEL=1', 'ENV LEVEL=2'),
    expect: { cached: [2], rebuilt: [4, 5] },
  },
  {
    id: 'env/edited-before-copy',
    why: 'COPY does not depend on the environment: it stays cached; the RUN after it does not',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'ENV LEVEL=1', 'COPY app.txt /app.txt', 'WORKDIR /app', 'RUN echo "$LEVEL" > level'),
    },
    edit: (t) => t.replace('Dockerfile', 'ENV LEVEL=1', 'ENV LEVEL=2'),
    expect: { cached: [3, 4], rebuilt: [5] },
  },
  {
    id: 'env/used-in-copy-destination',
    why: 'COPY expands $DEST: the destination changes, so the COPY does',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'ENV DEST=/opt/a', 'COPY app.txt $DEST/', 'RUN ls /opt > /list'),
    },
    edit: (t) => t.replace('Dockerfile', 'ENV DEST=/opt/a', 'ENV DEST=/opt/b'),
    expect: { rebuilt: [3, 4] },
  },
  {
    id: 'env/used-by-workdir',
    why: 'WORKDIR $DIR expands to another path',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'ENV DIR=/app', 'WORKDIR $DIR', 'RUN pwd > /where'),
    },
    edit: (t) => t.replace('Dockerfile', 'ENV DIR=/app', 'ENV DIR=/srv'),
    expect: { rebuilt: [3, 4] },
  },
  {
    id: 'label/edited',
    why: 'LABEL only changes the image config: every step stays cached',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'LABEL org.opencontainers.image.version="1.0"', 'WORKDIR /app', 'COPY app.txt .', 'RUN cat app.txt > out'),
    },
    edit: (t) => t.replace('Dockerfile', 'version="1.0"', 'version="1.1"'),
    expect: { cached: [3, 4, 5] },
  },
  {
    id: 'metadata/cmd-expose-entrypoint-edited',
    why: 'CMD, EXPOSE, ENTRYPOINT, STOPSIGNAL change only the config',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'EXPOSE 8080', 'RUN echo hi > hi', 'STOPSIGNAL SIGTERM', 'ENTRYPOINT ["sh"]', 'CMD ["-c", "cat hi"]'),
    },
    edit: (t) => t.write('Dockerfile', df('FROM dfi-base:1', 'WORKDIR /app', 'EXPOSE 9090', 'RUN echo hi > hi', 'STOPSIGNAL SIGINT', 'ENTRYPOINT ["/bin/sh"]', 'CMD ["-c", "cat /app/hi"]')),
    expect: { cached: [2, 4] },
  },
  {
    id: 'user/edited-before-copy',
    why: 'USER changes who RUN runs as; a COPY without --chown stays cached',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'USER root', 'COPY app.txt /tmp/app.txt', 'RUN id -u > /tmp/uid'),
    },
    edit: (t) => t.replace('Dockerfile', 'USER root', 'USER app'),
    expect: { cached: [3], rebuilt: [4] },
  },
  {
    id: 'user/edited-before-workdir',
    why: 'BuildKit creates the WORKDIR directory as the current USER, so a USER edit invalidates the WORKDIR',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'RUN echo first > /tmp/first', 'USER root', 'WORKDIR /tmp/work', 'RUN echo hi > /tmp/hi'),
    },
    edit: (t) => t.replace('Dockerfile', 'USER root', 'USER app'),
    expect: { cached: [2], rebuilt: [4, 5] },
  },
  {
    id: 'workdir/root-and-repeated',
    why: 'a WORKDIR that resolves to / (WORKDIR /, WORKDIR .. from /srv) makes no step; a repeated WORKDIR does',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /', 'WORKDIR /srv', 'WORKDIR /srv', 'RUN echo a > a', 'WORKDIR ..', 'RUN echo b > b'),
    },
    edit: (t) => t.replace('Dockerfile', 'echo b', 'echo B'),
    expect: { cached: [3, 4, 5], rebuilt: [7] },
  },
  {
    id: 'copy/chown-from-arg',
    why: 'the ARG is used by one COPY (--chown=${OWNER}) and not by the other',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'ARG OWNER=root', 'COPY app.txt /plain.txt', 'COPY --chown=${OWNER} app.txt /owned.txt', 'RUN ls -ln / > /owners'),
    },
    buildArgs: { OWNER: 'root' },
    buildArgs2: { OWNER: 'app' },
    changedArgs: ['OWNER=app'],
    expect: { cached: [3], rebuilt: [4, 5] },
  },
  {
    id: 'copy/chown-edited',
    why: '--chown is part of the COPY',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY --chown=root:root app.txt .', 'RUN ls -ln > owners'),
    },
    edit: (t) => t.replace('Dockerfile', '--chown=root:root', '--chown=app:app'),
    expect: { cached: [2], rebuilt: [3, 4] },
  },

  // ------------------------------------------------------------------------------ comments, whitespace
  {
    id: 'text/comments-and-blank-lines',
    why: 'comments, blank lines and indentation are not part of any step (lines shift, nothing rebuilds)',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY app.txt .', 'RUN cat app.txt > out'),
    },
    edit: (t) => t.write('Dockerfile', df('# syntax-free comment', 'FROM dfi-base:1', '', '# where the app lives', '   WORKDIR /app   ', '', 'COPY app.txt .', '# build it', 'RUN cat app.txt > out')),
    expect: { cached: [5, 7, 9] },
  },
  {
    id: 'text/keyword-case-and-copy-spacing',
    why: 'the keyword\'s case and the spacing between COPY\'s arguments are not part of any step',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'run echo a > /a', 'COPY  app.txt    /app.txt', 'workdir /srv', 'RUN echo b > b'),
    },
    edit: (t) => t.write('Dockerfile', df('FROM dfi-base:1', 'RUN echo a > /a', 'COPY app.txt /app.txt', 'WORKDIR /srv', 'RUN echo b > b')),
    expect: { cached: [2, 3, 4, 5] },
  },
  {
    id: 'text/run-split-over-lines',
    why: 'a RUN split with a continuation keeps the next line\'s indentation: its command text changes',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'RUN echo one > /one', 'RUN echo a > /a && echo b > /b', 'RUN echo three > /three'),
    },
    edit: (t) => t.write('Dockerfile', df('FROM dfi-base:1', 'RUN echo one > /one', 'RUN echo a > /a && \\', '    echo b > /b', 'RUN echo three > /three')),
    expect: { cached: [2], rebuilt: [3, 5] },
  },
  {
    id: 'text/comment-inside-continuation',
    why: 'a comment line inside a continuation is dropped by the parser: the command is unchanged',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'RUN echo a > /a && \\', '    echo b > /b', 'RUN echo c > /c'),
    },
    edit: (t) => t.write('Dockerfile', df('FROM dfi-base:1', 'RUN echo a > /a && \\', '# then b', '    echo b > /b', 'RUN echo c > /c')),
    expect: { cached: [2, 5] },
  },

  // ------------------------------------------------------------------------------- instruction edits
  {
    id: 'edit/run-command-changed',
    why: 'the edited RUN and everything after it in the stage',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'RUN echo one > one', 'RUN echo two > two', 'RUN echo three > three'),
    },
    edit: (t) => t.replace('Dockerfile', 'echo two > two', 'echo TWO > two'),
    expect: { cached: [2, 3], rebuilt: [4, 5] },
  },
  {
    id: 'edit/step-inserted',
    why: 'a new step in the middle: lines below shift; the new step and all after it run',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'COPY app.txt .', 'RUN cat app.txt > out'),
    },
    edit: (t) => t.write('Dockerfile', df('FROM dfi-base:1', 'WORKDIR /app', 'RUN echo new > new', 'COPY app.txt .', 'RUN cat app.txt > out')),
    expect: { cached: [2], rebuilt: [3, 4, 5] },
  },
  {
    id: 'edit/step-removed',
    why: 'the steps after a removed step get a different parent',
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'RUN echo old > old', 'COPY app.txt .', 'RUN cat app.txt > out'),
    },
    edit: (t) => t.write('Dockerfile', df('FROM dfi-base:1', 'WORKDIR /app', 'COPY app.txt .', 'RUN cat app.txt > out')),
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'edit/dockerfile-outside-context',
    why: 'docker build -f ../df/Dockerfile: the Dockerfile is not in the context; an edit to its last RUN',
    dockerfile: '../df/Dockerfile',
    files: {
      ...APP,
      '../df/Dockerfile': df('FROM dfi-base:1', 'WORKDIR /app', 'COPY . .', 'RUN ls > files', 'RUN echo v1 > version'),
    },
    edit: (t) => t.replace('../df/Dockerfile', 'echo v1', 'echo v2'),
    expect: { cached: [2, 3, 4], rebuilt: [5] },
  },

  // ------------------------------------------------------------------------------------- multi-stage
  {
    id: 'stages/target-excludes-final',
    why: '--target build: the final stage is not built, so the file only it copies does not matter',
    target: 'build',
    files: {
      ...APP, 'config.txt': 'c1\n',
      Dockerfile: df(
        'FROM dfi-base:1 AS build',
        'WORKDIR /src',
        'COPY src/ src/',
        'RUN cat src/*.js > /bundle.js',
        '',
        'FROM dfi-base:1',
        'COPY config.txt /config.txt',
        'COPY --from=build /bundle.js /app/bundle.js'),
    },
    edit: (t) => t.write('config.txt', 'c2\n'),
    changed: ['config.txt'],
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'stages/copy-from-artifact-unchanged',
    why: 'the build stage re-runs, but COPY --from keys on the copied files\' content: same bytes, cache hit',
    files: {
      'src/a.txt': 'a\n', 'src/b.txt': 'b1\n',
      Dockerfile: df(
        'FROM dfi-base:1 AS build',
        'COPY src/ /src/',
        'RUN mkdir /out && cat /src/a.txt > /out/a.txt',
        '',
        'FROM dfi-base:1',
        'WORKDIR /app',
        'COPY --from=build /out/ ./',
        'RUN cat a.txt > copy.txt'),
    },
    edit: (t) => t.write('src/b.txt', 'b2\n'),
    changed: ['src/b.txt'],
    expect: { cached: [6, 7, 8], rebuilt: [2, 3] },
  },
  {
    id: 'stages/copy-from-artifact-changed',
    why: 'the copied artifact changes: COPY --from and everything after it in the final stage',
    files: {
      'src/a.txt': 'a\n', 'src/b.txt': 'b1\n',
      Dockerfile: df(
        'FROM dfi-base:1 AS build',
        'COPY src/ /src/',
        'RUN mkdir /out && cat /src/a.txt > /out/a.txt',
        '',
        'FROM dfi-base:1',
        'WORKDIR /app',
        'COPY --from=build /out/ ./',
        'RUN cat a.txt > copy.txt'),
    },
    edit: (t) => t.write('src/a.txt', 'a2\n'),
    changed: ['src/a.txt'],
    expect: { cached: [6], rebuilt: [2, 3, 7, 8] },
  },
  {
    id: 'stages/from-another-stage',
    why: 'FROM base AS test builds on the base stage: an edit in base invalidates test',
    target: 'test',
    files: {
      ...APP,
      Dockerfile: df(
        'FROM dfi-base:1 AS base',
        'WORKDIR /app',
        'COPY package.json ./',
        '',
        'FROM base AS test',
        'COPY src/ src/',
        'RUN ls src > tested',
        '',
        'FROM dfi-base:1 AS unused',
        'RUN echo never > /never'),
    },
    edit: (t) => t.write('package.json', '{ "name": "app", "version": "2.0.0" }\n'),
    changed: ['package.json'],
    expect: { cached: [2], rebuilt: [3, 6, 7] },
  },
  {
    id: 'stages/copy-from-index',
    why: 'COPY --from=0 names the first stage by its index',
    files: {
      'src/a.txt': 'a1\n',
      Dockerfile: df(
        'FROM dfi-base:1',
        'COPY src/a.txt /out/a.txt',
        '',
        'FROM dfi-base:1',
        'WORKDIR /app',
        'COPY --from=0 /out/ ./',
        'RUN cat a.txt > copy.txt'),
    },
    edit: (t) => t.write('src/a.txt', 'a2\n'),
    changed: ['src/a.txt'],
    expect: { cached: [5], rebuilt: [2, 6, 7] },
  },
  {
    id: 'stages/shared-prefix-merged',
    why: 'two stages start with the same FROM + WORKDIR: BuildKit runs that step once (one vertex for lines 2 and 7)',
    files: {
      'a.txt': 'a\n', 'b.txt': 'b1\n',
      Dockerfile: df(
        'FROM dfi-base:1 AS one',
        'WORKDIR /app',
        'COPY a.txt .',
        'RUN cat a.txt > one',
        '',
        'FROM dfi-base:1 AS two',
        'WORKDIR /app',
        'COPY b.txt .',
        'RUN cat b.txt > two',
        '',
        'FROM dfi-base:1',
        'COPY --from=one /app/one /one',
        'COPY --from=two /app/two /two'),
    },
    edit: (t) => t.write('b.txt', 'b2\n'),
    changed: ['b.txt'],
    expect: { cached: [2, 3, 4, 7, 12], rebuilt: [8, 9, 13] },
  },
  {
    id: 'stages/unused-stage-edited',
    why: 'BuildKit builds only the stages the target needs: the edited stage is not built at all',
    files: {
      ...APP,
      Dockerfile: df(
        'FROM dfi-base:1 AS docs',
        'RUN echo docs v1 > /docs',
        '',
        'FROM dfi-base:1',
        'WORKDIR /app',
        'COPY src/ src/'),
    },
    edit: (t) => t.replace('Dockerfile', 'docs v1', 'docs v2'),
    expect: { cached: [5, 6] },
  },

  // ------------------------------------------------------------------------------------------- mounts
  {
    id: 'mount/bind-file-other-file-edited',
    why: 'RUN --mount=type=bind keys on the mounted file\'s content only',
    files: {
      'deps.txt': 'dep1\n', 'other.txt': 'o1\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'RUN --mount=type=bind,source=deps.txt,target=/deps.txt cat /deps.txt > deps.out', 'RUN echo after > after'),
    },
    edit: (t) => t.write('other.txt', 'o2\n'),
    changed: ['other.txt'],
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'mount/bind-file-edited',
    why: 'the mounted file changed: that RUN and everything after it',
    files: {
      'deps.txt': 'dep1\n', 'other.txt': 'o1\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'RUN --mount=type=bind,source=deps.txt,target=/deps.txt cat /deps.txt > deps.out', 'RUN echo after > after'),
    },
    edit: (t) => t.write('deps.txt', 'dep2\n'),
    changed: ['deps.txt'],
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'mount/bind-whole-context',
    why: 'a bind mount of the whole context (no source) sees every file that is sent',
    files: {
      ...APP, 'notes.txt': 'n1\n',
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'RUN --mount=type=bind,target=/src ls /src > listing', 'RUN echo after > after'),
    },
    edit: (t) => t.write('notes.txt', 'n2\n'),
    changed: ['notes.txt'],
    expect: { cached: [2], rebuilt: [3, 4] },
  },
  {
    id: 'mount/bind-from-stage-unchanged-output',
    why: 'a bind mount from a stage keys on the mounted content: the stage re-runs, the output is the same',
    files: {
      'src/a.txt': 'a\n', 'src/b.txt': 'b1\n',
      Dockerfile: df(
        'FROM dfi-base:1 AS build',
        'COPY src/ /src/',
        'RUN mkdir /out && cat /src/a.txt > /out/a.txt',
        '',
        'FROM dfi-base:1',
        'RUN --mount=type=bind,from=build,source=/out,target=/o cat /o/a.txt > /a.txt'),
    },
    edit: (t) => t.write('src/b.txt', 'b2\n'),
    changed: ['src/b.txt'],
    expect: { cached: [6], rebuilt: [2, 3] },
  },
  {
    id: 'mount/secret-value-changed',
    why: 'a secret is not part of the cache key: a new secret value does not re-run the step',
    secrets: { token: 's3cret-1\n' },
    files: {
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'RUN --mount=type=secret,id=token wc -c /run/secrets/token > len', 'RUN echo after > after'),
    },
    edit: (t) => t.secret('token', 's3cret-2\n'),
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'mount/cache-mount-target-edited',
    why: 'the cache mount target is part of the RUN',
    files: {
      Dockerfile: df('FROM dfi-base:1', 'WORKDIR /app', 'RUN --mount=type=cache,target=/var/cache/a echo built > built', 'RUN echo after > after'),
    },
    edit: (t) => t.replace('Dockerfile', '/var/cache/a', '/var/cache/b'),
    expect: { cached: [2], rebuilt: [3, 4] },
  },

  // ---------------------------------------------------------------------------------------- base image
  {
    id: 'base/rebuilt-same-tag',
    why: 'the tag now names an image with other layers: every step of the stage',
    setup: async (t) => t.baseImage('dfi-rebase:1', 'v1'),
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-rebase:1', 'WORKDIR /app', 'COPY app.txt .', 'RUN cat /version app.txt > out'),
    },
    edit: async (t) => t.baseImage('dfi-rebase:1', 'v2'),
    baseChanged: true,
    expect: { rebuilt: [2, 3, 4] },
  },
  {
    id: 'base/retagged-same-layers',
    why: 'the tag moved to a new image whose layers are identical (only a LABEL differs): BuildKit keys FROM on the layers',
    setup: async (t) => t.baseImage('dfi-relabel:1', 'v1'),
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-relabel:1', 'WORKDIR /app', 'COPY app.txt .', 'RUN cat /version app.txt > out'),
    },
    edit: async (t) => t.baseImage('dfi-relabel:1', 'v1', ['LABEL rebuilt=yes']),
    expect: { cached: [2, 3, 4] },
  },
  {
    id: 'base/env-only-changed',
    why: 'same layers, new ENV in the base config: RUN sees the environment, WORKDIR and COPY do not',
    setup: async (t) => t.baseImage('dfi-reenv:1', 'v1', ['ENV MODE=a']),
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-reenv:1', 'WORKDIR /app', 'COPY app.txt .', 'RUN cat /version app.txt > out'),
    },
    edit: async (t) => t.baseImage('dfi-reenv:1', 'v1', ['ENV MODE=b']),
    // only the ENV changed: `--base-changed=config` (which part unknown) would also rebuild WORKDIR, as a USER change does
    baseChanged: 'env',
    expect: { cached: [2, 3], rebuilt: [4] },
  },
  {
    id: 'base/user-only-changed',
    why: 'same layers, USER added to the base config: WORKDIR creates its directory as that user, RUN runs as it; COPY does not care',
    setup: async (t) => t.baseImage('dfi-reuser:1', 'v1'),
    files: {
      'app.txt': 'app\n',
      Dockerfile: df('FROM dfi-reuser:1', 'COPY app.txt /srv/app.txt', 'WORKDIR /srv', 'RUN cat /version app.txt > /tmp/out'),
    },
    edit: async (t) => t.baseImage('dfi-reuser:1', 'v1', ['USER app']),
    baseChanged: 'config',
    expect: { cached: [2], rebuilt: [3, 4] },
  },
];
