/**
 * The build context: .dockerignore semantics (checked against a table recorded from the real Docker 20.10
 * BuildKit), the pruning walk (in memory and on disk), context-directory resolution, ignore-file precedence and
 * COPY source selection.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  cleanPath, compilePattern, goMatch, IgnoreMatcher, parseDockerignore,
} from '../../src/core/dockerignore';
import {
  inContext, loadIgnore, resolveContextDir, scanContext, selectSource, sourceSelects, walkContext,
} from '../../src/core/context';
import { NodeFileSystem } from '../../src/cli/nodeFs';
import { MemFs } from './memFs';

function findFixture(name: string): string {
  let d = __dirname;
  for (;;) {
    const p = path.join(d, 'test', 'fixtures', name);
    if (fs.existsSync(p)) return p;
    const parent = path.dirname(d);
    if (parent === d) throw new Error(`fixture ${name} not found above ${__dirname}`);
    d = parent;
  }
}

interface RecordedCase {
  dockerignore: string[];
  context: string[];
}
const recorded = JSON.parse(fs.readFileSync(findFixture('dockerignore-buildkit.json'), 'utf8')) as { tree: string[]; emptyDirs: string[]; cases: RecordedCase[] };

describe('dockerignore', () => {
  it('reads the file like the Docker CLI: # only at column 0, trimming, Clean, leading / dropped, ! kept', () => {
    assert.deepEqual(parseDockerignore('# comment\n  # not a comment\n\n/build/\n./docs/*.md\n!  keep.txt \nsrc/../x\n\ufeffy'), [
      '# not a comment', 'build', 'docs/*.md', '!keep.txt', 'x', '\ufeffy',
    ]);
    assert.deepEqual(parseDockerignore('\ufeff# bom then comment\r\na\r\n'), ['a']);
  });

  it('cleans paths like Go (path.Clean)', () => {
    assert.equal(cleanPath(''), '.');
    assert.equal(cleanPath('a//b/./c/..'), 'a/b');
    assert.equal(cleanPath('../a'), '../a');
    assert.equal(cleanPath('/../a/'), '/a');
  });

  it('compiles patterns like moby fileutils: * and ? stop at /, ** crosses, . and $ literal', () => {
    const m = (p: string, s: string) => compilePattern(p)!.test(s);
    assert.ok(m('*.log', 'a.log'));
    assert.ok(!m('*.log', 'src/a.log'));
    assert.ok(m('**/*.log', 'src/a.log'));
    assert.ok(m('**/*.log', 'a.log'));
    assert.ok(m('src/**', 'src/a/b'));
    assert.ok(!m('a.b', 'axb'));
    assert.ok(m('?.txt', 'a.txt'));
    assert.ok(!m('?.txt', 'ab.txt'));
    assert.ok(m('a\\[1\\].txt', 'a[1].txt'));
  });

  it('matches a parent directory only at the pattern\'s own depth (Docker 20.10)', () => {
    const m = new IgnoreMatcher(['node_modules', 'docs/*']);
    assert.ok(m.matches('node_modules/x/y.js'));
    assert.ok(!m.matches('lib/node_modules/q.js'));
    assert.ok(m.matches('docs/a/b'));
    const e = new IgnoreMatcher(['node_modules', '!node_modules/keep.txt']);
    assert.ok(!e.matches('node_modules/keep.txt'));
    assert.ok(e.descendsInto('node_modules'));
    assert.ok(!e.descendsInto('node_modules/pkg'));
    assert.ok(!new IgnoreMatcher(['node_modules', '!**/keep.txt']).descendsInto('node_modules'));
  });

  it('agrees with the real builder on every recorded case', async () => {
    for (const c of recorded.cases) {
      const tree: Record<string, string | null> = {};
      for (const f of recorded.tree) tree[`/ctx/${f}`] = f;
      for (const d of recorded.emptyDirs) tree[`/ctx/${d}`] = null;
      tree['/ctx/.dockerignore'] = c.dockerignore.join('\n') + '\n';
      const mem = new MemFs(tree);
      const idx = await scanContext(mem, '/ctx');
      assert.deepEqual(idx.entries.map((e) => e.path).sort(), [...c.context].sort(), `.dockerignore ${JSON.stringify(c.dockerignore)}`);
    }
    assert.ok(recorded.cases.length >= 30);
  });

  it('Go path.Match for COPY globs', () => {
    assert.ok(goMatch('*.txt', 'a.txt'));
    assert.ok(!goMatch('*.txt', 'd/a.txt'));
    assert.ok(goMatch('[a-c]?', 'b1'));
    assert.ok(goMatch('[^a]x', 'bx'));
    assert.ok(!goMatch('[^a]x', 'ax'));
    assert.ok(goMatch('\\*', '*'));
    assert.ok(!goMatch('[', '['));
  });
});

describe('context walk', () => {
  it('does not read an excluded directory, and does read one an exception starts with', async () => {
    const tree: Record<string, string> = { '/p/Dockerfile': 'FROM x', '/p/.dockerignore': 'node_modules\n', '/p/src/a.js': 'a' };
    for (let i = 0; i < 50; i++) tree[`/p/node_modules/m${i}/index.js`] = 'x';
    const mem = new MemFs(tree);
    const idx = await scanContext(mem, '/p');
    assert.ok(!mem.reads.some((r) => r.includes('node_modules')), `read: ${mem.reads.join(', ')}`);
    assert.deepEqual(idx.pruned, ['node_modules']);
    assert.deepEqual(idx.entries.map((e) => e.path), ['.dockerignore', 'Dockerfile', 'src', 'src/a.js']);
    assert.equal(idx.fileCount, 3);
    assert.equal(idx.totalBytes, 'FROM x'.length + 'node_modules\n'.length + 1);

    const mem2 = new MemFs({ ...tree, '/p/.dockerignore': 'node_modules\n!node_modules/m1/index.js\n' });
    const idx2 = await scanContext(mem2, '/p');
    assert.ok(mem2.reads.includes('/p/node_modules'));
    assert.ok(!mem2.reads.includes('/p/node_modules/m2'));
    assert.ok(idx2.byPath.has('node_modules/m1/index.js'));
    assert.ok(!idx2.byPath.has('node_modules/m2/index.js'));
  });

  it('walks a real directory through the Node file system: sizes, modes, symlinks, pruning', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dfi-ctx-'));
    try {
      fs.mkdirSync(path.join(tmp, 'src/deep'), { recursive: true });
      fs.mkdirSync(path.join(tmp, 'node_modules/pkg'), { recursive: true });
      fs.writeFileSync(path.join(tmp, 'src/a.txt'), 'hello');
      fs.writeFileSync(path.join(tmp, 'src/deep/b.bin'), new Uint8Array(1000));
      fs.writeFileSync(path.join(tmp, 'node_modules/pkg/i.js'), 'x');
      fs.writeFileSync(path.join(tmp, '.dockerignore'), 'node_modules\n*.md\n');
      fs.writeFileSync(path.join(tmp, 'README.md'), 'r');
      fs.chmodSync(path.join(tmp, 'src/a.txt'), 0o755);
      fs.symlinkSync('a.txt', path.join(tmp, 'src/link'));
      const idx = await scanContext(new NodeFileSystem(), tmp);
      assert.deepEqual(idx.entries.map((e) => e.path), ['.dockerignore', 'src', 'src/a.txt', 'src/deep', 'src/deep/b.bin', 'src/link']);
      assert.equal(idx.byPath.get('src/a.txt')!.mode, 0o755);
      assert.equal(idx.byPath.get('src/link')!.type, 'symlink');
      assert.equal(idx.byPath.get('src/deep/b.bin')!.size, 1000);
      assert.deepEqual(idx.pruned, ['node_modules']);
      assert.equal(idx.excluded, 1);
      assert.equal(idx.ignoreFile, path.join(tmp, '.dockerignore'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('stops at maxEntries and says so', async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 20; i++) tree[`/c/f${i}`] = 'x';
    const idx = await walkContext(new MemFs(tree), '/c', new IgnoreMatcher([]), { maxEntries: 5 });
    assert.equal(idx.entries.length, 5);
    assert.ok(idx.truncated);
  });
});

describe('context directory and ignore file', () => {
  it('defaults to the Dockerfile folder, or the nearest folder above with a .dockerignore; a setting wins', async () => {
    const mem = new MemFs({ '/ws/.dockerignore': 'x', '/ws/docker/app.Dockerfile': 'FROM a', '/ws/other/Dockerfile': 'FROM a', '/ws/other/.dockerignore': '', '/elsewhere/Dockerfile': 'FROM a' });
    assert.deepEqual(await resolveContextDir(mem, '/ws/docker/app.Dockerfile', { stopAt: '/ws' }), { dir: '/ws', reason: 'dockerignore' });
    assert.deepEqual(await resolveContextDir(mem, '/ws/other/Dockerfile', { stopAt: '/ws' }), { dir: '/ws/other', reason: 'dockerfile-folder' });
    assert.deepEqual(await resolveContextDir(mem, '/elsewhere/Dockerfile', { stopAt: '/elsewhere' }), { dir: '/elsewhere', reason: 'dockerfile-folder' });
    assert.deepEqual(await resolveContextDir(mem, '/ws/docker/app.Dockerfile', { stopAt: '/ws/docker' }), { dir: '/ws/docker', reason: 'dockerfile-folder' });
    assert.deepEqual(await resolveContextDir(mem, '/ws/docker/app.Dockerfile', { configured: '/ws/other/' }), { dir: '/ws/other', reason: 'configured' });
  });

  it('uses <Dockerfile>.dockerignore next to the Dockerfile instead of the context\'s .dockerignore', async () => {
    const mem = new MemFs({ '/c/.dockerignore': 'a\n', '/c/docker/app.Dockerfile.dockerignore': 'b\n', '/c/docker/app.Dockerfile': 'FROM x', '/c/a': '1', '/c/b': '2' });
    const own = await loadIgnore(mem, '/c', '/c/docker/app.Dockerfile');
    assert.equal(own.file, '/c/docker/app.Dockerfile.dockerignore');
    assert.ok(own.matcher.matches('b') && !own.matcher.matches('a'));
    const plain = await loadIgnore(mem, '/c', '/c/Dockerfile');
    assert.equal(plain.file, '/c/.dockerignore');
    assert.equal((await loadIgnore(new MemFs({}), '/none')).file, undefined);
  });
});

describe('COPY source selection', () => {
  const tree = { '/c/src/a.js': 'aaa', '/c/src/b.ts': 'bb', '/c/src/lib/c.js': 'c', '/c/pkg.json': '{}', '/c/x.js': 'x', '/c/empty': null };

  it('takes a directory\'s contents, a file, a glob (a matching directory whole), the whole context', async () => {
    const idx = await scanContext(new MemFs(tree), '/c');
    const files = (s: string) => selectSource(idx, s).entries.filter((e) => e.type !== 'directory').map((e) => e.path);
    assert.deepEqual(files('src/'), ['src/a.js', 'src/b.ts', 'src/lib/c.js']);
    assert.deepEqual(files('./src/../pkg.json'), ['pkg.json']);
    assert.deepEqual(files('/x.js'), ['x.js']);
    assert.deepEqual(files('src/*.js'), ['src/a.js']);
    assert.deepEqual(files('*.js'), ['x.js']);
    assert.deepEqual(files('s*'), ['src/a.js', 'src/b.ts', 'src/lib/c.js']);
    assert.equal(files('.').length, 5);
    const sel = selectSource(idx, 'src');
    assert.equal(sel.fileCount, 3);
    assert.equal(sel.bytes, 6);
    assert.ok(selectSource(idx, 'nope.txt').missing);
    assert.ok(selectSource(idx, '*.md').missing);
    assert.ok(!selectSource(idx, 'empty').missing);
    assert.deepEqual(selectSource(idx, 'src', new IgnoreMatcher(['*.ts'])).entries.filter((e) => e.type === 'file').map((e) => e.path), ['src/a.js', 'src/lib/c.js']);
  });

  it('tells whether a path is taken without walking', () => {
    assert.ok(sourceSelects('src/', 'src/lib/c.js'));
    assert.ok(!sourceSelects('src/', 'srcx/a'));
    assert.ok(sourceSelects('.', 'anything'));
    assert.ok(sourceSelects('src/*.js', 'src/a.js'));
    assert.ok(!sourceSelects('src/*.js', 'src/lib/c.js'));
    assert.ok(sourceSelects('s*', 'src/lib/c.js'));
    assert.ok(!sourceSelects('*.js', 'src/a.js'));
  });

  it('knows which paths reach the builder', () => {
    const m = new IgnoreMatcher(['node_modules', '!**/keep.txt', '*.log', '!important.log']);
    assert.ok(!inContext(m, 'node_modules/keep.txt'));
    assert.ok(inContext(m, 'src/keep.txt'));
    assert.ok(!inContext(m, 'a.log'));
    assert.ok(inContext(m, 'important.log'));
  });
});
