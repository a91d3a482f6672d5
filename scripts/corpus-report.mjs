#!/usr/bin/env node
// npm run corpus-report: lints every Dockerfile of ../shared/corpus/dockerfiles with dist/core.js (default
// configuration, every rule in the registry) and prints, per rule, on how many files it fires: overall and among
// the official images (files named docker-library__*, nginxinc__*, nodejs__*). Rules that fire on many official
// images are the first place to look for false positives.
//
// Usage: node scripts/corpus-report.mjs [--corpus DIR] [--json] [--hits RULE_ID [--official]] [--sort hits]
//   --hits RULE_ID   instead of the table, list each finding of that rule (file:line:col message)
//   --official       with --hits: only the official images
//   --sort hits      order the table by official-image hits (default: registry order)
//   --json           print the table as JSON
// Exit codes: 0 done, 2 usage error or missing dist/core.js / corpus.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const KNOWN = new Set(['--corpus', '--json', '--hits', '--official', '--sort']);
for (let i = 0; i < args.length; i++) {
  if (!KNOWN.has(args[i])) {
    console.error(`corpus-report: unknown argument ${args[i]}`);
    process.exit(2);
  }
  if (args[i] === '--corpus' || args[i] === '--hits' || args[i] === '--sort') i++;
}
const corpus = resolve(opt('--corpus') ?? join(root, '..', 'shared', 'corpus'));
const dir = join(corpus, 'dockerfiles');
const coreFile = join(root, 'dist', 'core.js');
if (!existsSync(coreFile)) {
  console.error('corpus-report: dist/core.js is missing; run `npm run build` first');
  process.exit(2);
}
if (!existsSync(dir)) {
  console.error(`corpus-report: no corpus at ${dir}`);
  process.exit(2);
}
const core = require(coreFile);

const OFFICIAL = /^(docker-library|nginxinc|nodejs)__/;
const isDockerfile = (n) => !n.endsWith('.dockerignore');
const names = readdirSync(dir).filter(isDockerfile).sort();

const hitsRule = opt('--hits');
if (hitsRule && !core.getRule(hitsRule)) {
  console.error(`corpus-report: no rule ${hitsRule}`);
  process.exit(2);
}

/** rule id → { all: Set<file>, official: Set<file>, findings: number } */
const stats = new Map(core.RULES.map((r) => [r.id, { all: new Set(), official: new Set(), findings: 0 }]));
const ruleErrors = [];
let official = 0;
for (const name of names) {
  const text = readFileSync(join(dir, name), 'utf8');
  const isOfficial = OFFICIAL.test(name);
  if (isOfficial) official++;
  const result = core.analyze(text);
  for (const e of result.ruleErrors) ruleErrors.push(`${name}: ${e.ruleId}: ${e.error.split('\n')[0]}`);
  for (const d of result.diagnostics) {
    const s = stats.get(d.ruleId);
    if (!s) continue;
    s.all.add(name);
    if (isOfficial) s.official.add(name);
    s.findings++;
    if (hitsRule === d.ruleId && (!args.includes('--official') || isOfficial)) {
      const line = text.split(/\r\n|\r|\n/)[d.range.start.line] ?? '';
      console.log(`${name}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}\n    ${line.trim().slice(0, 160)}`);
    }
  }
}
if (hitsRule) process.exit(0);

const pct = (n, of) => (of ? `${((100 * n) / of).toFixed(1)}%` : '-');
let rows = core.RULES.map((r) => {
  const s = stats.get(r.id);
  return { rule: r.id, category: r.category, files: s.all.size, filesPct: pct(s.all.size, names.length), official: s.official.size, officialPct: pct(s.official.size, official), findings: s.findings };
});
if (opt('--sort') === 'hits') rows = [...rows].sort((a, b) => b.official - a.official || b.files - a.files);

if (args.includes('--json')) {
  console.log(JSON.stringify({ files: names.length, official, rows, ruleErrors }, null, 2));
  process.exit(0);
}
console.log(`Corpus: ${names.length} Dockerfiles, ${official} official images (docker-library__*, nginxinc__*, nodejs__*)\n`);
console.log('| rule | category | files | % of all | official files | % of official | findings |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const flag = official && r.official * 4 > official ? ' **>25%**' : '';
  console.log(`| \`${r.rule}\` | ${r.category} | ${r.files} | ${r.filesPct} | ${r.official} | ${r.officialPct}${flag} | ${r.findings} |`);
}
if (ruleErrors.length) {
  console.log(`\nRule errors (${ruleErrors.length}):`);
  for (const e of ruleErrors.slice(0, 20)) console.log(`  ${e}`);
}
