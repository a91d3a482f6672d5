/**
 * A hand-written parser for the shell scripts of RUN steps: POSIX `sh` with the bash extensions Dockerfiles use
 * (`[[ ]]`, `(( ))`, arrays, `$'...'`, `<(...)`, `&>`, `|&`, `<<<`, `function`). It produces a small syntax tree
 * of offsets into the parsed text (no strings are copied); `shell.ts` turns it into the `ShellScript` structure
 * rules read. One pass, no backtracking except for the `((` / `$((` arithmetic-or-subshell question, which bash
 * settles the same way (arithmetic when the parentheses close as `))`).
 *
 * The grammar follows POSIX.1-2017 XCU 2.10 "Shell Grammar" and bash's manual for the extensions. What it does not
 * try to do: alias expansion, `case` patterns with extended globs in POSIX mode, `coproc` as a keyword.
 * Syntax errors throw `ShellSyntaxError` with the offset of the construct left open (the opening quote, the `if`
 * without `fi`) or of the unexpected token.
 */

export type SynDialect = 'posix' | 'bash' | 'mksh';
export type SynOperator = '&&' | '||' | ';' | '&' | '\n';

export interface SynWord {
  start: number;
  end: number;
  parts: SynPart[];
}

export type SynPart =
  | { t: 'lit'; start: number; end: number }
  /** `'...'`, or bash's `$'...'` when `dollar`. */
  | { t: 'sgl'; start: number; end: number; dollar: boolean }
  /** `"..."` (and `$"..."`). */
  | { t: 'dbl'; start: number; end: number; parts: SynPart[] }
  /** `$NAME`, `$1`, `$@`, `${...}`; `inner` holds the parts of the words nested in `${NAME:-word}` and the like. */
  | { t: 'param'; start: number; end: number; name: string; inner?: SynPart[] }
  /** `$( ... )` or a backquoted command; `sub` when the script was unescaped into a text of its own (backquotes). */
  | { t: 'cmd'; start: number; end: number; body: SynPipeline[]; sub?: SynSubText }
  /** `<( ... )` / `>( ... )`. */
  | { t: 'proc'; start: number; end: number; body: SynPipeline[] }
  /** `$(( ))`, `$[ ]`, extended globs: expanded by the shell; `inner` holds the substitutions inside. */
  | { t: 'other'; start: number; end: number; inner: SynPart[] };

export interface SynSubText {
  text: string;
  /** Offset in `text` → offset in the enclosing text. */
  map: number[];
}

export interface SynAssign {
  start: number;
  end: number;
  nameEnd: number;
  value?: SynWord;
  array?: SynWord[];
}

export interface SynRedirect {
  start: number;
  end: number;
  op: string;
  fd?: { start: number; end: number };
  word?: SynWord;
  /** Here-document body: [start, end) up to and including the newline before the delimiter line. */
  hdoc?: { start: number; end: number; parts: SynPart[] };
}

export type SynCommand =
  | { t: 'simple'; assigns: SynAssign[]; words: SynWord[] }
  | { t: 'subshell' | 'group'; body: SynPipeline[] }
  /** Every condition and branch list of an if/elif/else chain, in source order. */
  | { t: 'if'; lists: SynPipeline[][] }
  /** for/select/while/until: `words` are the for items (or the `(( ))` header), `lists` the condition and body. */
  | { t: 'loop'; words: SynWord[]; lists: SynPipeline[][] }
  | { t: 'case'; word: SynWord; items: SynPipeline[][] }
  | { t: 'function'; body: SynElement }
  /** `[[ ]]`, `(( ))`: only the substitutions in their words matter to us. */
  | { t: 'other'; words: SynWord[] };

export interface SynElement {
  start: number;
  /** End of the command and its redirections, not counting here-document bodies. */
  end: number;
  cmd: SynCommand;
  redirects: SynRedirect[];
}

export interface SynPipeline {
  /** The operator before it in its list: undefined for the first. */
  op?: SynOperator;
  negated: boolean;
  start: number;
  end: number;
  elements: SynElement[];
}

export interface SynScript {
  body: SynPipeline[];
  /** The input used syntax only bash (or mksh) accepts. */
  usesBash: boolean;
}

export class ShellSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Parses a whole script. Throws ShellSyntaxError. */
export function parseShell(text: string, dialect: SynDialect): SynScript {
  const p = new Parser(text, 0, text.length, dialect, 0);
  const body = p.list(NO_TERMS, -1);
  if (p.i < p.n) p.unexpected();
  return { body, usesBash: p.usesBash };
}

// ---------------------------------------------------------------------------------------------------------

const NO_TERMS: ReadonlySet<string> = new Set();
const IF_THEN = new Set(['then']);
const IF_BODY = new Set(['elif', 'else', 'fi']);
const FI = new Set(['fi']);
const DO = new Set(['do']);
const DONE = new Set(['done']);
const ESAC = new Set(['esac']);
const BRACE = new Set(['}']);
const RESERVED = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}', 'in']);
const MAX_DEPTH = 150;
/** The shared empty list (frozen: the tree is read, never changed). */
const NONE: never[] = Object.freeze([]) as unknown as never[];

const SP = 32;
const TAB = 9;
const NL = 10;
const CR = 13;

/** Characters that end an unquoted word: blanks, newline and the operator characters `; & | < > ( )`. */
function isDelim(c: number): boolean {
  return c === SP || c === TAB || c === NL || c === 59 /* ; */ || c === 38 /* & */ || c === 124 /* | */ || c === 60 /* < */ || c === 62 /* > */ || c === 40 /* ( */ || c === 41 /* ) */ || c === CR;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Ends the literal run that started at `lit` (if any) at `end`; returns -1, the new "no run" value. */
function pushLit(parts: SynPart[], lit: number, end: number): number {
  if (lit >= 0 && end > lit) parts.push({ t: 'lit', start: lit, end });
  return -1;
}

interface PendingHeredoc {
  redirect: SynRedirect;
  delimiter: string;
  stripTabs: boolean;
  quoted: boolean;
}

class Parser {
  i: number;
  usesBash = false;
  private readonly bashy: boolean;
  private pending: PendingHeredoc[] = [];

  constructor(
    readonly s: string,
    from: number,
    readonly n: number,
    readonly dialect: SynDialect,
    private depth: number,
  ) {
    this.i = from;
    this.bashy = dialect !== 'posix';
  }

  private c(k = 0): number {
    const j = this.i + k;
    return j < this.n ? this.s.charCodeAt(j) : -1;
  }

  fail(message: string, at = this.i): never {
    throw new ShellSyntaxError(message, Math.min(at, this.n));
  }

  unexpected(): never {
    const ch = this.s[this.i];
    if (ch === undefined) this.fail('unexpected end of script');
    const tok = ch === '\n' ? 'newline' : this.peekOperator() ?? (this.peekLiteral() || ch);
    this.fail(`unexpected ${tok}`);
  }

  private enter(at: number): void {
    if (++this.depth > MAX_DEPTH) this.fail('nesting is too deep', at);
  }

  private leave(): void {
    this.depth--;
  }

  private bash(): void {
    this.usesBash = true;
  }

  // --- blanks, comments, newlines ---------------------------------------------------------------------

  /** Skips blanks, `\`-newline continuations and a comment (up to, not including, the newline). */
  blank(): void {
    for (;;) {
      const c = this.c();
      if (c === SP || c === TAB || c === CR) this.i++;
      else if (c === 92 /* \ */ && this.c(1) === NL) this.i += 2;
      else if (c === 35 /* # */) {
        const nl = this.s.indexOf('\n', this.i);
        this.i = nl < 0 || nl > this.n ? this.n : nl;
      } else return;
    }
  }

  /** Consumes one newline, then reads the bodies of here-documents started on the line it ends. */
  private newline(): void {
    this.i++;
    if (this.pending.length) this.readHeredocs();
  }

  /** Skips blanks, comments and newlines. */
  linebreak(): void {
    for (;;) {
      this.blank();
      if (this.c() === NL) this.newline();
      else return;
    }
  }

  /** The operator at the cursor, if any (redirections excluded). */
  private peekOperator(): string | undefined {
    const c = this.c();
    const d = this.c(1);
    switch (c) {
      case 38: // &
        if (d === 38) return '&&';
        return '&';
      case 124: // |
        if (d === 124) return '||';
        if (d === 38) return '|&';
        return '|';
      case 59: // ;
        if (d === 59) return this.c(2) === 38 ? ';;&' : ';;';
        if (d === 38) return ';&';
        return ';';
      case 40:
        return '(';
      case 41:
        return ')';
      default:
        return undefined;
    }
  }

  /**
   * The word at the cursor when it could be a reserved word (if, then, fi, do, done, case, esac, while, until,
   * for, select, in, function, time, `{`, `}`, `[[`), else ''. The first character decides most cases without
   * making a string: this runs at every command position.
   */
  private peekKeyword(): string {
    switch (this.c()) {
      case 105: // i
      case 116: // t
      case 101: // e
      case 102: // f
      case 100: // d
      case 99: // c
      case 119: // w
      case 117: // u
      case 115: // s
      case 123: // {
      case 125: // }
      case 91: // [
        return this.peekLiteral();
      default:
        return '';
    }
  }

  /** The plain unquoted word at the cursor, or '' when the next word is not one. */
  private peekLiteral(): string {
    let j = this.i;
    while (j < this.n) {
      const c = this.s.charCodeAt(j);
      if (isDelim(c)) break;
      if (c === 39 || c === 34 || c === 92 || c === 36 || c === 96) return '';
      j++;
    }
    return this.s.slice(this.i, j);
  }

  // --- lists and pipelines ----------------------------------------------------------------------------

  /**
   * A list of and-or lists up to a terminator keyword in `terms` (at command position), a `)` when
   * `close` is `)`, `;;`-style case terminators, or the end of the text.
   */
  list(terms: ReadonlySet<string>, close: number): SynPipeline[] {
    const out: SynPipeline[] = [];
    let op: SynOperator | undefined;
    for (;;) {
      this.linebreak();
      if (this.i >= this.n) break;
      const c = this.c();
      if (c === 41 /* ) */) {
        if (close === 41) break;
        this.unexpected();
      }
      if (c === 59 /* ; */ && this.c(1) === 59) break; // `;;` ends a case item (checked by the caller)
      if (c === 59 && this.c(1) === 38) break; // `;&`
      if (terms.size && terms.has(this.peekKeyword())) break;
      const before = this.i;
      this.andOr(op, out);
      if (this.i === before) this.unexpected();
      this.blank();
      const t = this.c();
      if (t === 59 /* ; */ && this.c(1) !== 59 && this.c(1) !== 38) {
        this.i++;
        op = ';';
      } else if (t === 38 /* & */ && this.c(1) !== 38 && !(this.bashy && this.c(1) === 62)) {
        this.i++;
        op = '&';
      } else if (t === NL || t === -1 || t === 41 || t === 59) {
        op = '\n';
      } else if (terms.size && terms.has(this.peekKeyword())) {
        // `{ a; }`: `}` after `;` is handled above; here e.g. `if a then` is caught by the caller.
        op = '\n';
      } else this.unexpected();
    }
    return out;
  }

  private andOr(op: SynOperator | undefined, out: SynPipeline[]): void {
    const first = this.pipeline();
    first.op = op;
    out.push(first);
    for (;;) {
      this.blank();
      const c = this.c();
      const d = this.c(1);
      if ((c === 38 && d === 38) || (c === 124 && d === 124)) {
        const at = this.i;
        this.i += 2;
        this.linebreak();
        if (this.atListEnd()) this.fail(`${c === 38 ? '&&' : '||'} must be followed by a statement`, at);
        const p = this.pipeline();
        p.op = c === 38 ? '&&' : '||';
        out.push(p);
      } else return;
    }
  }

  /** True at the end of the text or at a token that cannot start a command. */
  private atListEnd(): boolean {
    if (this.i >= this.n) return true;
    const c = this.c();
    if (c === 41 || c === 59 || (c === 38 && this.c(1) !== 62) || (c === 124)) return true;
    return RESERVED.has(this.peekKeyword());
  }

  private pipeline(): SynPipeline {
    this.blank();
    const start = this.i;
    let negated = false;
    if (this.c() === 33 /* ! */ && (isDelim(this.c(1)) || this.c(1) === -1) && this.c(1) !== 40) {
      negated = true;
      this.i++;
      this.blank();
    }
    if (this.bashy && this.peekKeyword() === 'time') {
      this.i += 4;
      this.blank();
      if (this.peekLiteral() === '-p') {
        this.i += 2;
        this.blank();
      }
    }
    const elements: SynElement[] = [];
    for (;;) {
      if (this.atListEnd()) {
        if (elements.length || negated) this.fail(elements.length ? '| must be followed by a statement' : '! must be followed by a statement');
        this.unexpected();
      }
      elements.push(this.element());
      this.blank();
      if (this.c() === 124 && this.c(1) !== 124) {
        if (this.c(1) === 38) {
          this.bash();
          this.i += 2;
        } else this.i++;
        this.linebreak();
        continue;
      }
      break;
    }
    return { negated, start, end: elements[elements.length - 1].end, elements };
  }

  // --- commands -----------------------------------------------------------------------------------------

  private element(): SynElement {
    const start = this.i;
    this.enter(start);
    try {
      const c = this.c();
      if (c === 40 /* ( */) {
        if (this.c(1) === 40 && this.bashy) {
          const end = this.arithEnd(this.i + 2);
          if (end >= 0) {
            this.bash();
            const inner = this.innerParts(this.i + 2, end - 2);
            this.i = end;
            return this.compoundTail(start, { t: 'other', words: [{ start: start + 2, end: end - 2, parts: inner }] });
          }
        }
        this.i++;
        const body = this.list(NO_TERMS, 41);
        if (this.c() !== 41) this.fail('reached end of script without matching ( with )', start);
        this.i++;
        return this.compoundTail(start, { t: 'subshell', body });
      }
      const kw = this.peekKeyword();
      switch (kw) {
        case '{':
          return this.group(start);
        case 'if':
          return this.ifClause(start);
        case 'while':
        case 'until':
          return this.whileClause(start, kw.length);
        case 'for':
        case 'select':
          return this.forClause(start, kw.length);
        case 'case':
          return this.caseClause(start);
        case '[[':
          return this.testClause(start);
        case 'function':
          if (this.bashy) return this.functionKeyword(start);
          break;
        case 'then':
        case 'elif':
        case 'else':
        case 'fi':
        case 'do':
        case 'done':
        case 'esac':
        case '}':
          this.fail(`${kw} can only be used to end a statement`);
      }
      return this.simple(start);
    } finally {
      this.leave();
    }
  }

  /** Redirections after a compound command. */
  private compoundTail(start: number, cmd: SynCommand): SynElement {
    let end = this.i;
    const redirects: SynRedirect[] = [];
    for (;;) {
      this.blank();
      const r = this.redirect();
      if (!r) break;
      redirects.push(r);
      end = r.end;
    }
    return { start, end, cmd, redirects };
  }

  private expectKeyword(words: ReadonlySet<string>, what: string, at: number): string {
    this.linebreak();
    const w = this.peekKeyword();
    if (!words.has(w)) this.fail(what, at);
    this.i += w.length;
    return w;
  }

  private group(start: number): SynElement {
    this.i++;
    const body = this.list(BRACE, -1);
    this.expectKeyword(BRACE, 'reached end of script without matching { with }', start);
    return this.compoundTail(start, { t: 'group', body });
  }

  private ifClause(start: number): SynElement {
    this.i += 2;
    const lists: SynPipeline[][] = [];
    for (;;) {
      lists.push(this.list(IF_THEN, -1));
      this.expectKeyword(IF_THEN, 'an if or elif must be followed by then', start);
      lists.push(this.list(IF_BODY, -1));
      const w = this.expectKeyword(IF_BODY, 'an if statement must end with fi', start);
      if (w === 'fi') break;
      if (w === 'else') {
        lists.push(this.list(FI, -1));
        this.expectKeyword(FI, 'an if statement must end with fi', start);
        break;
      }
    }
    return this.compoundTail(start, { t: 'if', lists });
  }

  private whileClause(start: number, len: number): SynElement {
    this.i += len;
    const cond = this.list(DO, -1);
    this.expectKeyword(DO, 'a while or until loop must be followed by do', start);
    const body = this.list(DONE, -1);
    this.expectKeyword(DONE, 'a loop must end with done', start);
    return this.compoundTail(start, { t: 'loop', words: [], lists: [cond, body] });
  }

  private forClause(start: number, len: number): SynElement {
    this.i += len;
    this.blank();
    const words: SynWord[] = [];
    if (this.c() === 40 && this.c(1) === 40) {
      // for (( init; cond; step ))
      this.bash();
      const end = this.arithEnd(this.i + 2);
      if (end < 0) this.fail('reached end of script without matching (( with ))', this.i);
      words.push({ start: this.i + 2, end: end - 2, parts: this.innerParts(this.i + 2, end - 2) });
      this.i = end;
      this.blank();
      if (this.c() === 59) this.i++;
    } else {
      const name = this.word();
      if (!name) this.fail('for must be followed by a name', start);
      this.linebreak();
      if (this.peekKeyword() === 'in') {
        this.i += 2;
        for (;;) {
          this.blank();
          const w = this.word();
          if (!w) break;
          words.push(w);
        }
        this.blank();
        if (this.c() === 59) this.i++;
        else if (this.c() !== NL && this.i < this.n) this.unexpected();
      } else if (this.c() === 59) this.i++;
    }
    this.linebreak();
    if (this.c() === 123 /* { */ && this.peekKeyword() === '{') {
      const body = this.group(this.i);
      return this.compoundTail(start, { t: 'loop', words, lists: [[{ negated: false, start: body.start, end: body.end, elements: [body] }]] });
    }
    this.expectKeyword(DO, 'a for loop must be followed by do', start);
    const body = this.list(DONE, -1);
    this.expectKeyword(DONE, 'a loop must end with done', start);
    return this.compoundTail(start, { t: 'loop', words, lists: [body] });
  }

  private caseClause(start: number): SynElement {
    this.i += 4;
    this.blank();
    const word = this.word();
    if (!word) this.fail('case must be followed by a word', start);
    this.linebreak();
    if (this.peekKeyword() !== 'in') this.fail('case x must be followed by in', start);
    this.i += 2;
    const items: SynPipeline[][] = [];
    for (;;) {
      this.linebreak();
      if (this.i >= this.n) this.fail('a case statement must end with esac', start);
      if (this.peekKeyword() === 'esac') {
        this.i += 4;
        break;
      }
      if (this.c() === 40) this.i++;
      // Patterns: words separated by `|`, ended by `)`.
      for (;;) {
        this.blank();
        const w = this.word();
        if (!w) this.fail('a case pattern must be a word', this.i);
        this.blank();
        if (this.c() === 124) {
          this.i++;
          continue;
        }
        if (this.c() === 41) {
          this.i++;
          break;
        }
        this.fail('case patterns must be separated with | and end with )', this.i);
      }
      items.push(this.list(ESAC, -1));
      this.blank();
      if (this.c() === 59 && (this.c(1) === 59 || this.c(1) === 38)) {
        this.i += this.c(1) === 59 && this.c(2) === 38 ? 3 : 2;
      } else if (this.peekKeyword() !== 'esac' && this.i < this.n) this.unexpected();
    }
    return this.compoundTail(start, { t: 'case', word, items });
  }

  private testClause(start: number): SynElement {
    this.bash();
    this.i += 2;
    const words: SynWord[] = [];
    for (;;) {
      this.blank();
      if (this.i >= this.n) this.fail('reached end of script without matching [[ with ]]', start);
      const c = this.c();
      if (c === NL) {
        this.newline();
        continue;
      }
      if (c === 93 && this.c(1) === 93 && (isDelim(this.c(2)) || this.c(2) === -1)) {
        this.i += 2;
        break;
      }
      const w = this.word();
      if (w) words.push(w);
      else this.i++; // an operator character inside the test: `(`, `)`, `&&`, `<`, `|` of a regex...
    }
    return this.compoundTail(start, { t: 'other', words });
  }

  private functionKeyword(start: number): SynElement {
    this.bash();
    this.i += 8;
    this.blank();
    const name = this.word();
    if (!name) this.fail('function must be followed by a name', start);
    this.blank();
    if (this.c() === 40) {
      this.i++;
      this.blank();
      if (this.c() !== 41) this.fail('function name( must be followed by )', start);
      this.i++;
    }
    this.linebreak();
    const body = this.element();
    return { start, end: body.end, cmd: { t: 'function', body }, redirects: [] };
  }

  private simple(start: number): SynElement {
    // Most commands have no assignment and no redirection: those lists stay the shared empty one.
    let assigns: SynAssign[] | undefined;
    const words: SynWord[] = [];
    let redirects: SynRedirect[] | undefined;
    let end = start;
    for (;;) {
      this.blank();
      if (this.i >= this.n) break;
      const r = this.redirect();
      if (r) {
        (redirects ??= []).push(r);
        end = r.end;
        continue;
      }
      const c = this.c();
      if (c === 40 /* ( */) {
        if (words.length === 1 && !assigns) return this.functionDef(start);
        this.fail('a command can only contain words and redirects; encountered (');
      }
      if (isDelim(c) && !((c === 60 || c === 62) && this.c(1) === 40)) break;
      const w = this.word();
      if (!w) break;
      end = w.end;
      if (!words.length) {
        const a = this.assignment(w);
        if (a) {
          (assigns ??= []).push(a);
          end = a.end;
          continue;
        }
      }
      words.push(w);
    }
    if (!assigns && !words.length && !redirects) this.unexpected();
    return { start, end, cmd: { t: 'simple', assigns: assigns ?? NONE, words }, redirects: redirects ?? NONE };
  }

  /** `name() body`. */
  private functionDef(start: number): SynElement {
    const open = this.i;
    this.i++;
    this.blank();
    if (this.c() !== 41) this.fail('a command can only contain words and redirects; encountered (', open);
    this.i++;
    this.linebreak();
    if (this.i >= this.n) this.fail('a function must have a body', start);
    const body = this.element();
    return { start, end: body.end, cmd: { t: 'function', body }, redirects: [] };
  }

  /** `NAME=value`, `NAME+=value`, `NAME=(a b)` before the command name. */
  private assignment(w: SynWord): SynAssign | undefined {
    const p = w.parts[0];
    if (!p || p.t !== 'lit') return undefined;
    let j = p.start;
    if (!isNameStart(this.s.charCodeAt(j))) return undefined;
    while (j < p.end && isNameChar(this.s.charCodeAt(j))) j++;
    const nameEnd = j;
    if (j < p.end && this.s.charCodeAt(j) === 43 /* + */) j++;
    if (j >= p.end || this.s.charCodeAt(j) !== 61 /* = */) return undefined;
    if (j > nameEnd) this.bash();
    const valueStart = j + 1;
    const parts: SynPart[] = [];
    if (valueStart < p.end) parts.push({ t: 'lit', start: valueStart, end: p.end });
    for (let k = 1; k < w.parts.length; k++) parts.push(w.parts[k]);
    const a: SynAssign = { start: w.start, end: w.end, nameEnd };
    if (parts.length) a.value = { start: valueStart, end: w.end, parts };
    else if (this.c() === 40 /* ( */ && this.i === w.end) {
      // NAME=(elements)
      this.bash();
      const open = this.i;
      this.i++;
      const array: SynWord[] = [];
      for (;;) {
        this.linebreak();
        if (this.i >= this.n) this.fail('reached end of script without matching ( with )', open);
        if (this.c() === 41) {
          this.i++;
          break;
        }
        const el = this.word();
        if (!el) this.unexpected();
        array.push(el);
      }
      a.array = array;
      a.end = this.i;
    }
    return a;
  }

  // --- redirections and here-documents ------------------------------------------------------------------

  private redirect(): SynRedirect | undefined {
    const start = this.i;
    let j = this.i;
    let fd: SynRedirect['fd'];
    while (j < this.n && isDigit(this.s.charCodeAt(j))) j++;
    const c = j < this.n ? this.s.charCodeAt(j) : -1;
    if (j > start) {
      if (c !== 60 && c !== 62) return undefined;
      fd = { start, end: j };
    }
    let op: string;
    const s = this.s;
    const d = j + 1 < this.n ? s.charCodeAt(j + 1) : -1;
    const e = j + 2 < this.n ? s.charCodeAt(j + 2) : -1;
    if (c === 60 /* < */) {
      if (d === 40 /* ( */) return undefined; // <( process substitution: a word
      if (d === 60) op = e === 60 ? '<<<' : e === 45 ? '<<-' : '<<';
      else if (d === 62) op = '<>';
      else if (d === 38) op = '<&';
      else op = '<';
    } else if (c === 62 /* > */) {
      if (d === 40) return undefined; // >( process substitution
      if (d === 62) op = '>>';
      else if (d === 38) op = '>&';
      else if (d === 124) op = '>|';
      else op = '>';
    } else if (c === 38 /* & */ && d === 62 && !fd && this.bashy) {
      op = e === 62 ? '&>>' : '&>';
    } else return undefined;
    if (op === '<<<' || op === '&>' || op === '&>>') this.bash();
    this.i = j + op.length;
    this.blank();
    const word = this.word();
    if (!word) this.fail(`${op} must be followed by a word`, start);
    const r: SynRedirect = { start, end: word.end, op, fd, word };
    if (op === '<<' || op === '<<-') {
      let delimiter = '';
      let quoted = false;
      for (let k = word.start; k < word.end; k++) {
        const ch = s[k];
        if (ch === '"' || ch === "'") quoted = true;
        else if (ch === '\\') {
          quoted = true;
          if (k + 1 < word.end) delimiter += s[++k];
        } else delimiter += ch;
      }
      this.pending.push({ redirect: r, delimiter, stripTabs: op === '<<-', quoted });
    }
    return r;
  }

  /** Reads the bodies of pending here-documents; the cursor is at the start of the line after their command. */
  private readHeredocs(): void {
    const pending = this.pending;
    this.pending = [];
    const s = this.s;
    for (const h of pending) {
      const bodyStart = this.i;
      let ls = this.i;
      let bodyEnd = -1;
      while (ls < this.n) {
        let le = s.indexOf('\n', ls);
        if (le < 0 || le > this.n) le = this.n;
        let a = ls;
        if (h.stripTabs) while (a < le && s.charCodeAt(a) === TAB) a++;
        let b = le;
        if (b > a && s.charCodeAt(b - 1) === CR) b--;
        if (b - a === h.delimiter.length && s.startsWith(h.delimiter, a)) {
          bodyEnd = ls;
          this.i = le < this.n ? le + 1 : this.n;
          break;
        }
        ls = le + 1;
      }
      if (bodyEnd < 0) {
        // No delimiter line: the body runs to the end (bash warns and accepts it).
        bodyEnd = this.n;
        this.i = this.n;
      }
      if (bodyEnd > bodyStart) {
        h.redirect.hdoc = { start: bodyStart, end: bodyEnd, parts: h.quoted ? [] : this.innerParts(bodyStart, bodyEnd) };
      }
    }
  }

  // --- words --------------------------------------------------------------------------------------------

  /** The word at the cursor, or undefined when there is none (an operator, a newline, the end). */
  word(): SynWord | undefined {
    const start = this.i;
    const s = this.s;
    // Most words are plain: no quotes, escapes, expansions or globs with parentheses.
    let j = start;
    while (j < this.n) {
      const c = s.charCodeAt(j);
      if (isDelim(c) || c === 92 || c === 39 || c === 34 || c === 96 || c === 36) break;
      if ((c === 64 || c === 42 || c === 43 || c === 63 || c === 33) && j + 1 < this.n && s.charCodeAt(j + 1) === 40) break;
      j++;
    }
    if (j === this.n || (isDelim(s.charCodeAt(j)) && !(j + 1 < this.n && s.charCodeAt(j + 1) === 40 && (s.charCodeAt(j) === 60 || s.charCodeAt(j) === 62)))) {
      if (j === start) return undefined;
      this.i = j;
      return { start, end: j, parts: [{ t: 'lit', start, end: j }] };
    }
    const parts: SynPart[] = [];
    // `lit`: where the literal run being read started, or -1.
    let lit = -1;
    while (this.i < this.n) {
      const c = s.charCodeAt(this.i);
      if (isDelim(c)) {
        if ((c === 60 || c === 62) && this.c(1) === 40) {
          // <( ... ) / >( ... )
          lit = pushLit(parts, lit, this.i);
          parts.push(this.procSubst());
          continue;
        }
        break;
      }
      switch (c) {
        case 92: // backslash
          if (lit < 0) lit = this.i;
          this.i += this.i + 1 < this.n ? 2 : 1;
          continue;
        case 39: // '
          lit = pushLit(parts, lit, this.i);
          parts.push(this.single(this.i, false));
          continue;
        case 34: // "
          lit = pushLit(parts, lit, this.i);
          parts.push(this.double(this.i, false));
          continue;
        case 96: // `
          lit = pushLit(parts, lit, this.i);
          parts.push(this.backquote());
          continue;
        case 36: {
          // $
          const at = this.i;
          const p = this.dollar();
          if (p) {
            lit = pushLit(parts, lit, at);
            parts.push(p);
          } else {
            if (lit < 0) lit = this.i;
            this.i++;
          }
          continue;
        }
        case 64: // @
        case 42: // *
        case 43: // +
        case 63: // ?
        case 33: // !
          if (this.c(1) === 40 && (this.bashy || c !== 33)) {
            // An extended glob: @(a|b), *(x), ...
            const end = this.matchParen(this.i + 1);
            if (end >= 0) {
              this.bash();
              lit = pushLit(parts, lit, this.i);
              parts.push({ t: 'other', start: this.i, end, inner: [] });
              this.i = end;
              continue;
            }
          }
          break;
      }
      if (lit < 0) lit = this.i;
      this.i++;
    }
    pushLit(parts, lit, this.i);
    if (this.i === start) return undefined;
    return { start, end: this.i, parts };
  }

  private single(start: number, dollar: boolean): SynPart {
    let j = start + (dollar ? 2 : 1);
    const s = this.s;
    for (;;) {
      if (j >= this.n) this.fail("reached end of script without closing quote '", start);
      const c = s.charCodeAt(j);
      if (c === 39) break;
      if (dollar && c === 92) j++;
      j++;
    }
    this.i = j + 1;
    return { t: 'sgl', start, end: this.i, dollar };
  }

  private double(start: number, dollar: boolean): SynPart {
    this.i = start + (dollar ? 2 : 1);
    const parts = this.partsUntil(34, start, 'reached end of script without closing quote "');
    this.i++;
    return { t: 'dbl', start, end: this.i, parts };
  }

  /**
   * Parts up to an unescaped `stop` character (not consumed): literals, `$` expansions and backquotes, as inside
   * double quotes or `${...}`. Quotes inside count only for `${...}` (stop `}`).
   */
  private partsUntil(stop: number, openedAt: number, eofMessage: string): SynPart[] {
    const parts: SynPart[] = [];
    const s = this.s;
    let lit = -1;
    const inBraces = stop === 125;
    for (;;) {
      if (this.i >= this.n) this.fail(eofMessage, openedAt);
      const c = s.charCodeAt(this.i);
      if (c === stop) break;
      if (c === 92) {
        if (lit < 0) lit = this.i;
        this.i += 2;
        continue;
      }
      if (c === 36) {
        const at = this.i;
        const p = this.dollar();
        if (p) {
          lit = pushLit(parts, lit, at);
          parts.push(p);
          continue;
        }
      } else if (c === 96) {
        lit = pushLit(parts, lit, this.i);
        parts.push(this.backquote());
        continue;
      } else if (inBraces && c === 39) {
        lit = pushLit(parts, lit, this.i);
        parts.push(this.single(this.i, false));
        continue;
      } else if (inBraces && c === 34) {
        lit = pushLit(parts, lit, this.i);
        parts.push(this.double(this.i, false));
        continue;
      }
      if (lit < 0) lit = this.i;
      this.i++;
    }
    lit = pushLit(parts, lit, this.i);
    return parts;
  }

  /** A `$` expansion at the cursor, or undefined (and the cursor unmoved) when the `$` is a literal. */
  private dollar(): SynPart | undefined {
    const start = this.i;
    const c = this.c(1);
    const s = this.s;
    if (c === 39 /* ' */) {
      this.bash();
      return this.single(start, true);
    }
    if (c === 34 /* " */) {
      this.bash();
      return this.double(start, true);
    }
    if (c === 40 /* ( */) {
      if (this.c(2) === 40) {
        const end = this.arithEnd(start + 3);
        if (end >= 0) {
          const inner = this.innerParts(start + 3, end - 2);
          this.i = end;
          return { t: 'other', start, end, inner };
        }
      }
      this.enter(start);
      this.i = start + 2;
      const body = this.list(NO_TERMS, 41);
      if (this.c() !== 41) this.fail('reached end of script without matching $( with )', start);
      this.i++;
      this.leave();
      return { t: 'cmd', start, end: this.i, body };
    }
    if (c === 91 /* [ */) {
      const end = s.indexOf(']', start + 2);
      if (end < 0 || end >= this.n) this.fail('reached end of script without matching $[ with ]', start);
      const inner = this.innerParts(start + 2, end);
      this.i = end + 1;
      return { t: 'other', start, end: this.i, inner };
    }
    if (c === 123 /* { */) return this.braces(start);
    if (c >= 0 && isNameStart(c)) {
      let j = start + 2;
      while (j < this.n && isNameChar(s.charCodeAt(j))) j++;
      this.i = j;
      return { t: 'param', start, end: j, name: s.slice(start + 1, j) };
    }
    if (isDigit(c) || c === 64 || c === 42 || c === 35 || c === 63 || c === 45 || c === 36 || c === 33) {
      this.i = start + 2;
      return { t: 'param', start, end: this.i, name: s[start + 1] };
    }
    return undefined;
  }

  /** `${...}` at `start`. */
  private braces(start: number): SynPart {
    const s = this.s;
    let j = start + 2;
    let c = j < this.n ? s.charCodeAt(j) : -1;
    // ${#}, ${#name}, ${!name}: skip the prefix when a name follows
    if ((c === 35 || c === 33) && j + 1 < this.n && s.charCodeAt(j + 1) !== 125) {
      const d = s.charCodeAt(j + 1);
      if (isNameStart(d) || isDigit(d) || d === 64 || d === 42) j++;
      c = s.charCodeAt(j);
    }
    let nameEnd = j;
    if (c >= 0 && isNameStart(c)) {
      while (nameEnd < this.n && isNameChar(s.charCodeAt(nameEnd))) nameEnd++;
    } else if (isDigit(c)) {
      while (nameEnd < this.n && isDigit(s.charCodeAt(nameEnd))) nameEnd++;
    } else if (c === 64 || c === 42 || c === 35 || c === 63 || c === 45 || c === 36 || c === 33) nameEnd++;
    else this.fail('invalid parameter expansion', start);
    const name = s.slice(j, nameEnd);
    if (j > start + 2 && s.charCodeAt(start + 2) === 33) this.bash(); // ${!name}
    this.i = nameEnd;
    if (!this.usesBash) this.bashOperator(this.c(), this.c(1));
    let inner: SynPart[] | undefined;
    if (this.c() !== 125) {
      this.enter(start);
      inner = this.partsUntil(125, start, 'reached end of script without matching ${ with }');
      this.leave();
    }
    this.i++;
    const p: SynPart = { t: 'param', start, end: this.i, name };
    if (inner && inner.length) p.inner = inner;
    return p;
  }

  /** Marks bash-only `${name<op>...}` operators: `/`, `^`, `,`, `@`, `[index]` and `:offset`. */
  private bashOperator(c: number, d: number): void {
    if (c === 47 || c === 94 || c === 44 || c === 64 || c === 91) this.bash();
    else if (c === 58 && d !== 45 && d !== 61 && d !== 63 && d !== 43) this.bash();
  }

  private backquote(): SynPart {
    const start = this.i;
    const s = this.s;
    let j = start + 1;
    let escaped = false;
    for (;;) {
      if (j >= this.n) this.fail('reached end of script without closing quote `', start);
      const c = s.charCodeAt(j);
      if (c === 92) {
        escaped = true;
        j += 2;
        continue;
      }
      if (c === 96) break;
      j++;
    }
    const end = j + 1;
    this.enter(start);
    let part: SynPart;
    if (!escaped) {
      const p = new Parser(s, start + 1, j, this.dialect, this.depth);
      const body = p.list(NO_TERMS, -1);
      if (p.i < j) p.unexpected();
      if (p.usesBash) this.bash();
      part = { t: 'cmd', start, end, body };
    } else {
      // Inside backquotes `\\`, `` \` `` and `\$` stand for the character itself.
      let text = '';
      const map: number[] = [];
      for (let k = start + 1; k < j; k++) {
        const ch = s[k];
        if (ch === '\\' && k + 1 < j && (s[k + 1] === '\\' || s[k + 1] === '`' || s[k + 1] === '$')) {
          k++;
          text += s[k];
          map.push(k);
          continue;
        }
        text += ch;
        map.push(k);
      }
      map.push(j);
      let body: SynPipeline[];
      try {
        const p = new Parser(text, 0, text.length, this.dialect, this.depth);
        body = p.list(NO_TERMS, -1);
        if (p.i < text.length) p.unexpected();
        if (p.usesBash) this.bash();
      } catch (e) {
        if (e instanceof ShellSyntaxError) this.fail(e.message, map[Math.min(e.offset, map.length - 1)]);
        throw e;
      }
      part = { t: 'cmd', start, end, body, sub: { text, map } };
    }
    this.leave();
    this.i = end;
    return part;
  }

  private procSubst(): SynPart {
    this.bash();
    const start = this.i;
    this.enter(start);
    this.i += 2;
    const body = this.list(NO_TERMS, 41);
    if (this.c() !== 41) this.fail('reached end of script without matching ( with )', start);
    this.i++;
    this.leave();
    return { t: 'proc', start, end: this.i, body };
  }

  /**
   * Where an arithmetic `((`-expression opened just before `from` closes: the offset after its `))`, or -1 when
   * its parentheses do not close as `))` (then it is a subshell in a subshell, or `$(` with a subshell).
   */
  private arithEnd(from: number): number {
    const s = this.s;
    let depth = 0;
    for (let j = from; j < this.n; j++) {
      const c = s.charCodeAt(j);
      if (c === 40) depth++;
      else if (c === 41) {
        if (depth > 0) depth--;
        else return j + 1 < this.n && s.charCodeAt(j + 1) === 41 ? j + 2 : -1;
      } else if (c === 39 || c === 34 || c === NL || c === 96) {
        // Quotes, newlines and backquotes are rare in arithmetic and common in commands: not arithmetic. (`;` is
        // let through: `for ((i = 0; i < n; i++))`.)
        return -1;
      } else if (c === 36 && j + 1 < this.n && s.charCodeAt(j + 1) === 40) {
        const e = this.matchParen(j + 1);
        if (e < 0) return -1;
        j = e - 1;
      }
    }
    return -1;
  }

  /** The offset after the `)` matching the `(` at `open` (quotes skipped), or -1. */
  private matchParen(open: number): number {
    const s = this.s;
    let depth = 0;
    for (let j = open; j < this.n; j++) {
      const c = s.charCodeAt(j);
      if (c === 40) depth++;
      else if (c === 41) {
        if (--depth === 0) return j + 1;
      } else if (c === 39) {
        const q = s.indexOf("'", j + 1);
        if (q < 0 || q >= this.n) return -1;
        j = q;
      } else if (c === 34) {
        let k = j + 1;
        while (k < this.n && s.charCodeAt(k) !== 34) k += s.charCodeAt(k) === 92 ? 2 : 1;
        if (k >= this.n) return -1;
        j = k;
      } else if (c === 92) j++;
    }
    return -1;
  }

  /** The `$` expansions and backquotes in [from, to) (an arithmetic expression, a here-document body). */
  private innerParts(from: number, to: number): SynPart[] {
    const parts: SynPart[] = [];
    const s = this.s;
    const saved = this.i;
    const savedPending = this.pending;
    this.pending = [];
    const sub = new Parser(s, from, to, this.dialect, this.depth);
    for (let j = from; j < to; j++) {
      const c = s.charCodeAt(j);
      if (c === 92) {
        j++;
        continue;
      }
      if (c !== 36 && c !== 96) continue;
      sub.i = j;
      const p = c === 36 ? sub.dollar() : sub.backquote();
      if (p) {
        parts.push(p);
        j = sub.i - 1;
      }
    }
    if (sub.usesBash) this.bash();
    this.i = saved;
    this.pending = savedPending;
    return parts;
  }
}
