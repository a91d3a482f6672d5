/**
 * Shell understanding for RUN: the script a RUN step hands to its shell, parsed with our shell parser
 * (shellSyntax.ts: POSIX sh plus the bash syntax Dockerfiles use; see docs/shell-parser.md), turned into a small,
 * stable, position-exact structure that rules read instead of matching the command text with regular expressions.
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
 *     dialect    'posix' | 'bash' | 'mksh': the step's shell's grammar ('bash' for a `/bin/sh` script that uses
 *                bash-only syntax such as `[[ ]]`, arrays or `${v/a/b}`).
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
import { memoized, positionAtOffset, rootStage } from './model';
import type { Position, Range } from './types';
import { parseShell, ShellSyntaxError, SynAssign, SynElement, SynPart, SynPipeline, SynRedirect, SynWord } from './shellSyntax';

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
  /** Computed on first access. */
  readonly range: Range;
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
  /** Computed on first access. */
  readonly range: Range;
}

export interface ShellPipeline {
  commands: ShellCommand[];
  size: number;
  negated: boolean;
  op?: ShellOperator;
  nesting: ShellNestingKind[];
  start: number;
  end: number;
  /** Computed on first access. */
  readonly range: Range;
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
  /** Computed on first access. */
  readonly range: Range;
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

/** Offsets into script.text whose Dockerfile range is computed when first asked for. */
class Span {
  #script: ShellScript;
  #range: Range | undefined;
  constructor(
    script: ShellScript,
    public start: number,
    public end: number,
  ) {
    this.#script = script;
  }

  get range(): Range {
    return (this.#range ??= this.#script.rangeOf(this.start, this.end));
  }
}

class Pipeline extends Span implements ShellPipeline {
  commands: ShellCommand[] = [];
  constructor(
    script: ShellScript,
    start: number,
    end: number,
    public size: number,
    public negated: boolean,
    public op: ShellOperator | undefined,
    public nesting: ShellNestingKind[],
  ) {
    super(script, start, end);
  }
}

/**
 * The shared empty list of a command without arguments, assignments or redirections, and of a word without
 * params (frozen: read only).
 */
const NO_ITEMS: never[] = Object.freeze([]) as unknown as never[];

class Command extends Span implements ShellCommand {
  name: ShellWord | undefined = undefined;
  program = '';
  assignments: ShellAssignment[] = NO_ITEMS;
  redirects: ShellRedirect[] = NO_ITEMS;
  #words: ShellWord[] = NO_ITEMS;
  #args: ShellWord[] = NO_ITEMS;
  /** Arguments not converted yet: most commands' arguments are never read (see Builder.simple). */
  #pending: { builder: Builder; syn: SynWord[]; ctx: Ctx } | undefined = undefined;

  get words(): ShellWord[] {
    if (this.#pending) this.#convert();
    return this.#words;
  }

  set words(v: ShellWord[]) {
    this.#words = v;
  }

  get args(): ShellWord[] {
    if (this.#pending) this.#convert();
    return this.#args;
  }

  set args(v: ShellWord[]) {
    this.#args = v;
  }

  /** Converts `syn` (the words after the name) on first access of words or args. */
  deferArgs(builder: Builder, syn: SynWord[], ctx: Ctx): void {
    this.#pending = { builder, syn, ctx };
  }

  #convert(): void {
    const { builder, syn, ctx } = this.#pending!;
    this.#pending = undefined;
    const args: ShellWord[] = [];
    for (let k = 1; k < syn.length; k++) args.push(builder.argWord(syn[k], ctx, this));
    this.#args = args;
    this.#words = [this.name!, ...args];
  }
  constructor(
    script: ShellScript,
    start: number,
    end: number,
    public index: number,
    public pipeline: ShellPipeline,
    public nesting: ShellNestingKind[],
    public enclosing: ShellCommand | undefined,
  ) {
    super(script, start, end);
  }
}

class Assignment extends Span implements ShellAssignment {
  valueText: string;
  constructor(
    script: ShellScript,
    public name: string,
    public value: ShellWord | undefined,
    start: number,
    end: number,
  ) {
    super(script, start, end);
    this.valueText = value?.value ?? '';
  }
}

class Redirect extends Span implements ShellRedirect {
  constructor(
    script: ShellScript,
    public op: string,
    public fd: string | undefined,
    public target: ShellWord | undefined,
    public heredoc: { start: number; end: number } | undefined,
    start: number,
    end: number,
  ) {
    super(script, start, end);
  }
}

/** The values of some words joined with single spaces. */
export function shellWordText(words: readonly ShellWord[]): string {
  return words.map((w) => w.value).join(' ');
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

/** The memo slot of a step's parsed script. */
const SCRIPT = Symbol('shellScript');

type ParseResult = { body: SynPipeline[]; dialect: ShellDialect; error?: undefined } | { error: { message: string; offset: number }; dialect: ShellDialect; body?: undefined };
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

/**
 * Parses with our shell parser (shellSyntax.ts). A POSIX-shell script that uses bash syntax is reported as bash
 * (`/bin/sh` is often bash in images, and the rules read what the script says). Results are shared through a
 * small LRU cache keyed by dialect and text (the syntax trees are only read), so re-analysing a document while
 * the user types re-parses only the RUN scripts that changed.
 */
function parseCached(text: string, first: ShellDialect): ParseResult {
  const key = first + '\u0000' + text;
  const hit = parseCache.get(key);
  if (hit) {
    parseCache.delete(key);
    parseCache.set(key, hit);
    return hit;
  }
  let res: ParseResult;
  try {
    const syn = parseShell(text, first);
    res = { body: syn.body, dialect: first === 'posix' && syn.usesBash ? 'bash' : first };
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    res = { error: { message: e.message, offset: e.offset }, dialect: first };
  }
  parseCache.set(key, res);
  parseCacheChars += text.length;
  while (parseCache.size > PARSE_CACHE_ENTRIES || parseCacheChars > PARSE_CACHE_CHARS) {
    const oldest = parseCache.keys().next().value as string;
    parseCacheChars -= oldest.length - oldest.indexOf('\u0000') - 1;
    parseCache.delete(oldest);
  }
  return res;
}

/** The parsed shell script of a RUN step (memoised per step; never throws). */
export function parseRunScript(model: DockerfileModel, step: Step): ShellScript {
  return memoized(step, SCRIPT, safeBuildScript, model, step);
}

function safeBuildScript(model: DockerfileModel, step: Step): ShellScript {
  try {
    return buildScript(model, step);
  } catch (e) {
    // A bug here must not take the rules down: report it as a parse error of an empty script.
    const r = step.argsRange ?? step.range;
    const s = emptyScript(model, step, 'shell', { text: '', runs: [] });
    s.error = { message: e instanceof Error ? e.message : String(e), start: 0, range: r };
    return s;
  }
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
// From the syntax tree (shellSyntax.ts) to the ShellScript structure

interface Ctx {
  nesting: ShellNestingKind[];
  enclosing?: ShellCommand;
  /** Offsets of the parsed (possibly nested) text → offsets of script.text. */
  toTop: (o: number) => number;
  text: string;
  depth: number;
}

const MAX_NESTING = 4;
const DECLARATIONS = new Set(['export', 'readonly', 'declare', 'local', 'typeset']);


interface WordState {
  value: string;
  hasExpansion: boolean;
  quoted: boolean;
  params: string[];
}

class Builder {
  constructor(private readonly script: ShellScript) {}

  parseTop(text: string, first: ShellDialect): void {
    const ctx: Ctx = { nesting: [], toTop: (o) => o, text, depth: 0 };
    const res = parseCached(text, first);
    this.script.dialect = res.dialect;
    if (res.error) {
      const at = Math.min(res.error.offset, text.length);
      this.script.error = { message: res.error.message, start: at, range: this.script.rangeOf(at, Math.min(at + 1, text.length)) };
      const recovered = this.recover(text, at, res.dialect);
      if (recovered) this.stmts(recovered, ctx);
      return;
    }
    this.stmts(res.body, ctx);
  }

  /** Parses the longest prefix that ends at a statement boundary before the error (a few tries). */
  private recover(text: string, errorAt: number, dialect: ShellDialect): SynPipeline[] | undefined {
    const cuts: number[] = [];
    const re = /\n|;|&&|\|\|/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) && m.index < errorAt) cuts.push(m.index);
    for (let k = cuts.length - 1, tries = 0; k >= 0 && tries < 6; k--, tries++) {
      const res = parseCached(text.slice(0, cuts[k]), dialect);
      if (!res.error) return res.body;
    }
    return undefined;
  }

  // --- statements -------------------------------------------------------------------------------------

  private stmts(list: SynPipeline[], ctx: Ctx): void {
    for (const p of list) this.pipeline(p, ctx);
  }

  private pipeline(p: SynPipeline, ctx: Ctx): void {
    const start = ctx.toTop(p.start);
    const end = this.endTop(ctx, p.start, p.end);
    const pipeline = new Pipeline(this.script, start, end, p.elements.length, p.negated, p.op, ctx.nesting);
    this.script.pipelines.push(pipeline);
    for (const el of p.elements) this.element(el, ctx, pipeline);
  }

  private element(el: SynElement, ctx: Ctx, pipeline: ShellPipeline): void {
    const cmd = el.cmd;
    const inside = (kind: ShellNestingKind): Ctx => ({ ...ctx, nesting: [...ctx.nesting, kind] });
    switch (cmd.t) {
      case 'simple':
        this.simple(el, cmd.assigns, cmd.words, ctx, pipeline);
        return;
      case 'subshell':
      case 'group':
        this.stmts(cmd.body, inside(cmd.t));
        break;
      case 'if': {
        const ic = inside('if');
        for (const l of cmd.lists) this.stmts(l, ic);
        break;
      }
      case 'loop': {
        const lc = inside('loop');
        for (const w of cmd.words) this.wordCommands(w.parts, lc, undefined);
        for (const l of cmd.lists) this.stmts(l, lc);
        break;
      }
      case 'case': {
        this.word(cmd.word, ctx, undefined);
        const cc = inside('case');
        for (const l of cmd.items) this.stmts(l, cc);
        break;
      }
      case 'function': {
        const b = cmd.body;
        this.pipeline({ negated: false, start: b.start, end: b.end, elements: [b] }, inside('function'));
        break;
      }
      case 'other':
        // [[ ]], (( )): no simple commands, but maybe substitutions.
        for (const w of cmd.words) this.wordCommands(w.parts, ctx, undefined);
        break;
    }
    for (const r of el.redirects) this.redirect(r, ctx, undefined);
  }

  private simple(el: SynElement, assigns: SynAssign[], words: SynWord[], ctx: Ctx, pipeline: ShellPipeline): void {
    const start = ctx.toTop(el.start);
    const end = this.endTop(ctx, el.start, el.end);
    const command = new Command(this.script, start, end, this.script.commands.length, pipeline, ctx.nesting, ctx.enclosing);
    this.script.commands.push(command);
    pipeline.commands.push(command);
    if (assigns.length) command.assignments = assigns.map((a) => this.assign(a, ctx, command));
    if (words.length) {
      const name = this.word(words[0], ctx, command);
      command.name = name;
      command.program = basename(name.value);
      if (words.length > 1) {
        // The arguments' own commands ($(...), backquotes, <(...)) are recorded now, in script order; the words
        // themselves are built when a rule first reads them.
        for (let k = 1; k < words.length; k++) this.wordCommands(words[k].parts, ctx, command);
        command.deferArgs(this, words, ctx);
      } else command.words = [name];
    }
    if (el.redirects.length) command.redirects = el.redirects.map((r) => this.redirect(r, ctx, command));
    if (DECLARATIONS.has(command.program)) this.declarations(command);
    if (ctx.depth < MAX_NESTING) this.nested(command, ctx);
  }

  /** `export A=1 B`: the variables its operands set. */
  private declarations(command: ShellCommand): void {
    if (command.assignments === NO_ITEMS) command.assignments = [];
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
      command.assignments.push(new Assignment(this.script, name, value, w.start, w.end));
    }
  }

  private assign(a: SynAssign, ctx: Ctx, owner: ShellCommand | undefined): ShellAssignment {
    const name = ctx.text.slice(a.start, a.nameEnd);
    const value = a.value ? this.word(a.value, ctx, owner) : undefined;
    if (a.array) for (const el of a.array) this.word(el, ctx, owner);
    const start = ctx.toTop(a.start);
    const end = this.endTop(ctx, a.start, a.end);
    return new Assignment(this.script, name, value, start, end);
  }

  private redirect(r: SynRedirect, ctx: Ctx, owner: ShellCommand | undefined): ShellRedirect {
    const fd = r.fd ? ctx.text.slice(r.fd.start, r.fd.end) : undefined;
    const target = r.word ? this.word(r.word, ctx, owner) : undefined;
    let heredoc: ShellRedirect['heredoc'];
    if (r.hdoc) {
      heredoc = { start: ctx.toTop(r.hdoc.start), end: this.endTop(ctx, r.hdoc.start, r.hdoc.end) };
      // Substitutions in an unquoted heredoc body run in the outer shell.
      this.wordCommands(r.hdoc.parts, ctx, owner);
    }
    const s = ctx.toTop(r.start);
    const e = this.endTop(ctx, r.start, r.end);
    return new Redirect(this.script, r.op, fd, target, heredoc, s, e);
  }

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
    const res = parseCached(text, 'bash');
    if (res.error) return;
    const toTop = (o: number) => ctx.toTop(toOuter(o));
    const inner: Ctx = { nesting: [...ctx.nesting, kind], enclosing, toTop, text, depth: ctx.depth + 1 };
    this.stmts(res.body, inner);
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
    const ctx: Ctx = { nesting: [], toTop: (o) => o, text, depth: 0 };
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
    const pipeline = new Pipeline(this.script, start, end, 1, false, undefined, []);
    const command = new Command(this.script, start, end, 0, pipeline, [], undefined);
    command.name = words[0];
    command.program = words[0] ? basename(words[0].value) : '';
    command.args = words.slice(1);
    command.words = words;
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

  /** Top-level end offset of the local span [s, e). */
  private endTop(ctx: Ctx, s: number, e: number): number {
    return e > s ? ctx.toTop(e - 1) + 1 : ctx.toTop(s);
  }

  /** An argument word whose commands were already recorded (Command's deferred conversion). */
  argWord(w: SynWord, ctx: Ctx, owner: ShellCommand): ShellWord {
    return this.word(w, ctx, owner, false);
  }

  /** `record`: record the commands of its substitutions in script.commands (false when already done). */
  private word(w: SynWord, ctx: Ctx, owner: ShellCommand | undefined, record = true): ShellWord {
    const start = ctx.toTop(w.start);
    const end = this.endTop(ctx, w.start, w.end);
    const parts = w.parts;
    if (parts.length === 1 && parts[0].t === 'lit') {
      // The common case, a plain word: its value is its text unless it has escapes.
      const raw = ctx.text.slice(w.start, w.end);
      return new Word(this.script, raw.includes('\\') ? unescapeLit(raw, false) : raw, raw, false, false, NO_ITEMS, start, end);
    }
    const st: WordState = { value: '', hasExpansion: false, quoted: false, params: [] };
    for (const p of parts) this.part(p, ctx, owner, st, false, record);
    return new Word(this.script, st.value, ctx.text.slice(w.start, w.end), st.hasExpansion, st.quoted, st.params, start, end);
  }

  private part(p: SynPart, ctx: Ctx, owner: ShellCommand | undefined, st: WordState, inDouble: boolean, record: boolean): void {
    const text = ctx.text;
    switch (p.t) {
      case 'lit':
        st.value += unescapeLit(text.slice(p.start, p.end), inDouble);
        return;
      case 'sgl':
        st.quoted = true;
        st.value += p.dollar ? ansiC(text.slice(p.start + 2, p.end - 1)) : text.slice(p.start + 1, p.end - 1);
        return;
      case 'dbl':
        st.quoted = true;
        for (const q of p.parts) this.part(q, ctx, owner, st, true, record);
        return;
      case 'param':
        st.hasExpansion = true;
        st.value += text.slice(p.start, p.end);
        if (!st.params.includes(p.name)) st.params.push(p.name);
        // ${A:-$B}, ${A/x/$(y)}, ${A:$i}: words nested in the expansion.
        if (p.inner) {
          collectParams(p.inner, st.params);
          if (record) this.wordCommands(p.inner, ctx, owner);
        }
        return;
      default:
        st.hasExpansion = true;
        st.value += text.slice(p.start, p.end);
        if (record) this.wordCommands([p], ctx, owner);
    }
  }

  /** Records the commands of the `$(...)`, backquotes and `<(...)` among some word parts. */
  private wordCommands(parts: SynPart[], ctx: Ctx, owner: ShellCommand | undefined): void {
    for (const p of parts) {
      switch (p.t) {
        case 'cmd': {
          const enclosing = owner ?? ctx.enclosing;
          const nesting: ShellNestingKind[] = [...ctx.nesting, 'substitution'];
          if (p.sub) {
            const map = p.sub.map;
            this.stmts(p.body, { ...ctx, nesting, enclosing, text: p.sub.text, toTop: (o) => ctx.toTop(map[Math.min(o, map.length - 1)]) });
          } else this.stmts(p.body, { ...ctx, nesting, enclosing });
          break;
        }
        case 'proc':
          this.stmts(p.body, { ...ctx, nesting: [...ctx.nesting, 'process-substitution'], enclosing: owner ?? ctx.enclosing });
          break;
        case 'dbl':
          this.wordCommands(p.parts, ctx, owner);
          break;
        case 'param':
        case 'other':
          if (p.t === 'param' ? p.inner : p.inner.length) this.wordCommands(p.t === 'param' ? p.inner! : p.inner, ctx, owner);
          break;
      }
    }
  }
}

/** The names of the parameters expanded in some word parts, outside command substitutions. */
function collectParams(parts: SynPart[], out: string[]): void {
  for (const p of parts) {
    if (p.t === 'param') {
      if (!out.includes(p.name)) out.push(p.name);
      if (p.inner) collectParams(p.inner, out);
    } else if (p.t === 'dbl') collectParams(p.parts, out);
  }
}

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
