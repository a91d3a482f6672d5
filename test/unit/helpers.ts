/** Helpers for core unit tests. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, AnalyzeOptions, applyEdits, Diagnostic, DockerfileModel, Fix, getRule } from '../../src/core';

export function lint(text: string, options: AnalyzeOptions = {}): Diagnostic[] {
  return analyze(text, options).diagnostics;
}

/** Findings of one rule only (all rules run, so pragmas and config behave as in real use). */
export function findings(ruleId: string, text: string, options: AnalyzeOptions = {}): Diagnostic[] {
  if (!getRule(ruleId)) throw new Error(`no rule ${ruleId}`);
  return lint(text, options).filter((d) => d.ruleId === ruleId);
}

/** The source text a diagnostic's range covers. */
export function covered(text: string, d: { range: Diagnostic['range'] }): string {
  const lines = text.split(/\r\n|\r|\n/);
  const { start, end } = d.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  const parts = [lines[start.line].slice(start.character)];
  for (let l = start.line + 1; l < end.line; l++) parts.push(lines[l]);
  parts.push(lines[end.line].slice(0, end.character));
  return parts.join('\n');
}

/** Applies a fix and returns the new text. */
export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

export type { DockerfileModel };

export interface FixCheck {
  /** Which of the finding's fixes to apply. */
  fixIndex?: number;
  /** Configuration to lint with, before and after. */
  layers?: AnalyzeOptions['layers'];
  /** What must be gone after the fix: any finding of the rule, the same message (default), or the same message on
   * the same line. */
  gone?: 'rule' | 'message' | 'line';
}

/**
 * Applies one of the finding's fixes, re-lints, and checks that the finding is gone and that the fix brought in no
 * rule that did not fire before (messages may mention line numbers that shift, so new findings compare by rule).
 */
export function assertFixWorks(text: string, d: Diagnostic, expectedText?: string, check: FixCheck = {}): string {
  const { fixIndex = 0, layers = [], gone = 'message' } = check;
  assert.ok(d.fixes && d.fixes.length > fixIndex, `${d.ruleId} has a fix`);
  const fixed = applyFix(text, d.fixes[fixIndex]);
  if (expectedText !== undefined) assert.equal(fixed, expectedText);
  const before = new Set(lint(text, { layers }).map((x) => x.ruleId));
  const after = lint(fixed, { layers });
  const same = (x: Diagnostic) => x.ruleId === d.ruleId
    && (gone === 'rule' || (x.message === d.message && (gone === 'message' || x.range.start.line === d.range.start.line)));
  assert.equal(after.filter(same).length, 0, `fix removes: ${d.message}\n${fixed}`);
  for (const x of after) assert.ok(before.has(x.ruleId), `fix introduced ${x.ruleId}: ${x.message}\n${fixed}`);
  return fixed;
}

/** The project root: the folder with this project's package.json and tsconfig.test.json, above the compiled tests. */
export function projectRoot(): string {
  let d = __dirname;
  for (;;) {
    // tsc copies package.json into out/ too, so also require a file that only the real root has.
    const p = path.join(d, 'package.json');
    if (fs.existsSync(p) && fs.existsSync(path.join(d, 'tsconfig.test.json')) && JSON.parse(fs.readFileSync(p, 'utf8')).name === 'dockerfile-insight') return d;
    const parent = path.dirname(d);
    if (parent === d) throw new Error(`no dockerfile-insight package.json above ${__dirname}`);
    d = parent;
  }
}

/** The shared corpus of real Dockerfiles: <project root>/../shared/corpus. */
export function corpusDir(): string {
  return path.resolve(projectRoot(), '..', 'shared', 'corpus');
}
