/**
 * A small reader for RUN commands, for the cache model: splits a POSIX shell script into simple commands (words and redirections)
 * when it uses nothing more than `;`, `&&`, `||`, `|`, quotes and redirections, and tells which files such a
 * command reads and writes. It is deliberately conservative: anything it does not understand (command
 * substitution, control flow, subshells, unknown programs) makes the whole script "opaque", which the cache
 * model treats as "may read and write anything".
 */
import { resolvePath } from './model';

export interface Redirect {
  op: string;
  target: string;
}

export interface SimpleCommand {
  /** Words with quotes removed; a word that still holds a `$` reference keeps it (see `dynamic`). */
  words: string[];
  /** For each word, true when it contains an unquoted or double-quoted `$` (its value is only known at run time). */
  dynamic: boolean[];
  redirects: Redirect[];
}

export interface ParsedScript {
  /** Undefined when the script uses constructs this reader does not follow. */
  commands?: SimpleCommand[];
  /** Names referenced with `$NAME` / `${NAME...}` anywhere outside single quotes. */
  vars: string[];
}

const OPAQUE_WORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', 'select', '{', '}', '!', 'eval', 'source', '.', 'exec']);

/** Tokenises a shell script into simple commands (see ParsedScript). */
export function parseScript(script: string): ParsedScript {
  const vars = new Set<string>();
  const commands: SimpleCommand[] = [];
  let opaque = false;
  let cur: SimpleCommand = { words: [], dynamic: [], redirects: [] };
  let word: string | null = null;
  let dyn = false;
  let pendingRedirect: string | null = null;
  const endWord = () => {
    if (word === null) return;
    if (pendingRedirect) {
      cur.redirects.push({ op: pendingRedirect, target: word });
      if (dyn) opaque = true;
      pendingRedirect = null;
    } else {
      cur.words.push(word);
      cur.dynamic.push(dyn);
    }
    word = null;
    dyn = false;
  };
  const endCommand = () => {
    endWord();
    if (pendingRedirect) opaque = true;
    if (cur.words.length || cur.redirects.length) commands.push(cur);
    cur = { words: [], dynamic: [], redirects: [] };
  };
  const readVar = (i: number): number => {
    // at script[i] === '$'
    const c = script[i + 1];
    if (c === '(' || c === '[') {
      opaque = true;
      return i + 1;
    }
    if (c === '{') {
      const end = script.indexOf('}', i + 2);
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(script.slice(i + 2, end < 0 ? undefined : end));
      if (m) vars.add(m[0]);
      dyn = true;
      word = (word ?? '') + script.slice(i, end < 0 ? script.length : end + 1);
      return end < 0 ? script.length : end + 1;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9#?$!@*-]/.exec(script.slice(i + 1));
    if (m) {
      if (/^[A-Za-z_]/.test(m[0])) vars.add(m[0]);
      dyn = true;
      word = (word ?? '') + '$' + m[0];
      return i + 1 + m[0].length;
    }
    word = (word ?? '') + '$';
    return i + 1;
  };
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i];
    if (c === '\\') {
      if (script[i + 1] === '\n') {
        i += 2;
        continue;
      }
      word = (word ?? '') + (script[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) {
        opaque = true;
        break;
      }
      word = (word ?? '') + script.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      word = word ?? '';
      i++;
      while (i < n && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < n) {
          word += script[i + 1];
          i += 2;
        } else if (script[i] === '$') i = readVar(i);
        else if (script[i] === '`') {
          opaque = true;
          i++;
        } else word += script[i++];
      }
      i++;
      continue;
    }
    if (c === '$') {
      i = readVar(i);
      continue;
    }
    if (c === '`' || c === '(' || c === ')') {
      opaque = true;
      i++;
      continue;
    }
    if (c === '#' && word === null) {
      const nl = script.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
      continue;
    }
    if (c === '\n' || c === ';' || c === '|' || c === '&') {
      // `&>` and `>&` are redirections; `2>&1` handled with '>'
      if (c === '&' && script[i + 1] === '>') {
        endWord();
        pendingRedirect = script[i + 2] === '>' ? '&>>' : '&>';
        i += pendingRedirect.length;
        continue;
      }
      endCommand();
      i += (c === '|' || c === '&') && script[i + 1] === c ? 2 : 1;
      continue;
    }
    if (c === '>' || c === '<') {
      // a redirection, optionally preceded by a file descriptor number
      let fd = '';
      if (word !== null && /^\d+$/.test(word) && !dyn) {
        fd = word;
        word = null;
      } else endWord();
      let op = c;
      let j = i + 1;
      if (script[j] === c) {
        op += c;
        j++;
      }
      if (c === '<' && op === '<<') {
        opaque = true; // heredoc
        break;
      }
      if (script[j] === '&') {
        // >&2, 2>&1: duplicates a descriptor, no file
        j++;
        while (j < n && /[0-9-]/.test(script[j])) j++;
        i = j;
        continue;
      }
      if (script[j] === '|') j++;
      pendingRedirect = fd + op;
      i = j;
      continue;
    }
    word = (word ?? '') + c;
    i++;
  }
  endCommand();
  for (const cmd of commands) {
    const w0 = cmd.words[0];
    if (w0 !== undefined && (OPAQUE_WORDS.has(w0) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w0) && cmd.words.length === 1 && false)) opaque = true;
  }
  return { commands: opaque ? undefined : commands, vars: [...vars] };
}

export interface FileEffect {
  path: string;
  /** True when the write replaces whatever was at `path` (`> file`, `rm`). */
  cover: boolean;
}

export interface RunEffects {
  /** False when the command's result cannot be derived from its text and the files it names. */
  pure: boolean;
  reads: string[];
  writes: FileEffect[];
  /** Names referenced in the script. */
  vars: string[];
}

/** Commands whose output depends only on their arguments. */
const PRINTERS = new Set(['echo', 'printf', 'true', 'false', ':', 'exit', 'sleep', 'test', '[', 'set', 'export', 'unset', 'umask', 'pwd', 'basename', 'dirname', 'expr', 'seq', 'id', 'whoami', 'return']);
/** Commands that read the files named as arguments (non-flag words). */
const READERS = new Set(['cat', 'head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'base64', 'ls', 'stat', 'du', 'readlink', 'realpath', 'diff', 'cmp', 'od', 'xxd', 'hexdump', 'nl', 'rev', 'tac', 'file']);
/** Readers whose first non-flag argument is a script or pattern, not a file. */
const PATTERN_READERS = new Set(['grep', 'egrep', 'fgrep', 'sed', 'awk']);
const WRITERS = new Set(['mkdir', 'touch', 'rm', 'rmdir']);

/**
 * What a RUN script does to the filesystem, for a script of simple commands from a small known set; `pure` is
 * false for anything else. `workdir` resolves relative paths (and follows literal `cd`).
 */
export function runEffects(script: string, workdir: string): RunEffects {
  const parsed = parseScript(script);
  const opaque: RunEffects = { pure: false, reads: [], writes: [], vars: parsed.vars };
  if (!parsed.commands) return opaque;
  const reads: string[] = [];
  const writes: FileEffect[] = [];
  let cwd = workdir;
  const abs = (p: string) => resolvePath(cwd, p);
  for (const cmd of parsed.commands) {
    for (const r of cmd.redirects) {
      if (/^\d*<$/.test(r.op)) reads.push(abs(r.target));
      else if (r.target !== '/dev/null' && !r.target.startsWith('/dev/')) writes.push({ path: abs(r.target), cover: !r.op.endsWith('>>') });
    }
    if (!cmd.words.length) continue;
    let w = cmd.words;
    let dyn = cmd.dynamic;
    // `VAR=value cmd`: leading assignments
    let k = 0;
    while (k < w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[k])) k++;
    w = w.slice(k);
    dyn = dyn.slice(k);
    if (!w.length) continue;
    const name = w[0].replace(/^.*\//, '');
    if (dyn[0]) return opaque;
    const args = w.slice(1);
    const argDyn = dyn.slice(1);
    const operands: string[] = [];
    let endOfFlags = false;
    for (let a = 0; a < args.length; a++) {
      if (!endOfFlags && args[a] === '--') {
        endOfFlags = true;
        continue;
      }
      if (!endOfFlags && args[a].startsWith('-') && args[a] !== '-') continue;
      operands.push(args[a]);
      if (argDyn[a] && !PRINTERS.has(name)) return opaque;
    }
    if (name === 'cd') {
      if (!operands.length) cwd = '/root';
      else cwd = abs(operands[0]);
      continue;
    }
    if (PRINTERS.has(name)) continue;
    if (READERS.has(name)) {
      for (const o of operands) if (o !== '-') reads.push(abs(o));
      continue;
    }
    if (PATTERN_READERS.has(name)) {
      const hasScriptFlag = args.some((a) => a === '-e' || a === '-f' || a.startsWith('-e') || a.startsWith('--expression') || a.startsWith('--regexp'));
      const files = hasScriptFlag ? operands : operands.slice(1);
      for (const o of files) reads.push(abs(o));
      continue;
    }
    if (WRITERS.has(name)) {
      for (const o of operands) writes.push({ path: abs(o), cover: name === 'rm' || name === 'rmdir' });
      continue;
    }
    if (name === 'chmod' || name === 'chown' || name === 'chgrp') {
      for (const o of operands.slice(1)) writes.push({ path: abs(o), cover: false });
      continue;
    }
    if (name === 'ln') {
      if (operands.length >= 1) writes.push({ path: abs(operands[operands.length - 1]), cover: false });
      continue;
    }
    if (name === 'cp' || name === 'mv' || name === 'tee') {
      if (name === 'tee') {
        for (const o of operands) writes.push({ path: abs(o), cover: !args.includes('-a') });
        continue;
      }
      if (operands.length < 2) return opaque;
      const dest = operands[operands.length - 1];
      for (const o of operands.slice(0, -1)) {
        reads.push(abs(o));
        if (name === 'mv') writes.push({ path: abs(o), cover: true });
      }
      writes.push({ path: abs(dest), cover: false });
      continue;
    }
    return opaque;
  }
  return { pure: true, reads, writes, vars: parsed.vars };
}

/** The program names a script runs (first word of each simple command), best effort even for opaque scripts. */
export function programsIn(script: string): string[] {
  const out: string[] = [];
  for (const part of script.split(/&&|\|\||;|\||\n/)) {
    const words = part.trim().split(/\s+/).filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    if (words[0]) out.push(words[0].replace(/^.*\//, ''));
  }
  return out;
}
