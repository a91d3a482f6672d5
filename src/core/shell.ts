/**
 * Shell understanding for RUN: the script a RUN step hands to its shell, parsed with a real shell parser
 * (mvdan/sh, via the `mvdan-sh` npm package; see docs/shell-parser.md for why), turned into a small, stable,
 * position-exact structure that rules read instead of matching the command text with regular expressions.
 *
 * API (stable; other rules build on it):
 *
 *   parseRunScript(model, step): ShellScript
 *     Lazy and memoised per step (a WeakMap keyed by the step): call it as often as you like; the script is
 *     parsed the first time a rule asks. Never throws.
 *
 *   ShellScript
 *     kind       'shell'   shell form: the RUN text after continuation lines are joined (Docker's rules) and, for
 *                          a RUN with heredocs, with their bodies (the shell sees them as here-documents);
 *                'heredoc' `RUN <<EOF` alone: the heredoc body is the script (BuildKit runs it as a file);
 *                'exec'    JSON form `RUN ["prog", "arg"]`: one simple command, no shell parsing (a
 *                          `["sh", "-c", "script"]` still gets its script parsed, as a nested script).
 *     skipped    set (with the reason) when there is nothing to parse as a POSIX shell: `'not-run'` (not a RUN
 *                step), `'powershell'` / `'cmd'` (SHELL, or a Windows base image with the default shell),
 *                `'shebang'` (a heredoc script with a non-shell `#!` line, e.g. python). `commands` is empty.
 *     error      set when the parser rejected the script: `{ message, start, range }`; `commands` then holds
 *                what could be recovered (the statements before the error).
 *     dialect    'posix' | 'bash' | 'mksh': the grammar that parsed it (the step's shell decides the first try;
 *                `/bin/sh` scripts that only parse as bash are parsed as bash, and the other way round).
 *     text       the text that was parsed; every `start`/`end` below is an offset into it.
 *     commands   every simple command in source order, including those nested in subshells, `{ }`, if/for/
 *                while/case bodies, functions, `$(...)` / backquotes / `<(...)`, `sh -c '...'` strings and
 *                `bash <<EOF` bodies (see `nesting` and `enclosing`).
 *     pipelines  every pipeline (a single command is a pipeline of one), in source order.
 *     positionAt(offset) / rangeOf(start, end): Dockerfile positions of offsets into `text`, mapped back
 *                through joined continuation lines, skipped comment lines, CRLF line ends and heredoc bodies.
 *
 *   ShellCommand (one simple command: `A=1 sudo -E apt-get install -y curl > /dev/null`)
 *     name       the first word (`sudo`), undefined for a bare assignment or redirection (`A=1`, `> f`)
 *     program    basename of the name's value (`/usr/bin/sudo` → `sudo`), '' without a name
 *     args       the words after the name; words = [name, ...args]
 *     assignments the `NAME=value` prefixes; for `export` / `declare` / `local` / `readonly` / `typeset` (whose
 *                `NAME=value` operands are also in `args`) the variables they set
 *     redirects  `>`, `2>&1`, `<<EOF`, ... with their target word (or heredoc body offsets)
 *     pipeline   the pipeline this command is an element of
 *     nesting    where it sits, outermost first: [] at the top level of the script; kinds 'subshell' `( )`,
 *                'group' `{ }`, 'if', 'loop' (for/while/until/select), 'case', 'function', 'substitution'
 *                `$( )`/backquotes, 'process-substitution' `<( )`, 'sh-c' (the script of `sh -c '...'`),
 *                'heredoc-script' (the body of `bash <<EOF`)
 *     enclosing  for 'substitution', 'process-substitution', 'sh-c' and 'heredoc-script': the command that holds
 *                the nested script (the `sh` of `sh -c`, the `echo` of `echo $(date)`)
 *
 *   ShellWord (one shell word)
 *     value      quotes removed and escapes applied, expansions kept as written (`"$HOME"/x` → `$HOME/x`)
 *     raw        as written in the script (for a word of a nested `sh -c` script: as the inner shell sees it)
 *     hasExpansion true when a part is expanded by the shell ($VAR, ${...}, $(...), `...`, $((...)), <(...),
 *                extended globs): `value` is then not the runtime value
 *     quoted     true when some part was quoted
 *     params     names of the variables the word expands ($A, ${B:-$C} → A, B, C; not those inside $(...),
 *                which belong to the commands inside it)
 *     range      its Dockerfile range (computed on first access); start/end its offsets into script.text (for a
 *                nested word: the span of script.text it came from, e.g. inside the quoted `sh -c` string)
 *
 *   ShellPipeline: commands (the simple-command elements; compound elements such as `( ... )` are counted in
 *     `size` but not listed), size (number of elements: > 1 means a `|`), negated (`!`), op (the operator
 *     before it in its list: '&&', '||', ';', '&', '\n', or undefined for the first), nesting, range.
 *
 * Helpers: shellWordText(words) joins values; SHELL_PROGRAMS; isShellProgram(name); joinContinuationsMapped
 * (Docker's continuation joining with an offset map). Option reading and wrapper skipping for rules are in
 * rules/runScripts.ts.
 */
import type { DockerfileModel, Stage, Step } from './model';
import { positionAtOffset, rootStage } from './model';
import type { Position, Range } from './types';

// ---------------------------------------------------------------------------------------------------------
// Public types

export type ShellDialect = 'posix' | 'bash' | 'mksh';
export type ShellNestingKind =
  | 'subshell' | 'group' | 'if' | 'loop' | 'case' | 'function'
  | 'substitution' | 'process-substitution' | 'sh-c' | 'heredoc-script';
export type ShellOperator = '&&' | '||' | ';' | '&' | '\n';
export type ShellSkipReason = 'not-run' | 'powershell' | 'cmd' | 'shebang';

export interface ShellWord {
  value: string;
  raw: string;
  hasExpansion: boolean;
  quoted: boolean;
  params: string[];
  start: number;
  end: number;
  /** Computed on first access. */
  readonly range: Range;
}

export interface ShellAssignment {
  name: string;
  /** The value word, undefined for `NAME=` and for a declaration without value (`export NAME`). */
  value?: ShellWord;
  /** `value?.value ?? ''`. */
  valueText: string;
  start: number;
  end: number;
  range: Range;
}

export interface ShellRedirect {
  /** '>', '>>', '<', '<>', '<&', '>&', '>|', '<<', '<<-', '<<<', '&>', '&>>'. */
  op: string;
  /** The file descriptor written before the operator (`2` in `2>&1`). */
  fd?: string;
  /** The target word (the delimiter word for a heredoc). */
  target?: ShellWord;
  /** For `<<` / `<<-`: offsets of the heredoc body in script.text. */
  heredoc?: { start: number; end: number };
  start: number;
  end: number;
  range: Range;
}

export interface ShellPipeline {
  commands: ShellCommand[];
  size: number;
  negated: boolean;
  op?: ShellOperator;
  nesting: ShellNestingKind[];
  start: number;
  end: number;
  range: Range;
}

export interface ShellCommand {
  /** Index in script.commands. */
  index: number;
  name?: ShellWord;
  program: string;
  args: ShellWord[];
  words: ShellWord[];
  assignments: ShellAssignment[];
  redirects: ShellRedirect[];
  pipeline: ShellPipeline;
  nesting: ShellNestingKind[];
  enclosing?: ShellCommand;
  start: number;
  end: number;
  range: Range;
}

export interface ShellScript {
  step: Step;
  kind: 'shell' | 'heredoc' | 'exec';
  skipped?: ShellSkipReason;
  error?: { message: string; start: number; range: Range };
  dialect?: ShellDialect;
  text: string;
  commands: ShellCommand[];
  pipelines: ShellPipeline[];
  positionAt(offset: number): Position;
  rangeOf(start: number, end: number): Range;
}

/** Programs that are POSIX-like shells (their `-c` strings and stdin heredocs are parsed as nested scripts). */
export const SHELL_PROGRAMS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox-sh']);

export function isShellProgram(program: string): boolean {
  return SHELL_PROGRAMS.has(program);
}

/** A word whose Dockerfile range is computed when first asked for (most words are never reported). */
class Word implements ShellWord {
  #script: ShellScript;
  #range: Range | undefined;
  constructor(
    script: ShellScript,
    public value: string,
    public raw: string,
    public hasExpansion: boolean,
    public quoted: boolean,
    public params: string[],
    public start: number,
    public end: number,
  ) {
    this.#script = script;
  }

  get range(): Range {
    return (this.#range ??= this.#script.rangeOf(this.start, this.end));
  }
}

/** The values of some words joined with single spaces. */
export function shellWordText(words: readonly ShellWord[]): string {
  return words.map((w) => w.value).join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// The parser (mvdan-sh: mvdan/sh compiled to JavaScript with GopherJS), loaded on first use.

/* eslint-disable @typescript-eslint/no-explicit-any */
type GoObj = any;
interface MvdanSyntax {
  NewParser(...opts: unknown[]): { Parse(src: string, name: string): GoObj };
  Variant(lang: unknown): unknown;
  KeepComments(keep: boolean): unknown;
  LangBash: unknown;
  LangPOSIX: unknown;
  LangMirBSDKorn: unknown;
}

let parsers: Record<ShellDialect, { Parse(src: string, name: string): GoObj }> | undefined;

function getParsers(): Record<ShellDialect, { Parse(src: string, name: string): GoObj }> {
  if (parsers) return parsers;
  // GopherJS sets Error.stackTraceLimit to Infinity and, under Node, `global.require`, at load: undo both so
  // loading the parser changes nothing else in the extension host.
  const g = globalThis as Record<string, unknown>;
  const limit = Error.stackTraceLimit;
  const hadRequire = Object.prototype.hasOwnProperty.call(g, 'require');
  const oldRequire = g.require;
  let syntax: MvdanSyntax;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    syntax = (require('mvdan-sh') as { syntax: MvdanSyntax }).syntax;
  } finally {
    Error.stackTraceLimit = limit;
    if (hadRequire) g.require = oldRequire;
    else delete g.require;
  }
  parsers = {
    posix: syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangPOSIX)),
    bash: syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangBash)),
    mksh: syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangMirBSDKorn)),
  };
  return parsers;
}

// Token values of mvdan/sh v3 (mvdan-sh 0.10.1) for binary command and redirect operators.
const OP_AND = 10;
const OP_OR = 11;
const OP_PIPE = 12;
const OP_PIPE_ALL = 13;
const REDIRECT_OPS: Record<number, string> = {
  54: '>', 55: '>>', 56: '<', 57: '<>', 58: '<&', 59: '>&', 60: '>|', 61: '<<', 62: '<<-', 63: '<<<', 64: '&>', 65: '&>>',
};

function items(slice: GoObj): GoObj[] {
  if (!slice || !slice.$array) return [];
  const out: GoObj[] = [];
  for (let i = 0; i < slice.$length; i++) out.push(slice.$array[slice.$offset + i]);
  return out;
}

/** A nil pointer (its type's `nil` value) or a nil interface (GopherJS's plain `$ifaceNil` object). */
function isNil(x: GoObj): boolean {
  return x == null || x.constructor === Object || (x.constructor !== undefined && x === x.constructor.nil);
}

function typeOf(x: GoObj): string {
  return isNil(x) ? '' : ((x.constructor && x.constructor.string) as string | undefined) ?? '';
}

function validPos(p: GoObj): boolean {
  return !!p && p.lineCol !== 0;
}

// ---------------------------------------------------------------------------------------------------------
// Source mapping: offsets of the parsed text → offsets of the Dockerfile text.

interface Source {
  text: string;
  /** Flat pairs [textStart, docStart, ...]: from textStart until the next pair, text offsets map linearly. */
  runs: number[];
}

function sourceOffset(src: Source, o: number): number {
  const r = src.runs;
  let lo = 0;
  let hi = (r.length >> 1) - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (r[mid * 2] <= o) lo = mid;
    else hi = mid - 1;
  }
  return r[lo * 2 + 1] + (o - r[lo * 2]);
}

/**
 * Joins continuation lines exactly like `joinContinuations` in model.ts, keeping the Dockerfile offset of every
 * character: an escape character at the end of a line (trailing blanks allowed) joins it with the next; comment
 * lines and empty lines inside a continued instruction are dropped.
 */
export function joinContinuationsMapped(doc: string, from: number, to: number, escapeChar: string): Source {
  const parts: string[] = [];
  const runs: number[] = [];
  let length = 0;
  let lineStart = from;
  let first = true;
  let continued = false;
  const add = (s: string, docStart: number) => {
    if (!s) return;
    runs.push(length, docStart);
    parts.push(s);
    length += s.length;
  };
  while (lineStart <= to) {
    let lineEnd = lineStart;
    while (lineEnd < to && doc[lineEnd] !== '\n' && doc[lineEnd] !== '\r') lineEnd++;
    const last = lineEnd >= to;
    const breakLen = last ? 0 : doc[lineEnd] === '\r' && doc[lineEnd + 1] === '\n' && lineEnd + 1 < to ? 2 : 1;
    const line = doc.slice(lineStart, lineEnd);
    const skip = !first && continued && (/^\s*#/.test(line) || /^\s*$/.test(line));
    if (!skip) {
      const body = line.trimEnd();
      if (!last && body.endsWith(escapeChar)) {
        add(body.slice(0, body.length - escapeChar.length), lineStart);
        continued = true;
      } else {
        add(last ? line : line + '\n', lineStart);
        continued = false;
      }
    }
    first = false;
    if (last) break;
    lineStart = lineEnd + breakLen;
  }
  if (!runs.length) runs.push(0, from);
  return { text: parts.join(''), runs };
}

/** A slice of the Dockerfile with the CR of each CRLF removed (the shell would otherwise see it inside words). */
function rawMapped(doc: string, from: number, to: number): Source {
  const slice = doc.slice(from, to);
  if (!slice.includes('\r')) return { text: slice, runs: [0, from] };
  const parts: string[] = [];
  const runs: number[] = [];
  let length = 0;
  let runStart = from;
  for (let i = from; i <= to; i++) {
    if (i === to || doc[i] === '\r') {
      const piece = doc.slice(runStart, i);
      runs.push(length, runStart);
      parts.push(piece);
      length += piece.length;
      if (i < to && doc[i + 1] !== '\n') {
        // A lone CR is a line break.
        runs.push(length, i);
        parts.push('\n');
        length += 1;
      }
      runStart = i + 1;
    }
  }
  return { text: parts.join(''), runs };
}

function trimMapped(src: Source): Source {
  let a = 0;
  let b = src.text.length;
  while (a < b && /\s/.test(src.text[a])) a++;
  while (b > a && /\s/.test(src.text[b - 1])) b--;
  if (a === 0 && b === src.text.length) return src;
  return { text: src.text.slice(a, b), runs: [0, sourceOffset(src, a), ...shiftRuns(src.runs, a)] };
}

/** Runs after text offset `a`, shifted so that `a` becomes 0. */
function shiftRuns(runs: number[], a: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs.length; i += 2) if (runs[i] > a) out.push(runs[i] - a, runs[i + 1]);
  return out;
}

function docOffset(model: DockerfileModel, p: Position): number {
  const ls = model.lineStarts;
  if (p.line >= ls.length) return model.text.length;
  return Math.min(ls[p.line] + p.character, model.text.length);
}

function docPosition(model: DockerfileModel, offset: number): Position {
  return positionAtOffset(model, offset);
}

// ---------------------------------------------------------------------------------------------------------
// Building the script

const cache = new WeakMap<Step, ShellScript>();

type ParseResult = { file: GoObj; dialect: ShellDialect; error?: undefined } | { error: { message: string; offset: number }; dialect: ShellDialect; file?: undefined };
/** Parses shared across analyses (LRU by dialect + text), bounded by entries and by characters held. */
const parseCache = new Map<string, ParseResult>();
let parseCacheChars = 0;
const PARSE_CACHE_ENTRIES = 2048;
const PARSE_CACHE_CHARS = 4 * 1024 * 1024;

/** Empties the shared parse cache (the benchmark times cold analyses with it). */
export function clearShellParseCache(): void {
  parseCache.clear();
  parseCacheChars = 0;
}

/** The parsed shell script of a RUN step (memoised per step; never throws). */
export function parseRunScript(model: DockerfileModel, step: Step): ShellScript {
  let s = cache.get(step);
  if (!s) {
    try {
      s = buildScript(model, step);
    } catch (e) {
      // A bug here must not take the rules down: report it as a parse error of an empty script.
      const r = step.argsRange ?? step.range;
      s = emptyScript(model, step, 'shell', { text: '', runs: [] });
      s.error = { message: e instanceof Error ? e.message : String(e), start: 0, range: r };
    }
    cache.set(step, s);
  }
  return s;
}

function emptyScript(model: DockerfileModel, step: Step, kind: ShellScript['kind'], src: Source): ShellScript {
  const at = (o: number): number => {
    if (src.runs.length === 0) return docOffset(model, step.keywordRange.end);
    return sourceOffset(src, Math.max(0, o));
  };
  return {
    step,
    kind,
    text: src.text,
    commands: [],
    pipelines: [],
    positionAt: (o) => docPosition(model, at(o)),
    rangeOf: (a, b) => {
      const s = at(a);
      const e = b > a ? at(b - 1) + 1 : s;
      return { start: docPosition(model, s), end: docPosition(model, Math.max(s, e)) };
    },
  };
}

const WINDOWS_IMAGE = /(^|[/:_.-])(windows|nanoserver|servercore|windowsservercore)([/:_.-]|$)/i;

/** True when the stage (or the stage it is built on) starts from a Windows image. */
function windowsStage(model: DockerfileModel, stage: Stage | undefined): boolean {
  return stage !== undefined && WINDOWS_IMAGE.test(rootStage(model, stage).base);
}

function shellKind(program: string): ShellDialect | 'powershell' | 'cmd' | undefined {
  const p = basename(program).toLowerCase().replace(/\.exe$/, '');
  if (p === 'pwsh' || p === 'powershell') return 'powershell';
  if (p === 'cmd') return 'cmd';
  if (p === 'bash' || p === 'zsh') return 'bash';
  if (p === 'mksh' || p === 'ksh' || p === 'lksh') return 'mksh';
  return 'posix';
}

function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

const HEREDOC_ONLY = /^<<(-?)\s*(["']?)([^\s"']+)\2$/;

function buildScript(model: DockerfileModel, step: Step): ShellScript {
  if (step.keyword !== 'RUN') return { ...emptyScript(model, step, 'shell', { text: '', runs: [] }), skipped: 'not-run' };
  const doc = model.text;
  const end = docOffset(model, step.range.end);

  // Where the arguments start: after the flags (their words are tokenised already), else after the keyword.
  const argsFrom = (step.flags.length || step.heredocs.length) && step.argsRange ? docOffset(model, step.argsRange.start) : docOffset(model, step.keywordRange.end);
  if (step.json) {
    const src = trimMapped(joinContinuationsMapped(doc, argsFrom, end, model.escapeChar));
    const script = emptyScript(model, step, 'exec', src);
    const b = new Builder(script);
    b.execForm(src.text);
    return script;
  }

  const shellProg = step.shell.value[0] ?? '/bin/sh';
  let dialect = shellKind(shellProg);
  if (dialect === 'posix' && step.shell.source === 'default' && windowsStage(model, model.stages[step.stage])) dialect = 'cmd';

  let src: Source;
  let kind: ShellScript['kind'] = 'shell';
  if (step.heredocs.length > 0) {
    const firstLineEnd = step.argsText.search(/[\r\n]/);
    const head = (firstLineEnd < 0 ? step.argsText : step.argsText.slice(0, firstLineEnd)).trim();
    const h = step.heredocs[0];
    const m = HEREDOC_ONLY.exec(head);
    if (step.heredocs.length === 1 && m && m[3] === h.name) {
      kind = 'heredoc';
      if (h.contentRange) {
        src = rawMapped(doc, docOffset(model, h.contentRange.start), docOffset(model, h.contentRange.end));
      } else src = { text: '', runs: [] };
      const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(src.text);
      if (shebang) {
        const interp = basename(shebang[1]) === 'env' && shebang[2] ? shebang[2] : shebang[1];
        const k = shellKind(interp);
        if (!SHELL_PROGRAMS.has(basename(interp))) return { ...emptyScript(model, step, kind, src), skipped: 'shebang' };
        dialect = k;
      }
    } else {
      src = rawMapped(doc, argsFrom, end);
    }
  } else {
    // Shell form: the text after the flags, continuation lines joined as Docker does.
    src = trimMapped(joinContinuationsMapped(doc, argsFrom, end, model.escapeChar));
  }
  if (dialect === 'powershell' || dialect === 'cmd') return { ...emptyScript(model, step, kind, src), skipped: dialect };

  const script = emptyScript(model, step, kind, src);
  const b = new Builder(script);
  b.parseTop(src.text, dialect ?? 'posix');
  return script;
}

// ---------------------------------------------------------------------------------------------------------
// Conversion of mvdan/sh syntax trees

interface Ctx {
  nesting: ShellNestingKind[];
  enclosing?: ShellCommand;
  /** Offsets of the parsed (possibly nested) text → offsets of script.text. */
  toTop: (o: number) => number;
  /** Byte offset (mvdan positions) → character offset in the parsed text. */
  charAt: (b: number) => number;
  text: string;
  depth: number;
}

const MAX_NESTING = 4;
const DECLARATIONS = new Set(['export', 'readonly', 'declare', 'local', 'typeset']);

/** UTF-8 byte offsets → UTF-16 offsets for a text with non-ASCII characters. */
function byteToChar(text: string): (b: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return (b) => b;
  const table: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let n: number;
    let width = 1;
    if (c < 0x80) n = 1;
    else if (c < 0x800) n = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n = 4;
      width = 2;
    } else n = 3;
    for (let k = 0; k < n; k++) table.push(i);
    i += width - 1;
  }
  table.push(text.length);
  return (b) => (b < table.length ? table[b] : text.length);
}

class Builder {
  constructor(private readonly script: ShellScript) {}

  parseTop(text: string, first: ShellDialect): void {
    const ctx: Ctx = { nesting: [], toTop: (o) => o, charAt: byteToChar(text), text, depth: 0 };
    const res = this.parse(text, first);
    this.script.dialect = res.dialect;
    if (res.error) {
      const at = Math.min(ctx.charAt(res.error.offset), text.length);
      this.script.error = { message: res.error.message, start: at, range: this.script.rangeOf(at, Math.min(at + 1, text.length)) };
      const recovered = this.recover(text, at, res.dialect);
      if (recovered) this.stmts(recovered, ctx, undefined);
      return;
    }
    this.stmts(res.file.Stmts, ctx, undefined);
  }

  /**
   * Parses with the preferred dialect, then the other one (POSIX ↔ bash) before giving up. Results are shared
   * through a small cache keyed by dialect and text (the syntax trees are only read), so re-analysing a document
   * while the user types re-parses only the RUN scripts that changed.
   */
  private parse(text: string, first: ShellDialect): ParseResult {
    const key = first + '\u0000' + text;
    const hit = parseCache.get(key);
    if (hit) {
      // Refresh its place in the LRU order.
      parseCache.delete(key);
      parseCache.set(key, hit);
      return hit;
    }
    const res = this.parseUncached(text, first);
    parseCache.set(key, res);
    parseCacheChars += text.length;
    while (parseCache.size > PARSE_CACHE_ENTRIES || parseCacheChars > PARSE_CACHE_CHARS) {
      const oldest = parseCache.keys().next().value as string;
      parseCacheChars -= oldest.length - oldest.indexOf('\u0000') - 1;
      parseCache.delete(oldest);
    }
    return res;
  }

  private parseUncached(text: string, first: ShellDialect): ParseResult {
    const p = getParsers();
    const order: ShellDialect[] = first === 'bash' ? ['bash', 'posix'] : first === 'mksh' ? ['mksh', 'bash'] : ['posix', 'bash'];
    let firstError: { message: string; offset: number } | undefined;
    for (const d of order) {
      try {
        const f = p[d].Parse(text, '');
        return { file: f.__internal_object__ ?? f, dialect: d };
      } catch (e) {
        if (!firstError) firstError = parseErrorOf(e);
      }
    }
    return { error: firstError ?? { message: 'parse error', offset: 0 }, dialect: first };
  }

  /** Parses the longest prefix that ends at a statement boundary before the error (a few tries). */
  private recover(text: string, errorAt: number, dialect: ShellDialect): GoObj | undefined {
    const cuts: number[] = [];
    const re = /\n|;|&&|\|\|/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) && m.index < errorAt) cuts.push(m.index);
    for (let k = cuts.length - 1, tries = 0; k >= 0 && tries < 6; k--, tries++) {
      const res = this.parse(text.slice(0, cuts[k]), dialect);
      if (!res.error) return res.file.Stmts;
    }
    return undefined;
  }

  // --- statements -------------------------------------------------------------------------------------

  private stmts(slice: GoObj, ctx: Ctx, firstOp: ShellOperator | undefined): void {
    let op: ShellOperator | undefined = firstOp;
    for (const st of items(slice)) {
      this.andOr(st, ctx, op);
      op = st.Background ? '&' : validPos(st.Semicolon) ? ';' : '\n';
    }
  }

  private andOr(st: GoObj, ctx: Ctx, op: ShellOperator | undefined): void {
    const cmd = st.Cmd;
    if (typeOf(cmd) === '*syntax.BinaryCmd' && (cmd.Op === OP_AND || cmd.Op === OP_OR) && !st.Negated) {
      this.andOr(cmd.X, ctx, op);
      this.andOr(cmd.Y, ctx, cmd.Op === OP_AND ? '&&' : '||');
      return;
    }
    const elements: GoObj[] = [];
    const flatten = (s: GoObj) => {
      const c = s.Cmd;
      if (typeOf(c) === '*syntax.BinaryCmd' && (c.Op === OP_PIPE || c.Op === OP_PIPE_ALL) && (s === st || !s.Negated)) {
        flatten(c.X);
        flatten(c.Y);
      } else elements.push(s);
    };
    flatten(st);
    const [start, end] = this.stmtSpan(st, ctx);
    const pipeline: ShellPipeline = {
      commands: [],
      size: elements.length,
      negated: !!st.Negated,
      op,
      nesting: ctx.nesting,
      start,
      end,
      range: this.script.rangeOf(start, end),
    };
    this.script.pipelines.push(pipeline);
    let last = start;
    for (const el of elements) last = this.stmt(el, ctx, pipeline);
    if (last > start && last < end) {
      pipeline.end = last;
      pipeline.range = this.script.rangeOf(start, last);
    }
  }

  /** Top-level span of a statement, without its `;` / `&` separator. */
  private stmtSpan(st: GoObj, ctx: Ctx): [number, number] {
    const ls = this.startOf(ctx, st);
    let le = this.endOf(ctx, st);
    if (validPos(st.Semicolon)) {
      const semi = this.at(ctx, st.Semicolon);
      if (semi >= ls && semi < le) le = semi;
    }
    while (le > ls && /\s/.test(ctx.text[le - 1])) le--;
    return [this.top(ctx, ls), this.endTop(ctx, ls, Math.max(ls, le))];
  }

  /** Records one pipeline element; returns its top-level end offset. */
  private stmt(st: GoObj, ctx: Ctx, pipeline: ShellPipeline): number {
    const cmd = st.Cmd;
    const type = typeOf(cmd);
    const inside = (kind: ShellNestingKind): Ctx => ({ ...ctx, nesting: [...ctx.nesting, kind] });
    switch (type) {
      case '':
      case '*syntax.CallExpr':
      case '*syntax.DeclClause':
        return this.simple(st, cmd, type, ctx, pipeline);
      case '*syntax.Subshell':
        this.stmts(cmd.Stmts, inside('subshell'), undefined);
        break;
      case '*syntax.Block':
        this.stmts(cmd.Stmts, inside('group'), undefined);
        break;
      case '*syntax.IfClause': {
        let c = cmd;
        const ic = inside('if');
        while (!isNil(c)) {
          this.stmts(c.Cond, ic, undefined);
          this.stmts(c.Then, ic, undefined);
          c = c.Else;
        }
        break;
      }
      case '*syntax.WhileClause':
        this.stmts(cmd.Cond, inside('loop'), undefined);
        this.stmts(cmd.Do, inside('loop'), undefined);
        break;
      case '*syntax.ForClause': {
        const lc = inside('loop');
        if (typeOf(cmd.Loop) === '*syntax.WordIter') for (const w of items(cmd.Loop.Items)) this.word(w, lc, undefined);
        else this.substitutions(cmd.Loop, lc, undefined);
        this.stmts(cmd.Do, lc, undefined);
        break;
      }
      case '*syntax.CaseClause': {
        const cc = inside('case');
        this.word(cmd.Word, ctx, undefined);
        for (const item of items(cmd.Items)) this.stmts(item.Stmts, cc, undefined);
        break;
      }
      case '*syntax.FuncDecl':
        if (!isNil(cmd.Body)) this.andOr(cmd.Body, inside('function'), undefined);
        break;
      case '*syntax.TimeClause':
      case '*syntax.CoprocClause':
        if (!isNil(cmd.Stmt)) this.andOr(cmd.Stmt, ctx, undefined);
        break;
      default:
        // [[ ]], (( )), let, test declarations: no simple commands, but maybe substitutions.
        this.substitutions(cmd, ctx, undefined);
    }
    for (const r of items(st.Redirs)) this.redirect(r, ctx, undefined);
    return this.stmtSpan(st, ctx)[1];
  }

  private simple(st: GoObj, cmd: GoObj, type: string, ctx: Ctx, pipeline: ShellPipeline): number {
    const [start, stmtEnd] = this.stmtSpan(st, ctx);
    const command: ShellCommand = {
      index: this.script.commands.length,
      program: '',
      args: [],
      words: [],
      assignments: [],
      redirects: [],
      pipeline,
      nesting: ctx.nesting,
      enclosing: ctx.enclosing,
      start,
      end: stmtEnd,
      range: this.script.rangeOf(start, stmtEnd),
    };
    this.script.commands.push(command);
    pipeline.commands.push(command);
    if (type === '*syntax.CallExpr') {
      for (const a of items(cmd.Assigns)) command.assignments.push(this.assign(a, ctx, command));
      for (const w of items(cmd.Args)) command.words.push(this.word(w, ctx, command));
    } else if (type === '*syntax.DeclClause') {
      const v = cmd.Variant;
      const vs = this.startOf(ctx, v);
      const ve = this.endOf(ctx, v);
      command.words.push(this.makeWord(ctx, vs, ve, ctx.text.slice(vs, ve), false, false, []));
      for (const a of items(cmd.Args)) {
        if (a.Naked && isNil(a.Name) && !isNil(a.Value)) {
          command.words.push(this.word(a.Value, ctx, command));
          continue;
        }
        const asg = this.assign(a, ctx, command);
        command.assignments.push(asg);
        const raw = ctx.text.slice(this.startOf(ctx, a), this.endOf(ctx, a));
        const value = a.Naked ? asg.name : `${asg.name}=${asg.valueText}`;
        const w = asg.value;
        command.words.push({
          value,
          raw,
          hasExpansion: w?.hasExpansion ?? false,
          quoted: w?.quoted ?? false,
          params: w?.params ?? [],
          start: asg.start,
          end: asg.end,
          range: asg.range,
        });
      }
    }
    for (const r of items(st.Redirs)) command.redirects.push(this.redirect(r, ctx, command));
    if (command.words.length) {
      command.name = command.words[0];
      command.args = command.words.slice(1);
      command.program = basename(command.name.value);
    }
    if (type === '*syntax.CallExpr' && DECLARATIONS.has(command.program)) this.declarations(command);
    // The statement's end reaches past heredoc bodies: end the command at its last word or redirection.
    let end = start;
    for (const x of command.assignments) if (x.end > end) end = x.end;
    for (const x of command.words) if (x.end > end) end = x.end;
    for (const x of command.redirects) if (x.end > end) end = x.end;
    if (end > start && end < stmtEnd) {
      command.end = end;
      command.range = this.script.rangeOf(start, end);
    }
    if (ctx.depth < MAX_NESTING) this.nested(command, ctx);
    return command.end;
  }

  /** `export A=1 B` parsed as a plain command (POSIX grammar): the variables its operands set. */
  private declarations(command: ShellCommand): void {
    for (const w of command.args) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(=|$)/.exec(w.value);
      if (!m) continue;
      const name = m[1];
      let value: ShellWord | undefined;
      if (m[2] === '=') {
        const v = w.value.slice(name.length + 1);
        // The value's own range when the word starts with `NAME=` as written, else the whole word.
        const linear = w.raw.startsWith(name + '=');
        const vs = linear ? w.start + name.length + 1 : w.start;
        value = new Word(this.script, v, linear ? w.raw.slice(name.length + 1) : w.raw, w.hasExpansion, w.quoted, w.params, linear ? vs : w.start, w.end);
        if (!v) value = undefined;
      }
      command.assignments.push({ name, value, valueText: value?.value ?? '', start: w.start, end: w.end, range: w.range });
    }
  }

  private assign(a: GoObj, ctx: Ctx, owner: ShellCommand | undefined): ShellAssignment {
    const name = isNil(a.Name) ? '' : ctx.text.slice(this.startOf(ctx, a.Name), this.endOf(ctx, a.Name));
    let value: ShellWord | undefined;
    if (!isNil(a.Value) && items(a.Value.Parts).length) value = this.word(a.Value, ctx, owner);
    if (!isNil(a.Array)) for (const el of items(a.Array.Elems)) if (!isNil(el.Value)) this.word(el.Value, ctx, owner);
    const ls = this.startOf(ctx, a);
    const le = Math.max(ls, this.endOf(ctx, a));
    const start = this.top(ctx, ls);
    const end = this.endTop(ctx, ls, le);
    return { name, value, valueText: value?.value ?? '', start, end, range: this.script.rangeOf(start, end) };
  }

  private redirect(r: GoObj, ctx: Ctx, owner: ShellCommand | undefined): ShellRedirect {
    const op = REDIRECT_OPS[r.Op] ?? '?';
    const fd = isNil(r.N) ? undefined : ctx.text.slice(this.startOf(ctx, r.N), this.endOf(ctx, r.N));
    let target: ShellWord | undefined;
    if (!isNil(r.Word) && items(r.Word.Parts).length) target = this.word(r.Word, ctx, owner);
    let heredoc: ShellRedirect['heredoc'];
    if ((op === '<<' || op === '<<-') && !isNil(r.Hdoc)) {
      const parts = items(r.Hdoc.Parts);
      if (parts.length) {
        const hs = this.startOf(ctx, parts[0]);
        const last = parts[parts.length - 1];
        // A literal's End() reaches past the delimiter line; its (byte) length is exact.
        let he = typeOf(last) === '*syntax.Lit' ? this.at(ctx, { offs: last.ValuePos.offs + last.Value.length, lineCol: 1 }) : this.endOf(ctx, last);
        const tail = /\n[\t ]*$/.exec(ctx.text.slice(hs, he));
        if (tail) he = hs + tail.index + 1;
        heredoc = { start: this.top(ctx, hs), end: this.endTop(ctx, hs, he) };
        // Substitutions in an unquoted heredoc body run in the outer shell.
        for (const p of parts) this.partCommands(p, ctx, owner);
      }
    }
    const ls = this.startOf(ctx, r);
    const le = Math.max(ls, target ? this.endOf(ctx, r.Word) : this.at(ctx, r.OpPos) + op.length);
    const s = this.top(ctx, ls);
    const e = this.endTop(ctx, ls, le);
    return { op, fd, target, heredoc, start: s, end: e, range: this.script.rangeOf(s, e) };
  }

  // --- nested scripts ---------------------------------------------------------------------------------

  /** `sh -c 'script'` and `bash <<EOF ... EOF`: parse the inner script too. */
  private nested(command: ShellCommand, ctx: Ctx): void {
    if (!SHELL_PROGRAMS.has(command.program)) return;
    const args = command.args;
    let hasC = false;
    let scriptArg: ShellWord | undefined;
    let operand = false;
    for (let i = 0; i < args.length; i++) {
      const v = args[i].value;
      if (!hasC && !operand && (v === '-o' || v === '+o' || v === '-O' || v === '+O')) {
        i++;
        continue;
      }
      if (!operand && /^[-+][A-Za-z]+$/.test(v) && !v.startsWith('--')) {
        if (v[0] === '-' && v.includes('c')) hasC = true;
        continue;
      }
      if (!operand && v.startsWith('--')) {
        if (v === '--') operand = true;
        continue;
      }
      operand = true;
      if (hasC) {
        scriptArg = args[i];
        break;
      }
      return; // `sh script.sh`: a file we cannot see
    }
    if (hasC && scriptArg && !this.hasSubstitution(scriptArg)) {
      const map = this.valueMap(scriptArg);
      if (map && map.length === scriptArg.value.length) this.parseNested(scriptArg.value, (o) => map[Math.min(o, map.length - 1)] + (o >= map.length ? 1 : 0), ctx, command, 'sh-c');
      return;
    }
    if (!hasC && !operand) {
      const h = command.redirects.find((r) => (r.op === '<<' || r.op === '<<-') && r.heredoc && (!r.fd || r.fd === '0'));
      if (h && h.heredoc) {
        const base = h.heredoc.start;
        const body = this.script.text.slice(h.heredoc.start, h.heredoc.end);
        // Only when the top-level text holds the body verbatim (always, except inside `sh -c` strings).
        if (ctx.depth === 0) this.parseNested(body, (o) => base + o, ctx, command, 'heredoc-script');
      }
    }
  }

  private parseNested(text: string, toOuter: (o: number) => number, ctx: Ctx, enclosing: ShellCommand, kind: ShellNestingKind): void {
    const res = this.parse(text, 'bash');
    if (res.error) return;
    const toTop = (o: number) => ctx.toTop(toOuter(o));
    const inner: Ctx = { nesting: [...ctx.nesting, kind], enclosing, toTop, charAt: byteToChar(text), text, depth: ctx.depth + 1 };
    this.stmts(res.file.Stmts, inner, undefined);
  }

  private hasSubstitution(w: ShellWord): boolean {
    return /\$\(|`/.test(w.raw);
  }

  /** For each character of a word's value, the offset in script.text it came from (undefined if unknown). */
  private valueMap(w: ShellWord): number[] | undefined {
    const raw = this.script.text.slice(w.start, w.end);
    if (raw !== w.raw) {
      // A nested word: its raw text is not in script.text verbatim.
      return undefined;
    }
    const map: number[] = [];
    let quote: string | undefined;
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i];
      if (quote === "'") {
        if (c === "'") quote = undefined;
        else map.push(w.start + i);
        continue;
      }
      if (c === '\\') {
        const n = raw[i + 1];
        if (n === '\n') {
          i++;
          continue;
        }
        if (quote === '"' && n !== undefined && !'$`"\\'.includes(n)) {
          map.push(w.start + i);
          continue;
        }
        if (n !== undefined) {
          map.push(w.start + i + 1);
          i++;
        }
        continue;
      }
      if (c === '"' && quote !== '"' && quote === undefined) {
        quote = '"';
        continue;
      }
      if (c === '"' && quote === '"') {
        quote = undefined;
        continue;
      }
      if (c === "'" && quote === undefined) {
        quote = "'";
        continue;
      }
      if (c === '$' && quote === undefined && raw[i + 1] === "'") {
        return undefined; // ANSI-C quoting: escapes change lengths
      }
      map.push(w.start + i);
    }
    return map;
  }

  /** JSON form: one simple command from the array's strings (and its `-c` script, if it is a shell). */
  execForm(text: string): void {
    const ctx: Ctx = { nesting: [], toTop: (o) => o, charAt: (b) => b, text, depth: 0 };
    const words: ShellWord[] = [];
    const maps: number[][] = [];
    let i = text.indexOf('[');
    while (i >= 0 && i < text.length) {
      const q = text.indexOf('"', i);
      if (q < 0) break;
      let j = q + 1;
      let value = '';
      const map: number[] = [];
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) {
          const e = text[j + 1];
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
            value += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
            map.push(j);
            j += 6;
            continue;
          }
          value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
          map.push(j + 1);
          j += 2;
          continue;
        }
        value += text[j];
        map.push(j);
        j++;
      }
      words.push(new Word(this.script, value, text.slice(q, j + 1), false, true, [], q, j + 1));
      maps.push(map);
      i = j + 1;
    }
    const start = 0;
    const end = text.length;
    const pipeline: ShellPipeline = { commands: [], size: 1, negated: false, nesting: [], start, end, range: this.script.rangeOf(start, end) };
    const command: ShellCommand = {
      index: 0,
      name: words[0],
      program: words[0] ? basename(words[0].value) : '',
      args: words.slice(1),
      words,
      assignments: [],
      redirects: [],
      pipeline,
      nesting: [],
      start,
      end,
      range: pipeline.range,
    };
    pipeline.commands.push(command);
    this.script.pipelines.push(pipeline);
    this.script.commands.push(command);
    // ["sh", "-c", "script"]
    if (SHELL_PROGRAMS.has(command.program)) {
      const ci = command.args.findIndex((a) => /^-[A-Za-z]*c[A-Za-z]*$/.test(a.value));
      if (ci >= 0 && ci + 1 < command.args.length) {
        const map = maps[ci + 2];
        const w = command.args[ci + 1];
        if (map.length === w.value.length) this.parseNested(w.value, (o) => (o < map.length ? map[o] : map.length ? map[map.length - 1] + 1 : w.start + 1), ctx, command, 'sh-c');
      }
    }
  }

  // --- words ------------------------------------------------------------------------------------------

  /** Local (parsed-text) character offset of a mvdan position. */
  private at(ctx: Ctx, p: GoObj): number {
    return validPos(p) ? Math.min(ctx.charAt(p.offs), ctx.text.length) : 0;
  }

  private startOf(ctx: Ctx, node: GoObj): number {
    return this.at(ctx, node.Pos());
  }

  private endOf(ctx: Ctx, node: GoObj): number {
    return this.at(ctx, node.End());
  }

  private top(ctx: Ctx, o: number): number {
    return ctx.toTop(o);
  }

  /** Top-level end offset of the local span [s, e). */
  private endTop(ctx: Ctx, s: number, e: number): number {
    return e > s ? ctx.toTop(e - 1) + 1 : ctx.toTop(s);
  }

  private makeWord(ctx: Ctx, s: number, e: number, value: string, hasExpansion: boolean, quoted: boolean, params: string[]): ShellWord {
    const start = this.top(ctx, s);
    const end = this.endTop(ctx, s, e);
    return new Word(this.script, value, ctx.text.slice(s, e), hasExpansion, quoted, params, start, end);
  }

  private word(w: GoObj, ctx: Ctx, owner: ShellCommand | undefined): ShellWord {
    const parts = items(w.Parts);
    if (!parts.length) return this.makeWord(ctx, 0, 0, '', false, false, []);
    const st = { value: '', hasExpansion: false, quoted: false, params: [] as string[] };
    // Each part's offsets are read once (a mvdan Pos()/End() call each), the word's from its first and last part.
    let s = 0;
    let e = 0;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      const ps = this.startOf(ctx, p);
      const pe = this.endOf(ctx, p);
      if (i === 0) s = ps;
      if (i === parts.length - 1) e = pe;
      this.partAt(p, ps, pe, ctx, owner, st, false);
    }
    return this.makeWord(ctx, s, e, st.value, st.hasExpansion, st.quoted, st.params);
  }

  private part(p: GoObj, ctx: Ctx, owner: ShellCommand | undefined, st: { value: string; hasExpansion: boolean; quoted: boolean; params: string[] }, inDouble: boolean): void {
    this.partAt(p, this.startOf(ctx, p), this.endOf(ctx, p), ctx, owner, st, inDouble);
  }

  private partAt(p: GoObj, s: number, e: number, ctx: Ctx, owner: ShellCommand | undefined, st: { value: string; hasExpansion: boolean; quoted: boolean; params: string[] }, inDouble: boolean): void {
    const type = typeOf(p);
    const src = ctx.text.slice(s, e);
    switch (type) {
      case '*syntax.Lit':
        st.value += unescapeLit(src, inDouble);
        return;
      case '*syntax.SglQuoted':
        st.quoted = true;
        st.value += p.Dollar ? ansiC(src.slice(2, -1)) : src.slice(1, -1);
        return;
      case '*syntax.DblQuoted':
        st.quoted = true;
        for (const q of items(p.Parts)) this.part(q, ctx, owner, st, true);
        return;
      case '*syntax.ParamExp':
        st.hasExpansion = true;
        st.value += src;
        if (!isNil(p.Param) && !st.params.includes(p.Param.Value)) st.params.push(p.Param.Value);
        // ${A:-$B}, ${A/x/$(y)}, ${A:$i}: words nested in the expansion.
        if (!isNil(p.Exp) || !isNil(p.Repl) || !isNil(p.Slice) || !isNil(p.Index)) {
          this.collectParams(p, st.params);
          this.partCommands(p, ctx, owner);
        }
        return;
      case '*syntax.CmdSubst':
        st.hasExpansion = true;
        st.value += src;
        this.stmts(p.Stmts, { ...ctx, nesting: [...ctx.nesting, 'substitution'], enclosing: owner ?? ctx.enclosing }, undefined);
        return;
      case '*syntax.ProcSubst':
        st.hasExpansion = true;
        st.value += src;
        this.stmts(p.Stmts, { ...ctx, nesting: [...ctx.nesting, 'process-substitution'], enclosing: owner ?? ctx.enclosing }, undefined);
        return;
      default:
        st.hasExpansion = true;
        st.value += src;
        this.partCommands(p, ctx, owner);
    }
  }

  private collectParams(p: GoObj, out: string[]): void {
    const visit = (x: GoObj, depth: number) => {
      if (depth > 30 || x == null || typeof x !== 'object' || isNil(x)) return;
      if (x.$array) {
        for (const it of items(x)) visit(it, depth + 1);
        return;
      }
      const t = typeOf(x);
      if (t === '*syntax.CmdSubst' || t === '*syntax.ProcSubst') return;
      if (t === '*syntax.ParamExp' && !isNil(x.Param) && !out.includes(x.Param.Value)) out.push(x.Param.Value);
      for (const key of Object.keys(x)) {
        if (key === '$val') continue;
        const v = x[key];
        if (v && typeof v === 'object' && !('offs' in v)) visit(v, depth + 1);
      }
    };
    visit(p, 0);
  }

  /** Walks a word part (or any node) for `$(...)`, backquotes and `<(...)`, recording their commands. */
  private partCommands(p: GoObj, ctx: Ctx, owner: ShellCommand | undefined): void {
    const visit = (x: GoObj, depth: number) => {
      if (depth > 40 || x == null || typeof x !== 'object' || isNil(x)) return;
      if (x.$array) {
        for (const it of items(x)) visit(it, depth + 1);
        return;
      }
      const t = typeOf(x);
      if (t === '*syntax.CmdSubst') {
        this.stmts(x.Stmts, { ...ctx, nesting: [...ctx.nesting, 'substitution'], enclosing: owner ?? ctx.enclosing }, undefined);
        return;
      }
      if (t === '*syntax.ProcSubst') {
        this.stmts(x.Stmts, { ...ctx, nesting: [...ctx.nesting, 'process-substitution'], enclosing: owner ?? ctx.enclosing }, undefined);
        return;
      }
      for (const key of Object.keys(x)) {
        if (key === '$val') continue;
        const v = x[key];
        if (v && typeof v === 'object' && !('offs' in v)) visit(v, depth + 1);
      }
    };
    visit(p, 0);
  }

  private substitutions(node: GoObj, ctx: Ctx, owner: ShellCommand | undefined): void {
    this.partCommands(node, ctx, owner);
  }
}

function parseErrorOf(e: unknown): { message: string; offset: number } {
  const err = e as { Error?: () => string; Pos?: { Offset?: () => number }; message?: string };
  let message = '';
  try {
    message = typeof err.Error === 'function' ? err.Error() : String(err.message ?? e);
  } catch {
    message = String(e);
  }
  let offset = 0;
  try {
    const o = err.Pos?.Offset?.();
    if (typeof o === 'number') offset = o;
  } catch {
    // no position
  }
  return { message: message.replace(/^\d+:\d+: /, ''), offset };
}

/** Escapes in an unquoted literal (`a\ b` → `a b`) or inside double quotes (only \$ \` \" \\ and newline). */
function unescapeLit(s: string, inDouble: boolean): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === '\n') {
      i++;
      continue;
    }
    if (inDouble && !'$`"\\'.includes(n)) {
      out += c;
      continue;
    }
    out += n;
    i++;
  }
  return out;
}

/** The common escapes of bash's $'...' quoting. */
function ansiC(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v' } as Record<string, string>)[e] ?? e;
  });
}
