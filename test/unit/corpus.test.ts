/**
 * Robustness over the shared corpus of real Dockerfiles (<project root>/../shared/corpus): the analysis must
 * never throw, no rule may fail, and every diagnostic (and quick-fix edit) range must lie inside the text.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, Range } from '../../src/core';
import { projectRoot } from './helpers';


const CORPUS = path.resolve(projectRoot(), '..', 'shared', 'corpus');

/** Problems with one range, or [] when it is sane. `lines` are the text's lines without their breaks. */
function rangeProblems(r: Range, lines: string[], lineCount: number): string[] {
  const out: string[] = [];
  const { start, end } = r;
  for (const [name, p] of [['start', start], ['end', end]] as const) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) {
      out.push(`${name} is not integral`);
      continue;
    }
    if (p.line < 0 || p.line >= lineCount || p.line >= lines.length) out.push(`${name}.line ${p.line} outside 0..${Math.min(lineCount, lines.length) - 1}`);
    else if (p.character < 0 || p.character > lines[p.line].length) out.push(`${name}.character ${p.character} outside line ${p.line} (length ${lines[p.line].length})`);
  }
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) out.push('start after end');
  return out;
}

/** Analyses every file; returns one message per problem, naming the file. */
function check(dir: string, files: string[]): { problems: string[]; diagnostics: number } {
  const problems: string[] = [];
  let diagnostics = 0;
  for (const name of files) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const lines = text.split(/\r\n|\r|\n/);
    let res: ReturnType<typeof analyze>;
    try {
      res = analyze(text);
    } catch (e) {
      problems.push(`${name}: analyze threw ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      continue;
    }
    for (const err of res.ruleErrors) problems.push(`${name}: rule ${err.ruleId} threw ${err.error.split('\n')[0]}`);
    if (res.skipped) problems.push(`${name}: skipped: ${res.skipped}`);
    const lineCount = res.model?.lineCount ?? lines.length;
    if (res.model && res.model.lineCount !== lines.length) problems.push(`${name}: model.lineCount ${res.model.lineCount} but the text has ${lines.length} lines`);
    for (const d of res.diagnostics) {
      diagnostics++;
      for (const p of rangeProblems(d.range, lines, lineCount)) problems.push(`${name}: ${d.ruleId} ${JSON.stringify(d.range)}: ${p}`);
      for (const fix of d.fixes ?? []) {
        for (const e of fix.edits) {
          for (const p of rangeProblems(e.range, lines, lineCount)) problems.push(`${name}: ${d.ruleId} fix "${fix.title}" edit ${JSON.stringify(e.range)}: ${p}`);
        }
      }
    }
  }
  return { problems, diagnostics };
}

/** Dockerfiles in a corpus folder (the `.dockerignore` files stored beside them are not Dockerfiles). */
function dockerfilesIn(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.toLowerCase().endsWith('.dockerignore'))
    .map((e) => e.name)
    .sort();
}

describe('shared corpus', function () {
  this.timeout(300_000);

  before(function () {
    if (!fs.existsSync(CORPUS)) {
      console.log(`    (skipped: the shared corpus is not at ${CORPUS})`);
      this.skip();
    }
  });

  for (const sub of ['dockerfiles', 'stress']) {
    it(`${sub}/: analyze never throws, no rule errors, every range inside the text`, function () {
      const dir = path.join(CORPUS, sub);
      assert.ok(fs.existsSync(dir), `${dir} is missing (the corpus folder exists, so this sub-folder should too)`);
      const files = dockerfilesIn(dir);
      if (sub === 'stress') assert.ok(files.length >= 2, `expected the two stress files in ${dir}, found ${files.join(', ')}`);
      else assert.ok(files.length > 100, `expected hundreds of Dockerfiles in ${dir}, found ${files.length}`);
      const { problems, diagnostics } = check(dir, files);
      if (sub === 'dockerfiles') assert.ok(diagnostics > 0, 'the corpus produced no diagnostic at all: the rules are not running');
      assert.deepEqual(problems, [], `${problems.length} problem(s) in ${files.length} files:\n${problems.slice(0, 50).join('\n')}`);
    });
  }
});
