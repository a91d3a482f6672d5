/**
 * Instruction arguments as Docker splits them, with exact source ranges: words (quotes and escapes respected,
 * line continuations and the comment lines inside them skipped), KEY=VALUE pairs of ENV / LABEL / ARG, the
 * sources and destination of COPY / ADD (shell or JSON form), and `$VAR` references. Used by the rules that read
 * the instruction structure.
 */
import type { DockerfileModel, Step } from '../model';
import { memoized, offsetAt, positionAtOffset } from '../model';
import type { Position, Range } from '../types';

export interface SourceWord {
  /** The word as written (quotes and escapes kept; line continuations removed). */
  raw: string;
  /** Offsets into `model.text` (end exclusive). */
  start: number;
  end: number;
  range: Range;
}

/** The 0-based position of an offset in the model's text. */
export const positionAt = positionAtOffset;

export function rangeAt(model: Pick<DockerfileModel, 'lineStarts'>, start: number, end: number): Range {
  return { start: positionAt(model, start), end: positionAt(model, end) };
}

const FLAG_INSTRUCTIONS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);

/** Offset where a line continuation starting at `i` (the escape character) ends, or -1 when `i` is not one. */
function continuationEnd(text: string, i: number, end: number): number {
  let j = i + 1;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  if (j >= end) return -1;
  if (text[j] === '\r' && text[j + 1] === '\n') j += 2;
  else if (text[j] === '\n' || text[j] === '\r') j++;
  else return -1;
  // Comment lines and empty lines inside a continued instruction are skipped.
  for (;;) {
    let k = j;
    while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
    if (k < end && text[k] === '#') {
      while (k < end && text[k] !== '\n' && text[k] !== '\r') k++;
    } else if (!(k < end && (text[k] === '\n' || text[k] === '\r'))) {
      return j;
    }
    if (text[k] === '\r' && text[k + 1] === '\n') k += 2;
    else if (k < end) k++;
    if (k >= end) return k;
    j = k;
  }
}

/** Per step: its words (flags included) and what keyValueArgs / copyArgs read from them (see `stepWords`). */
const wordsCache = Symbol('wordsCache');
const argWordsCache = Symbol('argWordsCache');
const keyValueCache = Symbol('keyValueCache');
const copyArgsCache = Symbol('copyArgsCache');

/**
 * The words after the keyword of a step (up to the end of its logical line: heredoc bodies are not included),
 * split on unquoted whitespace. With `skipFlags`, leading `--flag` words of FROM / RUN / COPY / ADD / HEALTHCHECK
 * are dropped.
 *
 * Memoised per step (a step belongs to one model, so the words cannot go stale): many rules read the same steps.
 * The result is shared between callers, so it must not be modified; the same holds for keyValueArgs and copyArgs.
 */
export function stepWords(model: DockerfileModel, step: Step, skipFlags = true): SourceWord[] {
  const all = memoized(step, wordsCache, splitWords, model, step);
  if (!skipFlags || !FLAG_INSTRUCTIONS.has(step.keyword)) return all;
  return memoized(step, argWordsCache, withoutFlags, all, undefined);
}

/** The words after the leading `--flag` words. */
function withoutFlags(all: SourceWord[]): SourceWord[] {
  let n = 0;
  while (n < all.length && all[n].raw.startsWith('--')) n++;
  return n ? all.slice(n) : all;
}

/**
 * A word of `splitWords`. Its range is mapped from the offsets on first access: most words are never reported,
 * and mapping every word (two line searches and three objects) was a good part of what splitting cost. The range
 * is kept once computed, so repeated reads give the same object.
 */
class StepWord implements SourceWord {
  private mapped: Range | undefined = undefined;
  constructor(
    private readonly model: Pick<DockerfileModel, 'lineStarts'>,
    readonly raw: string,
    readonly start: number,
    readonly end: number,
  ) {}

  get range(): Range {
    return (this.mapped ??= rangeAt(this.model, this.start, this.end));
  }
}

function splitWords(model: DockerfileModel, step: Step): SourceWord[] {
  const text = model.text;
  const start = offsetAt(model, step.keywordRange.end.line, step.keywordRange.end.character);
  const end = offsetAt(model, step.range.end.line, step.range.end.character);
  const esc = model.escapeChar;
  const words: SourceWord[] = [];
  let i = start;
  // The word as written is text[wStart, wEnd) without its line continuations: `raw` collects the parts before the
  // last continuation, the rest is text[seg, wEnd) (sliced once instead of appending character by character).
  let raw = '';
  let seg = -1;
  let wStart = -1;
  let wEnd = -1;
  let quote: string | undefined;
  const flush = () => {
    if (wStart >= 0) {
      if (seg < wEnd) raw += text.slice(seg, wEnd);
      words.push(new StepWord(model, raw, wStart, wEnd));
    }
    raw = '';
    wStart = -1;
  };
  while (i < end) {
    const c = text[i];
    if (c === esc) {
      const cont = continuationEnd(text, i, end);
      if (cont >= 0) {
        if (wStart >= 0) {
          if (seg < wEnd) raw += text.slice(seg, wEnd);
          seg = cont;
        }
        i = cont;
        continue;
      }
      if (quote !== "'" && i + 1 < end && text[i + 1] !== '\n' && text[i + 1] !== '\r') {
        if (wStart < 0) wStart = seg = i;
        i += 2;
        wEnd = i;
        continue;
      }
    }
    if (c === '\n' || c === '\r') break;
    if (!quote && (c === ' ' || c === '\t')) {
      flush();
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      if (!quote) quote = c;
      else if (quote === c) quote = undefined;
    }
    if (wStart < 0) wStart = seg = i;
    i++;
    wEnd = i;
  }
  flush();
  return words;
}

/**
 * Removes quotes the way Docker's word processing does (a quoted part may be anywhere in the word) and applies
 * escapes; variables are left as written.
 */
export function dequote(raw: string, escapeChar = '\\'): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === escapeChar && quote !== "'" && i + 1 < raw.length) {
      const next = raw[i + 1];
      // Inside double quotes only quote, escape and `$` are escaped; elsewhere the escape is kept.
      if (quote === '"' && next !== '"' && next !== escapeChar && next !== '$') out += c;
      out += next;
      i++;
      continue;
    }
    if ((c === '"' || c === "'") && (!quote || quote === c)) {
      quote = quote ? undefined : c;
      continue;
    }
    out += c;
  }
  return out;
}

export interface KeyValue {
  /** The key with quotes removed. */
  key: string;
  keyRange: Range;
  /** The value as written (quotes kept), '' when absent. */
  rawValue: string;
  /** Range of the value as written, null when there is no value. */
  valueRange: Range | null;
  /** False for `ARG NAME` (no `=`). */
  hasValue: boolean;
  /** The whole pair as written. */
  word: SourceWord;
}

export interface KeyValueArgs {
  pairs: KeyValue[];
  /** True for the legacy whitespace form `ENV key value` / `LABEL key value` (one pair). */
  legacy: boolean;
}

/**
 * The KEY=VALUE pairs of ENV, LABEL or ARG. ENV and LABEL whose first word has no `=` use the legacy form
 * `KEY value with spaces` (one pair whose value is the rest of the instruction).
 */
export function keyValueArgs(model: DockerfileModel, step: Step): KeyValueArgs {
  return memoized(step, keyValueCache, readKeyValues, model, step);
}

function readKeyValues(model: DockerfileModel, step: Step): KeyValueArgs {
  const words = stepWords(model, step);
  if (!words.length) return { pairs: [], legacy: false };
  const eqOf = (w: SourceWord) => firstUnquoted(w.raw, '=', model.escapeChar);
  if (step.keyword !== 'ARG' && eqOf(words[0]) < 0) {
    const k = words[0];
    const rest = words.slice(1);
    const valueRange = rest.length ? { start: rest[0].range.start, end: rest[rest.length - 1].range.end } : null;
    const rawValue = rest.length ? model.text.slice(rest[0].start, rest[rest.length - 1].end) : '';
    return {
      legacy: true,
      pairs: [{ key: dequote(k.raw, model.escapeChar), keyRange: k.range, rawValue, valueRange, hasValue: rest.length > 0, word: k }],
    };
  }
  const pairs: KeyValue[] = [];
  for (const w of words) {
    const eq = eqOf(w);
    if (eq < 0) {
      pairs.push({ key: dequote(w.raw, model.escapeChar), keyRange: w.range, rawValue: '', valueRange: null, hasValue: false, word: w });
      continue;
    }
    // Offsets inside a word that spans a continuation are not linear; fall back to the whole word then.
    const linear = w.end - w.start === w.raw.length;
    const keyRange = linear ? rangeAt(model, w.start, w.start + eq) : w.range;
    const valueRange = linear ? rangeAt(model, w.start + eq + 1, w.end) : w.range;
    pairs.push({ key: dequote(w.raw.slice(0, eq), model.escapeChar), keyRange, rawValue: w.raw.slice(eq + 1), valueRange, hasValue: true, word: w });
  }
  return { pairs, legacy: false };
}

/** Index of the first `ch` outside quotes and not escaped, or -1. */
export function firstUnquoted(raw: string, ch: string, escapeChar = '\\'): number {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === escapeChar && quote !== "'") {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      if (!quote) quote = c;
      else if (quote === c) quote = undefined;
      continue;
    }
    if (!quote && c === ch) return i;
  }
  return -1;
}

export interface PathArg {
  /** The path with quotes removed (variables not expanded). */
  value: string;
  /** The text as written (quotes kept; for the JSON form, the JSON string literal). */
  raw: string;
  range: Range;
  /** Offset just after the last character of the path's content (before a closing quote), for inserting text. */
  contentEnd: number;
  /** True for a heredoc source (`<<EOF`). */
  heredoc?: boolean;
}

export interface CopyArgs {
  sources: PathArg[];
  dest?: PathArg;
  json: boolean;
}

/** Sources and destination of COPY / ADD in shell or JSON form (flags excluded). */
export function copyArgs(model: DockerfileModel, step: Step): CopyArgs {
  return memoized(step, copyArgsCache, readCopyArgs, model, step);
}

function readCopyArgs(model: DockerfileModel, step: Step): CopyArgs {
  const words = stepWords(model, step);
  if (step.json && words.length && words[0].raw.startsWith('[')) {
    const from = words[0].start;
    const to = words[words.length - 1].end;
    const strings = jsonStrings(model.text, from, to);
    if (strings.length === step.json.length) {
      const args = strings.map((s, i): PathArg => ({ value: step.json![i], raw: model.text.slice(s.start, s.end), range: rangeAt(model, s.start, s.end), contentEnd: s.end - 1 }));
      return { sources: args.slice(0, -1), dest: args[args.length - 1], json: true };
    }
  }
  const args = words.map((w): PathArg => {
    const linear = w.end - w.start === w.raw.length;
    const closing = linear && w.raw.length >= 2 && (w.raw.endsWith('"') || w.raw.endsWith("'")) && (w.raw[0] === w.raw[w.raw.length - 1]);
    return { value: dequote(w.raw, model.escapeChar), raw: w.raw, range: w.range, contentEnd: closing ? w.end - 1 : w.end, heredoc: /^<<-?["']?[A-Za-z0-9_]/.test(w.raw) || undefined };
  });
  if (!args.length) return { sources: [], json: false };
  return { sources: args.slice(0, -1), dest: args[args.length - 1], json: false };
}

/** The string literals of a JSON array in text[from, to): their offsets including the quotes. */
export function jsonStrings(text: string, from: number, to: number): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (let i = from; i < to; i++) {
    if (text[i] !== '"') continue;
    const s = i;
    i++;
    while (i < to && text[i] !== '"') {
      if (text[i] === '\\') i++;
      i++;
    }
    out.push({ start: s, end: Math.min(i + 1, to) });
  }
  return out;
}

export interface VarRef {
  name: string;
  /** Offsets of the whole reference (`$NAME` or `${NAME...}`). */
  start: number;
  end: number;
  range: Range;
}

/**
 * `$NAME` and `${NAME...}` references in text[from, to) as Docker's word expansion sees them: not after the escape
 * character, not inside single quotes. References nested in a `${NAME:-word}` default are reported too.
 */
export function variableRefs(model: DockerfileModel, from: number, to: number): VarRef[] {
  const text = model.text;
  const esc = model.escapeChar;
  const out: VarRef[] = [];
  let inSingle = false;
  let inDouble = false;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === esc && !inSingle) {
      i++;
      continue;
    }
    if (c === "'" && !inDouble) inSingle = !inSingle;
    else if (c === '"' && !inSingle) inDouble = !inDouble;
    if (c !== '$' || inSingle) continue;
    const next = text[i + 1];
    if (next === '{') {
      const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, Math.min(to, i + 260)));
      if (!m) continue;
      let depth = 0;
      let j = i + 1;
      for (; j < to; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      const end = Math.min(j + 1, to);
      out.push({ name: m[1], start: i, end, range: rangeAt(model, i, end) });
      // Look inside the default word for more references.
      i += m[0].length - 1;
      continue;
    }
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i, Math.min(to, i + 260)));
    if (!m) continue;
    out.push({ name: m[1], start: i, end: i + m[0].length, range: rangeAt(model, i, i + m[0].length) });
    i += m[0].length - 1;
  }
  return out;
}

/** Offsets of a step's text after the keyword (flags included) up to the end of its first logical line. */
export function argsSpan(model: DockerfileModel, step: Step): { start: number; end: number } {
  const all = stepWords(model, step, false);
  const start = all.length ? all[0].start : offsetAt(model, step.keywordRange.end.line, step.keywordRange.end.character);
  const end = all.length ? all[all.length - 1].end : start;
  return { start, end };
}

/** Replaces the keyword of a step, keeping the casing style of what was written (upper, lower). */
export function keywordLike(written: string, keyword: string): string {
  return written === written.toLowerCase() ? keyword.toLowerCase() : keyword.toUpperCase();
}
