/** Helpers for core unit tests. */
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
