#!/usr/bin/env node
/**
 * Extracts the user-facing strings of src/ into the vscode.l10n bundle and checks the translations.
 *
 *   node scripts/l10n-extract.mjs           writes l10n/bundle.l10n.json (English: key = value = message)
 *   node scripts/l10n-extract.mjs --check   writes nothing; exits 1 when l10n/bundle.l10n.json is out of date,
 *                                           or when a translation bundle misses a key, has a stale key, or
 *                                           changes the placeholders ({0}, {1}, ...) of a message
 *
 * Conventions (what the scanner relies on; keep to them when adding messages):
 *
 *  1. A message is the first argument of `t(...)` (src/core/l10n.ts) or `vscode.l10n.t(...)` (src/extension),
 *     written as ONE string literal in single or double quotes (escapes such as \' are fine). Placeholders are
 *     `{0}`, `{1}`, ... and the values go in the later arguments. Template literals (`...`) and concatenations
 *     ('a' + b) are reported as errors with file:line: the English text must be known at build time, because it
 *     is the lookup key of the translation.
 *
 *  2. A few calls pass a message through a variable. Their strings are collected from where they are written,
 *     and each such call site must be listed in INDIRECT below (any other non-literal first argument is an error):
 *       - `t(info.summary)` in src/core/instructions.ts: every string-literal value of a property named
 *         `summary` in src/core/instructions.ts (the INSTRUCTIONS table);
 *       - `t(p.message, ...p.args)` in src/core/rules/syntaxError.ts: every string-literal `message:` property
 *         inside a `problems.push({...})` call in src/core/model.ts (ParseProblem templates);
 *       - `vscode.l10n.t(message, ...args)` in src/extension/shared/activate.ts: the bridge that routes the core's
 *         `t()` to vscode.l10n; it carries the core's messages, which are extracted at their own call sites.
 *
 *  3. Comments are ignored; a `t(` inside a string or a comment is not a call. Function declarations
 *     (`function t(`) are not calls. Only a bare `t(` and `<something>.l10n.t(` count; other `x.t(` do not.
 *
 * Translation bundles: every l10n/bundle.l10n.<locale>.json next to the English bundle is checked with --check.
 */
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const L10N_DIR = join(ROOT, 'l10n');
const ENGLISH = join(L10N_DIR, 'bundle.l10n.json');
const REQUIRED_LOCALES = ['zh-cn'];

/** Call sites whose first argument is not a literal, by file and the argument's text (see convention 2). */
const INDIRECT = [
  { file: 'src/core/instructions.ts', expr: 'info.summary' },
  { file: 'src/core/rules/syntaxError.ts', expr: 'p.message' },
  { file: 'src/extension/shared/activate.ts', expr: 'message' },
];

/** Strings collected from property values instead of call sites (see convention 2). */
const PROPERTY_SOURCES = [
  { file: 'src/core/instructions.ts', property: 'summary', within: null },
  { file: 'src/core/model.ts', property: 'message', within: 'problems.push' },
];

const check = process.argv.includes('--check');
for (const a of process.argv.slice(2)) {
  if (a !== '--check') {
    console.error(`l10n-extract: unknown argument ${a} (usage: node scripts/l10n-extract.mjs [--check])`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A small TypeScript tokenizer: enough to tell code from strings, template literals, comments and regex literals.

/**
 * @typedef {{ kind: 'ident'|'punct'|'string'|'template'|'number'|'regex', text: string, value?: string,
 *             start: number, end: number, line: number }} Token
 */

const IDENT_START = /[A-Za-z_$]/;
const IDENT_CHAR = /[A-Za-z0-9_$]/;
/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/** @returns {{ tokens: Token[], errors: string[] }} */
function tokenize(text, file) {
  /** @type {Token[]} */
  const tokens = [];
  const errors = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  // Stack of open template literals / braces, so `${ ... }` inside templates is tokenized as code.
  const braceStack = [];

  const regexAllowed = () => {
    const prev = tokens[tokens.length - 1];
    if (!prev) return true;
    if (prev.kind === 'ident') return REGEX_AFTER_KEYWORDS.has(prev.text);
    if (prev.kind === 'punct') return !(prev.text === ')' || prev.text === ']' || prev.text === '}');
    return false;
  };

  /** Reads a template literal body from i (just after ` or after the } closing a substitution). */
  const readTemplatePart = (startPos, startLine) => {
    let raw = '';
    while (i < n) {
      const c = text[i];
      if (c === '\\') {
        raw += text.slice(i, i + 2);
        if (text[i + 1] === '\n') line++;
        i += 2;
        continue;
      }
      if (c === '`') {
        i++;
        tokens.push({ kind: 'template', text: text.slice(startPos, i), value: raw, start: startPos, end: i, line: startLine });
        return;
      }
      if (c === '$' && text[i + 1] === '{') {
        i += 2;
        tokens.push({ kind: 'template', text: text.slice(startPos, i), value: raw, start: startPos, end: i, line: startLine });
        braceStack.push('template');
        return;
      }
      if (c === '\n') line++;
      raw += c;
      i++;
    }
    errors.push(`${file}:${startLine}: unterminated template literal`);
  };

  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
      continue;
    }
    const start = i;
    const startLine = line;
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      let closed = false;
      while (i < n) {
        const d = text[i];
        if (d === '\\') {
          const e = text[i + 1];
          const simple = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };
          if (e === 'u') {
            const m = /^u\{([0-9a-fA-F]+)\}|^u([0-9a-fA-F]{4})/.exec(text.slice(i + 1));
            if (m) {
              value += String.fromCodePoint(parseInt(m[1] ?? m[2], 16));
              i += 1 + m[0].length;
              continue;
            }
          }
          if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          if (e === '\r' && text[i + 2] === '\n') {
            line++;
            i += 3;
            continue;
          }
          if (e === '\n') {
            line++;
            i += 2;
            continue;
          }
          value += e in simple ? simple[e] : e;
          i += 2;
          continue;
        }
        if (d === c) {
          i++;
          closed = true;
          break;
        }
        if (d === '\n') {
          errors.push(`${file}:${startLine}: unterminated string literal`);
          break;
        }
        value += d;
        i++;
      }
      if (!closed && i >= n) errors.push(`${file}:${startLine}: unterminated string literal`);
      tokens.push({ kind: 'string', text: text.slice(start, i), value, start, end: i, line: startLine });
      continue;
    }
    if (c === '`') {
      i++;
      readTemplatePart(start, startLine);
      continue;
    }
    if (IDENT_START.test(c)) {
      while (i < n && IDENT_CHAR.test(text[i])) i++;
      tokens.push({ kind: 'ident', text: text.slice(start, i), start, end: i, line: startLine });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < n && /[0-9A-Za-z_.]/.test(text[i])) i++;
      tokens.push({ kind: 'number', text: text.slice(start, i), start, end: i, line: startLine });
      continue;
    }
    if (c === '/' && regexAllowed()) {
      // Regular expression literal: skip to the closing / (outside a character class), then the flags.
      i++;
      let inClass = false;
      while (i < n && text[i] !== '\n') {
        const d = text[i];
        if (d === '\\') {
          i += 2;
          continue;
        }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < n && IDENT_CHAR.test(text[i])) i++;
      tokens.push({ kind: 'regex', text: text.slice(start, i), start, end: i, line: startLine });
      continue;
    }
    if (c === '{') {
      braceStack.push('brace');
      i++;
      tokens.push({ kind: 'punct', text: c, start, end: i, line: startLine });
      continue;
    }
    if (c === '}') {
      const top = braceStack.pop();
      i++;
      if (top === 'template') {
        readTemplatePart(start, startLine);
        continue;
      }
      tokens.push({ kind: 'punct', text: c, start, end: i, line: startLine });
      continue;
    }
    // Multi-character punctuators matter only for `...`, `?.` and `=>`; everything else can be one character.
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const p = three === '...' ? three : two === '?.' || two === '=>' ? two : c;
    i += p.length;
    tokens.push({ kind: 'punct', text: p, start, end: i, line: startLine });
  }
  return { tokens, errors };
}

// ---------------------------------------------------------------------------------------------------------------

function listTs(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...listTs(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Index of the token that closes the bracket opened at tokens[open] (or tokens.length when unbalanced). */
function matchingClose(tokens, open) {
  const pairs = { '(': ')', '[': ']', '{': '}' };
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const tk = tokens[k];
    if (tk.kind !== 'punct') continue;
    if (tk.text in pairs) depth++;
    else if (tk.text === ')' || tk.text === ']' || tk.text === '}') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return tokens.length;
}

/** End index (exclusive) of the first argument of a call whose `(` is tokens[open]: stops at a top-level `,` or `)`. */
function firstArgumentEnd(tokens, open) {
  const pairs = { '(': ')', '[': ']', '{': '}' };
  let depth = 0;
  for (let k = open + 1; k < tokens.length; k++) {
    const tk = tokens[k];
    if (tk.kind === 'template') {
      // `...${ opens a substitution; }...` closes one; }...${ does both.
      depth += (tk.text.endsWith('`') ? 0 : 1) - (tk.text.startsWith('}') ? 1 : 0);
      continue;
    }
    if (tk.kind !== 'punct') continue;
    if (tk.text in pairs) depth++;
    else if (tk.text === ')' || tk.text === ']' || tk.text === '}') {
      if (depth === 0) return k;
      depth--;
    } else if (tk.text === ',' && depth === 0) return k;
  }
  return tokens.length;
}

/** @type {Map<string, { message: string, sites: string[] }>} */
const messages = new Map();
const errors = [];
const seenIndirect = new Set();

function addMessage(message, site) {
  if (message.trim() === '') {
    errors.push(`${site}: empty message`);
    return;
  }
  const entry = messages.get(message);
  if (entry) entry.sites.push(site);
  else messages.set(message, { message, sites: [site] });
}

const files = listTs(SRC);
for (const abs of files) {
  const file = relative(ROOT, abs).split('\\').join('/');
  const text = readFileSync(abs, 'utf8');
  const { tokens, errors: lexErrors } = tokenize(text, file);
  errors.push(...lexErrors);

  // 1. Calls: t(...) and <x>.l10n.t(...)
  for (let k = 0; k < tokens.length; k++) {
    const tk = tokens[k];
    if (tk.kind !== 'ident' || tk.text !== 't') continue;
    const next = tokens[k + 1];
    if (!next || next.kind !== 'punct' || next.text !== '(') continue;
    const prev = tokens[k - 1];
    if (prev && prev.kind === 'ident' && prev.text === 'function') continue; // declaration
    if (prev && prev.kind === 'punct' && (prev.text === '.' || prev.text === '?.')) {
      const owner = tokens[k - 2];
      if (!owner || owner.kind !== 'ident' || owner.text !== 'l10n') continue; // some other object's t()
    }
    const end = firstArgumentEnd(tokens, k + 1);
    const arg = tokens.slice(k + 2, end);
    const site = `${file}:${tk.line}`;
    if (arg.length === 0) {
      errors.push(`${site}: t() without a message`);
      continue;
    }
    if (arg.length === 1 && arg[0].kind === 'string') {
      addMessage(arg[0].value, site);
      continue;
    }
    if (arg[0].kind === 'template') {
      errors.push(`${site}: template literal used as a message (${text.slice(arg[0].start, arg[arg.length - 1].end).replace(/\s+/g, ' ').slice(0, 80)}); use a '...' string with {0} placeholders`);
      continue;
    }
    const exprText = text.slice(arg[0].start, arg[arg.length - 1].end).replace(/\s+/g, '');
    const indirect = INDIRECT.find((x) => x.file === file && x.expr === exprText);
    if (indirect) {
      seenIndirect.add(`${indirect.file}|${indirect.expr}`);
      continue;
    }
    if (arg.some((a) => a.kind === 'string' || a.kind === 'template')) {
      errors.push(`${site}: the message must be one string literal, not an expression (${exprText.slice(0, 80)})`);
    } else {
      errors.push(`${site}: t(${exprText.slice(0, 60)}) passes the message through a variable; write the literal here, or collect its strings at their source and list this call in INDIRECT in scripts/l10n-extract.mjs`);
    }
  }

  // 2. Property values used as messages elsewhere.
  for (const src of PROPERTY_SOURCES.filter((s) => s.file === file)) {
    /** @type {Array<[number, number]>} token ranges to search */
    const ranges = [];
    if (src.within) {
      const parts = src.within.split('.');
      for (let k = 0; k + parts.length * 2 - 1 < tokens.length; k++) {
        let ok = true;
        for (let j = 0; j < parts.length && ok; j++) {
          const t1 = tokens[k + j * 2];
          ok = t1.kind === 'ident' && t1.text === parts[j];
          if (ok && j < parts.length - 1) ok = tokens[k + j * 2 + 1].kind === 'punct' && tokens[k + j * 2 + 1].text === '.';
        }
        const open = k + parts.length * 2 - 1;
        if (ok && tokens[open]?.text === '(') ranges.push([open, matchingClose(tokens, open)]);
      }
      if (ranges.length === 0) errors.push(`${file}: no ${src.within}(...) call found; update PROPERTY_SOURCES in scripts/l10n-extract.mjs`);
    } else ranges.push([0, tokens.length]);
    let found = 0;
    for (const [from, to] of ranges) {
      for (let k = from; k < to - 2; k++) {
        const tk = tokens[k];
        if (tk.kind !== 'ident' || tk.text !== src.property) continue;
        if (tokens[k + 1].kind !== 'punct' || tokens[k + 1].text !== ':') continue;
        const prev = tokens[k - 1];
        // A property in an object literal follows `{` or `,`; skip type annotations such as `summary: string`.
        if (!prev || prev.kind !== 'punct' || (prev.text !== '{' && prev.text !== ',')) continue;
        const valueEnd = firstArgumentEnd(tokens, k + 1);
        const value = tokens.slice(k + 2, valueEnd);
        const site = `${file}:${tk.line}`;
        // A `;` at the top level means an interface/type member (`summary: string;`), not an object literal.
        if (value.some((v) => v.kind === 'punct' && v.text === ';')) continue;
        if (value.length === 1 && value[0].kind === 'string') {
          addMessage(value[0].value, site);
          found++;
        } else if (value[0]?.kind === 'template') {
          errors.push(`${site}: template literal as a ${src.property} (it is translated as a message); use a '...' string with {0} placeholders`);
        } else {
          errors.push(`${site}: ${src.property}: must be one string literal (it is translated as a message)`);
        }
      }
    }
    if (found === 0) errors.push(`${file}: no string-literal ${src.property}: values found; update PROPERTY_SOURCES in scripts/l10n-extract.mjs`);
  }
}

for (const x of INDIRECT) {
  if (!seenIndirect.has(`${x.file}|${x.expr}`)) {
    errors.push(`${x.file}: the indirect call t(${x.expr}) listed in INDIRECT was not found; update INDIRECT in scripts/l10n-extract.mjs`);
  }
}

// Placeholders must be numbered from 0 without gaps: vscode.l10n.t fills {n} from the n-th argument.
const placeholders = (s) => [...new Set([...s.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
for (const { message, sites } of messages.values()) {
  const ph = placeholders(message);
  if (ph.some((v, idx) => v !== idx)) errors.push(`${sites[0]}: placeholders ${ph.map((v) => `{${v}}`).join(', ')} are not numbered {0}, {1}, ... in "${message}"`);
}

if (errors.length) {
  for (const e of errors) console.error(`error: ${e}`);
  console.error(`l10n-extract: ${errors.length} error(s); ${check ? 'check failed' : 'nothing written'}.`);
  process.exit(1);
}

const keys = [...messages.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const english = Object.fromEntries(keys.map((k) => [k, k]));
const englishText = JSON.stringify(english, null, 2) + '\n';

const readJson = (path) => {
  try {
    return JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    console.error(`error: ${relative(ROOT, path)}: ${e.code === 'ENOENT' ? 'missing' : `not valid JSON (${e.message})`}`);
    return undefined;
  }
};

if (!check) {
  if (!existsSync(L10N_DIR)) mkdirSync(L10N_DIR, { recursive: true });
  const before = existsSync(ENGLISH) ? readFileSync(ENGLISH, 'utf8') : '';
  if (before !== englishText) writeFileSync(ENGLISH, englishText);
  console.log(`l10n-extract: ${keys.length} messages from ${files.length} files → ${relative(ROOT, ENGLISH)}${before === englishText ? ' (unchanged)' : ''}`);
  console.log('Run with --check to verify the translations.');
  process.exit(0);
}

let failed = false;
const current = existsSync(ENGLISH) ? readFileSync(ENGLISH, 'utf8') : '';
if (current !== englishText) {
  failed = true;
  console.error(`error: ${relative(ROOT, ENGLISH)} is out of date: run node scripts/l10n-extract.mjs`);
}

const locales = new Set(REQUIRED_LOCALES);
for (const name of existsSync(L10N_DIR) ? readdirSync(L10N_DIR) : []) {
  const m = /^bundle\.l10n\.(.+)\.json$/.exec(name);
  if (m) locales.add(m[1]);
}
for (const locale of [...locales].sort()) {
  const path = join(L10N_DIR, `bundle.l10n.${locale}.json`);
  const bundle = readJson(path);
  if (!bundle || typeof bundle !== 'object' || Array.isArray(bundle)) {
    failed = true;
    continue;
  }
  const rel = relative(ROOT, path);
  const missing = keys.filter((k) => typeof bundle[k] !== 'string' || bundle[k].trim() === '');
  const stale = Object.keys(bundle).filter((k) => !messages.has(k));
  const badPlaceholders = keys.filter((k) => typeof bundle[k] === 'string' && bundle[k].trim() !== ''
    && placeholders(k).join(',') !== placeholders(bundle[k]).join(','));
  if (missing.length) {
    failed = true;
    console.error(`error: ${rel}: ${missing.length} missing translation(s):`);
    for (const k of missing) console.error(`  - ${JSON.stringify(k)}  (${messages.get(k).sites.join(', ')})`);
  }
  if (stale.length) {
    failed = true;
    console.error(`error: ${rel}: ${stale.length} stale key(s) no longer in the source:`);
    for (const k of stale) console.error(`  - ${JSON.stringify(k)}`);
  }
  if (badPlaceholders.length) {
    failed = true;
    console.error(`error: ${rel}: ${badPlaceholders.length} translation(s) with different placeholders than the English message:`);
    for (const k of badPlaceholders) console.error(`  - ${JSON.stringify(k)} → ${JSON.stringify(bundle[k])}`);
  }
  if (!missing.length && !stale.length && !badPlaceholders.length) console.log(`${rel}: ${keys.length}/${keys.length} messages translated.`);
}

if (failed) {
  console.error('l10n-extract --check: FAILED');
  process.exit(1);
}
console.log(`l10n-extract --check: OK (${keys.length} messages).`);
