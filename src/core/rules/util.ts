/** Small helpers shared by rules. */
import type { DockerfileModel, Stage, Step } from '../model';
import { expand } from '../variables';
import type { Range, TextEdit } from '../types';

/** The step's argument text expanded with its scope; `known` is false when a variable had no known value. */
export function expandedArgs(model: DockerfileModel, step: Step): { value: string; known: boolean } {
  const r = expand(step.argsText.trim(), step.scope, model.escapeChar);
  return { value: r.value, known: r.unresolved.length === 0 };
}

/** The part of a FROM line worth underlining: `FROM image [AS name]` on its first line. */
export function fromHeadRange(stage: Stage): Range {
  const f = stage.from;
  const end = stage.nameRange?.end ?? stage.baseRange?.end ?? f.keywordRange.end;
  return { start: f.keywordRange.start, end };
}

/** Leading whitespace of the step's first line. */
export function indentOf(model: DockerfileModel, step: Step): string {
  const ls = model.lineStarts[step.range.start.line];
  const lineText = model.text.slice(ls, ls + step.range.start.character);
  return /^\s*/.exec(lineText)?.[0] ?? '';
}

/** The end-of-line sequence the file uses. */
export function eolOf(model: DockerfileModel): string {
  return /\r\n/.test(model.text.slice(0, 4096)) ? '\r\n' : '\n';
}

/** An edit that inserts a whole new line after the given step. */
export function insertLineAfter(model: DockerfileModel, step: Step, line: string): TextEdit {
  const eol = eolOf(model);
  const end = step.range.end;
  return { range: { start: end, end }, newText: eol + line };
}

/** An edit that inserts a whole new line before the given step, with the same indentation. */
export function insertLineBefore(model: DockerfileModel, step: Step, line: string): TextEdit {
  const pos = { line: step.range.start.line, character: 0 };
  return { range: { start: pos, end: pos }, newText: indentOf(model, step) + line + eolOf(model) };
}

/** An edit deleting a step's whole lines (including the line break after it). */
export function deleteStepLines(model: DockerfileModel, step: Step): TextEdit {
  const start = { line: step.range.start.line, character: 0 };
  const nextLine = step.range.end.line + 1;
  const end = nextLine < model.lineCount ? { line: nextLine, character: 0 } : step.range.end;
  return { range: { start, end }, newText: '' };
}

/** Levenshtein distance (small strings only). */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

/**
 * A fixed list of literals to look for in texts: `foundIn(text)` is true when the text includes one of them.
 * Build it once (at module level). With more than two literals it runs one regular expression, an alternation
 * of the literals: V8 scans a text for that several times faster than it runs one `includes` per literal.
 */
export class Needles {
  private readonly re: RegExp | undefined;

  /** `ignoreCase`: ASCII letters of the needles match either case (no lower-cased copy of the text needed). */
  constructor(
    readonly list: readonly string[],
    ignoreCase = false,
  ) {
    this.re = list.length > 2 || ignoreCase ? new RegExp(list.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), ignoreCase ? 'i' : '') : undefined;
  }

  foundIn(text: string): boolean {
    if (this.re) return this.re.test(text);
    for (const n of this.list) if (text.includes(n)) return true;
    return false;
  }
}

/** Whether the text includes one of the needles (a few literals, or a prepared list). */
export function foundIn(text: string, needles: readonly string[] | Needles): boolean {
  if (needles instanceof Needles) return needles.foundIn(text);
  for (const n of needles) if (text.includes(n)) return true;
  return false;
}
