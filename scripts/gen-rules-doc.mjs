#!/usr/bin/env node
/**
 * Regenerates the rules table in README.md from the rule registry.
 *
 *   node scripts/gen-rules-doc.mjs           rewrites the part of README.md between the markers
 *   node scripts/gen-rules-doc.mjs --check   writes nothing; exits 1 when README.md is out of date
 *
 * The registry is read from the built CLI (`node dist/cli.js rules --format json`), so build first
 * (`npm run rules-doc` does both). The table goes between these two lines, which must each appear once:
 *
 *   <!-- rules:start -->
 *   <!-- rules:end -->
 *
 * Every rule must have a page docs/rules/<id>.md (the table links to it); a missing page is an error.
 * Exit codes: 0 done / up to date, 1 out of date or a problem with README.md or the docs, 2 usage or CLI error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(ROOT, 'README.md');
const CLI = join(ROOT, 'dist', 'cli.js');
const DOCS = join(ROOT, 'docs', 'rules');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

const args = process.argv.slice(2);
const check = args.includes('--check');
for (const a of args) {
  if (a !== '--check') {
    console.error(`gen-rules-doc: unknown argument ${a} (usage: node scripts/gen-rules-doc.mjs [--check])`);
    process.exit(2);
  }
}

function fail(message, code = 1) {
  console.error(`gen-rules-doc: ${message}`);
  process.exit(code);
}

if (!existsSync(CLI)) fail('dist/cli.js not found: build first (npm run build, or npm run rules-doc).', 2);

let rules;
try {
  const out = execFileSync(process.execPath, [CLI, 'rules', '--format', 'json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  rules = JSON.parse(out);
} catch (e) {
  const stderr = e && typeof e === 'object' && 'stderr' in e ? String(e.stderr).trim() : '';
  fail(`could not read the rule registry from dist/cli.js: ${stderr || (e instanceof Error ? e.message : String(e))}`, 2);
}
if (!Array.isArray(rules) || rules.length === 0) fail('dist/cli.js rules --format json returned no rules.', 2);

const TOOLS = [
  ['hadolint', 'hadolint'],
  ['buildkit', 'BuildKit'],
  ['trivy', 'Trivy'],
];

/** Escapes text for a Markdown table cell. */
function cell(text) {
  return String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function aliasCell(aliases) {
  const parts = [];
  for (const [key, label] of TOOLS) {
    const codes = aliases?.[key];
    if (codes && codes.length) parts.push(`${label} ${codes.map((c) => `\`${c}\``).join(', ')}`);
  }
  // Tools this script does not know yet still show up rather than vanish.
  for (const [key, codes] of Object.entries(aliases ?? {})) {
    if (!TOOLS.some(([k]) => k === key) && codes && codes.length) parts.push(`${key} ${codes.map((c) => `\`${c}\``).join(', ')}`);
  }
  return parts.length ? parts.join('<br>') : '—';
}

const problems = [];
for (const r of rules) {
  if (!existsSync(join(DOCS, `${r.id}.md`))) problems.push(`docs/rules/${r.id}.md is missing (every rule needs a docs page).`);
}
const ids = new Set(rules.map((r) => r.id));
const stalePages = existsSync(DOCS) ? readdirSync(DOCS).filter((f) => f.endsWith('.md') && !ids.has(f.slice(0, -3))) : [];
for (const f of stalePages) console.warn(`gen-rules-doc: warning: docs/rules/${f} has no rule in the registry.`);

const lines = [
  '| Rule | Category | Default severity | Aliases | Quick fix | What it flags |',
  '|---|---|---|---|---|---|',
  ...rules.map((r) => `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${cell(r.category)} | ${cell(r.defaultEnabled === false ? `off (${r.severity} when on)` : r.severity)} | ${aliasCell(r.aliases)} | ${r.fixable ? 'yes' : '—'} | ${cell(r.title)} |`),
];

if (!existsSync(README)) fail('README.md not found (it needs the markers <!-- rules:start --> and <!-- rules:end -->).');
const readme = readFileSync(README, 'utf8');
const eol = readme.includes('\r\n') ? '\r\n' : '\n';
const count = (s) => readme.split(s).length - 1;
if (count(START) !== 1 || count(END) !== 1) {
  fail(`README.md must contain each marker exactly once: ${START} (found ${count(START)}) and ${END} (found ${count(END)}).`);
}
const startAt = readme.indexOf(START);
const endAt = readme.indexOf(END);
if (endAt < startAt) fail(`in README.md, ${END} comes before ${START}.`);

const table = lines.join(eol);
const updated = readme.slice(0, startAt + START.length) + eol + eol + table + eol + eol + readme.slice(endAt);

if (problems.length) {
  for (const p of problems) console.error(`gen-rules-doc: ${p}`);
}

if (check) {
  if (updated !== readme) {
    console.error('gen-rules-doc: README.md rules table is out of date: run npm run rules-doc.');
    process.exit(1);
  }
  if (problems.length) process.exit(1);
  console.log(`gen-rules-doc: README.md rules table is up to date (${rules.length} rules).`);
  process.exit(0);
}

if (updated !== readme) writeFileSync(README, updated);
console.log(`gen-rules-doc: ${updated !== readme ? 'updated' : 'unchanged'} README.md rules table (${rules.length} rules).`);
if (problems.length) process.exit(1);
