/**
 * Our shell parser (src/core/shellSyntax.ts) checked against an independent one: mvdan/sh (the parser behind
 * shfmt, as the `mvdan-sh` npm package — a dev dependency only, never shipped). For every RUN script of the
 * shared corpus that mvdan/sh accepts, both must find the same simple commands with the same words at the same
 * offsets. The walk over mvdan's tree here is deliberately generic (every CallExpr anywhere in the tree), so it
 * does not share the logic under test.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildModel, parseRunScript, Step } from '../../src/core';
import { corpusDir } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
type GoObj = any;

interface RefParser {
  Parse(src: string, name: string): GoObj;
}

function loadParsers(): { posix: RefParser; bash: RefParser } {
  const g = globalThis as Record<string, unknown>;
  const limit = Error.stackTraceLimit;
  const hadRequire = Object.prototype.hasOwnProperty.call(g, 'require');
  const oldRequire = g.require;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const syntax = require('mvdan-sh').syntax;
    return {
      posix: syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangPOSIX)),
      bash: syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangBash)),
    };
  } finally {
    // GopherJS changes these globals when it loads: restore them.
    Error.stackTraceLimit = limit;
    if (hadRequire) g.require = oldRequire;
    else delete g.require;
  }
}

function items(slice: GoObj): GoObj[] {
  if (!slice || !slice.$array) return [];
  const out: GoObj[] = [];
  for (let i = 0; i < slice.$length; i++) out.push(slice.$array[slice.$offset + i]);
  return out;
}

function typeName(x: GoObj): string {
  if (x == null || x.constructor === Object || (x.constructor !== undefined && x === x.constructor.nil)) return '';
  return (x.constructor && x.constructor.string) ?? '';
}

/** "offset:raw raw raw" for every simple command with words, anywhere in the tree (mvdan's byte offsets). */
function referenceCommands(file: GoObj, text: string): string[] {
  const out: string[] = [];
  const seen = new Set<GoObj>();
  const visit = (x: GoObj, depth: number) => {
    if (depth > 200 || x == null || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (x.$array) {
      for (const it of items(x)) visit(it, depth + 1);
      return;
    }
    const t = typeName(x);
    if (t === '*syntax.CallExpr' || t === '*syntax.DeclClause') {
      const words = t === '*syntax.CallExpr' ? items(x.Args) : [x.Variant, ...items(x.Args)];
      if (words.length) {
        const raws = words.map((w: GoObj) => text.slice(w.Pos().Offset(), w.End().Offset()));
        out.push(`${words[0].Pos().Offset()}:${raws.join(' ')}`);
      }
    }
    for (const key of Object.keys(x)) {
      if (key === '$val') continue;
      const v = x[key];
      if (v && typeof v === 'object' && !('offs' in v)) visit(v, depth + 1);
    }
  };
  visit(file, 0);
  return out.sort();
}

describe('shell parser agrees with mvdan/sh on the corpus', function () {
  this.timeout(120_000);

  it('finds the same simple commands and words in every RUN script mvdan/sh parses', () => {
    const ref = loadParsers();
    const dir = path.join(corpusDir(), 'dockerfiles');
    let compared = 0;
    const mismatches: string[] = [];
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.endsWith('.dockerignore') || name.endsWith('.md') || name.endsWith('.tsv')) continue;
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const model = buildModel(text);
      const steps: Step[] = [];
      for (const s of model.steps) {
        if (s.keyword === 'RUN') steps.push(s);
        else if (s.trigger?.keyword === 'RUN') steps.push(s.trigger);
      }
      for (const step of steps) {
        const script = parseRunScript(model, step);
        // ASCII-only scripts, so mvdan's byte offsets are our character offsets.
        // eslint-disable-next-line no-control-regex
        if (script.skipped || script.kind === 'exec' || /[^\x00-\x7f]/.test(script.text)) continue;
        let file: GoObj;
        for (const p of script.dialect === 'bash' ? [ref.bash, ref.posix] : [ref.posix, ref.bash]) {
          try {
            const f = p.Parse(script.text, '');
            file = f.__internal_object__ ?? f;
            break;
          } catch {
            // try the other grammar
          }
        }
        if (!file) continue;
        compared++;
        const expected = referenceCommands(file, script.text);
        const ours = script.commands
          .filter((c) => c.words.length && !c.nesting.includes('sh-c') && !c.nesting.includes('heredoc-script'))
          .map((c) => `${c.words[0].start}:${c.words.map((w) => w.raw).join(' ')}`)
          .sort();
        // `[[ ]]` under /bin/sh: mvdan's POSIX grammar reads `[[` as a command name; ours reads it as bash's test.
        const filtered = expected.filter((e) => !/^\d+:\[\[ /.test(e));
        if (JSON.stringify(filtered) !== JSON.stringify(ours)) {
          const missing = filtered.filter((e) => !ours.includes(e));
          const extra = ours.filter((e) => !filtered.includes(e));
          mismatches.push(`${name} line ${step.range.start.line + 1}: missing ${JSON.stringify(missing.slice(0, 2))} extra ${JSON.stringify(extra.slice(0, 2))}`);
        }
      }
    }
    assert.ok(compared > 1500, `only ${compared} scripts compared`);
    assert.deepEqual(mismatches, []);
  });
});
