// Writes THIRD-PARTY-NOTICES.md: the licence of every npm package bundled into the shipped files (the list comes
// from the build's metafile, dist/bundled-packages.json). Bundles strip legal comments, so this file carries them.
// `--check` exits 1 when the file is out of date (run by npm run test:unit).
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const check = process.argv.includes('--check');
const listFile = 'dist/bundled-packages.json';
if (!existsSync(listFile)) {
  console.error(`gen-notices: ${listFile} is missing; run npm run build first`);
  process.exit(2);
}
const names = JSON.parse(readFileSync(listFile, 'utf8'));
const parts = ['# Third-party notices', '', 'Dockerfile Insight bundles the following npm packages into its extension and CLI files.', ''];
for (const name of names) {
  const dir = join('node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  parts.push(`## ${name} ${pkg.version}`, '', `License: ${pkg.license ?? 'see below'}`, '');
  if (licenceFile) parts.push('```text', readFileSync(join(dir, licenceFile), 'utf8').trim(), '```', '');
  else parts.push(`(No licence file in the package; its package.json declares ${pkg.license ?? 'no licence'}.)`, '');
}
const text = parts.join('\n');
if (check) {
  const current = existsSync('THIRD-PARTY-NOTICES.md') ? readFileSync('THIRD-PARTY-NOTICES.md', 'utf8') : '';
  if (current !== text) {
    console.error('gen-notices: THIRD-PARTY-NOTICES.md is out of date (bundled packages changed): run node scripts/gen-notices.mjs');
    process.exit(1);
  }
  console.log(`gen-notices: THIRD-PARTY-NOTICES.md is up to date (${names.length} packages)`);
} else {
  writeFileSync('THIRD-PARTY-NOTICES.md', text);
  console.log(`gen-notices: wrote THIRD-PARTY-NOTICES.md (${names.length} packages)`);
}
