import type { Rule } from '../rule';
import type { Finding, TextEdit } from '../types';
import { t } from '../l10n';

/** BuildKit's line-continuation test: the escape character ends the line and is not itself escaped. */
export function endsWithContinuation(line: string, esc: string): boolean {
  const body = line.replace(/[ \t]+$/, '');
  if (!body.endsWith(esc)) return false;
  return body.length === 1 || body[body.length - 2] !== esc || /^\s+$/.test(body.slice(0, -1));
}

/** True when text[from, to) (one line with its line break) holds only blanks. */
function isBlankLine(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 ? !/\s/.test(text[i]) : c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 12) return false;
  }
  return true;
}

export const emptyContinuationLine: Rule = {
  id: 'empty-continuation-line',
  category: 'correctness',
  severity: 'warning',
  aliases: { buildkit: ['NoEmptyContinuation'] },
  title: 'An empty line inside a continued instruction (after a trailing \\): a future Docker release will reject it',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    const lineText = (l: number) => model.text.slice(model.lineStarts[l], l + 1 < model.lineStarts.length ? model.lineStarts[l + 1] : model.text.length).replace(/\r?\n$|\r$/, '');
    for (const step of model.steps) {
      const { start, end } = step.range;
      if (start.line === end.line) continue;
      let firstHeredoc = Infinity;
      for (const h of step.heredocs) if (h.contentRange && h.contentRange.start.line < firstHeredoc) firstHeredoc = h.contentRange.start.line;
      // Quick test before reading line by line: no blank line among the lines to read, nothing to report.
      const last = Math.min(end.line, firstHeredoc);
      let anyBlank = false;
      for (let l = start.line + 1; l < last && !anyBlank; l++) anyBlank = isBlankLine(model.text, model.lineStarts[l], model.lineStarts[l + 1]);
      if (!anyBlank) continue;
      const inHeredoc = (l: number) => step.heredocs.some((h) => h.contentRange && l >= h.contentRange.start.line && l <= h.contentRange.end.line);
      const empty: number[] = [];
      // The last line with content before each empty line must really continue: BuildKit does not count an escape
      // character that is itself escaped (`\\` at the end of a line).
      let continued = false;
      for (let l = start.line; l < end.line && l < firstHeredoc; l++) {
        const text = lineText(l);
        if (l > start.line && /^\s*$/.test(text)) {
          if (continued && !inHeredoc(l)) empty.push(l);
          continue;
        }
        if (l > start.line && /^\s*#/.test(text)) continue;
        continued = endsWithContinuation(text, model.escapeChar);
      }
      if (!empty.length) continue;
      const edits: TextEdit[] = empty.map((l) => ({ range: { start: { line: l, character: 0 }, end: { line: l + 1, character: 0 } }, newText: '' }));
      out.push({
        ruleId: 'empty-continuation-line',
        message: empty.length === 1
          ? t('Empty line inside the {0} instruction that starts on line {1}: the line continuation skips it today, but BuildKit warns that a future release will treat it as an error. Remove the empty line (or the trailing escape character before it, if the instruction was meant to end there).', step.keyword, start.line + 1)
          : t('{2} empty lines inside the {0} instruction that starts on line {1}: the line continuation skips them today, but BuildKit warns that a future release will treat them as errors. Remove them.', step.keyword, start.line + 1, empty.length),
        range: { start: { line: empty[0], character: 0 }, end: { line: empty[0], character: lineText(empty[0]).length } },
        aliases: { buildkit: 'NoEmptyContinuation' },
        fixes: [{ title: t('Remove the empty continuation lines'), edits, isPreferred: true }],
      });
    }
    return out;
  },
};
