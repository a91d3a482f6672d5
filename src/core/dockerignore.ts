/**
 * `.dockerignore` exactly as Docker 20.10 with BuildKit applies it: the file is read like the CLI's
 * `dockerignore.ReadAll` (comments only at column 0, `filepath.Clean`, a leading `/` dropped), patterns are
 * compiled to regular expressions like moby's `fileutils` (`*`, `?`, `**`, `[...]`, `\` escapes), a path is
 * excluded when the last pattern that matches it, or the parent directory at the pattern's depth, is not an
 * exception, and the context walk prunes an excluded directory unless an exception pattern *starts with* that
 * directory's path (fsutil's prefix test — so `!**\/keep.txt` does not bring back `node_modules/keep.txt`).
 * Verified against the real builder: docs/layers-and-cache.md. Pure: no Node imports (runs in the browser).
 */

/** Go's `path.Clean` for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(seg);
  }
  const r = (rooted ? '/' : '') + out.join('/');
  return r === '' ? '.' : r;
}

/** Go's strings.TrimSpace (Unicode White_Space; unlike String.prototype.trim it keeps U+FEFF). */
function goTrim(s: string): string {
  return s.replace(/^[ \t\n\v\f\r\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[ \t\n\v\f\r\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '');
}

/** Reads `.dockerignore` text into patterns (`!` kept as a prefix), as Docker's CLI does. */
export function parseDockerignore(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let line of lines) {
    // Comments only when `#` is the first character of the line.
    if (line.startsWith('#')) continue;
    line = goTrim(line);
    if (!line) continue;
    const invert = line[0] === '!';
    if (invert) line = goTrim(line.slice(1));
    if (line.length > 0) {
      line = cleanPath(line);
      if (line.length > 1 && line[0] === '/') line = line.slice(1);
    }
    out.push(invert ? `!${line}` : line);
  }
  return out;
}

export interface IgnorePattern {
  /** The cleaned pattern without `!`. */
  text: string;
  exclusion: boolean;
  /** Number of path segments (moby's `len(pattern.dirs)`). */
  depth: number;
  /** Compiled matcher; undefined when the pattern is invalid (Docker refuses to build with it). */
  regex?: RegExp;
  /** Line in the ignore file (0-based), when known. */
  line?: number;
}

const REGEX_SPECIAL = /[.$^+(){}|[\]\\*?]/;

/** Compiles one cleaned pattern as moby's fileutils does (Docker 20.10). */
export function compilePattern(pattern: string): RegExp | undefined {
  let re = '^';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++;
        re += i + 1 >= chars.length ? '.*' : '(.*/)?';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '.' || ch === '$') re += `\\${ch}`;
    else if (ch === '\\') {
      if (i + 1 < chars.length) {
        const next = chars[++i];
        re += REGEX_SPECIAL.test(next) || next === '/' ? `\\${next}` : next;
      } else re += '\\\\';
    } else re += ch;
  }
  re += '$';
  try {
    return new RegExp(re, 'u');
  } catch {
    try {
      return new RegExp(re);
    } catch {
      return undefined;
    }
  }
}

/** The patterns of one ignore file, with Docker's matching and the context walk's pruning test. */
export class IgnoreMatcher {
  readonly patterns: IgnorePattern[];
  readonly hasExclusions: boolean;
  /** Patterns Docker would reject (the build fails with "syntax error in pattern"). */
  readonly invalid: IgnorePattern[];

  constructor(patterns: readonly string[]) {
    this.patterns = [];
    this.invalid = [];
    patterns.forEach((raw, line) => {
      let p = goTrim(raw);
      if (!p) return;
      p = cleanPath(p);
      let exclusion = false;
      if (p[0] === '!') {
        if (p.length === 1) {
          this.invalid.push({ text: p, exclusion: true, depth: 0, line });
          return;
        }
        exclusion = true;
        p = p.slice(1);
      }
      const pat: IgnorePattern = { text: p, exclusion, depth: p.split('/').length, regex: compilePattern(p), line };
      if (!pat.regex) this.invalid.push(pat);
      this.patterns.push(pat);
    });
    this.hasExclusions = this.patterns.some((p) => p.exclusion);
  }

  static fromText(text: string): IgnoreMatcher {
    return new IgnoreMatcher(parseDockerignore(text));
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** Whether the context-relative path (slash-separated, cleaned, no leading `./`) is excluded. */
  matches(rel: string): boolean {
    let matched = false;
    const slash = rel.lastIndexOf('/');
    const parentDirs = slash < 0 ? undefined : rel.slice(0, slash).split('/');
    for (const p of this.patterns) {
      if (!p.regex) continue;
      let m = p.regex.test(rel);
      if (!m && parentDirs && p.depth <= parentDirs.length) {
        m = p.regex.test(parentDirs.slice(0, p.depth).join('/'));
      }
      if (m) matched = !p.exclusion;
    }
    return matched;
  }

  /**
   * For an excluded directory: whether the walk still descends into it (and sends the directory itself),
   * because an exception pattern starts with its path.
   */
  descendsInto(relDir: string): boolean {
    if (!this.hasExclusions) return false;
    const dirSlash = relDir + '/';
    return this.patterns.some((p) => p.exclusion && (p.text + '/').startsWith(dirSlash));
  }
}

/**
 * Go's `path.Match` (used by COPY/ADD sources): `*` and `?` never match `/`, `[...]` classes with `^` negation
 * and ranges, `\` escapes. Returns false for a malformed pattern.
 */
export function goMatch(pattern: string, name: string): boolean {
  const re = goMatchRegex(pattern);
  return re ? re.test(name) : false;
}

const goCache = new Map<string, RegExp | null>();

function goMatchRegex(pattern: string): RegExp | undefined {
  const cached = goCache.get(pattern);
  if (cached !== undefined) return cached ?? undefined;
  let re = '^';
  let ok = true;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '\\') {
      if (i + 1 >= pattern.length) {
        ok = false;
        break;
      }
      re += escapeRegex(pattern[++i]);
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        ok = false;
        break;
      }
      let body = pattern.slice(i + 1, end);
      let neg = false;
      if (body.startsWith('^')) {
        neg = true;
        body = body.slice(1);
      }
      re += `[${neg ? '^' : ''}${body.replace(/[\]\\]/g, '\\$&')}]`;
      i = end;
    } else re += escapeRegex(ch);
  }
  let compiled: RegExp | undefined;
  if (ok) {
    try {
      compiled = new RegExp(re + '$');
    } catch {
      compiled = undefined;
    }
  }
  if (goCache.size > 2000) goCache.clear();
  goCache.set(pattern, compiled ?? null);
  return compiled;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** True when the pattern has glob characters (`*`, `?`, `[`). */
export function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}
