// One esbuild script for every bundle: the Node extension host, the browser (web worker) extension host,
// the CLI and the webview bundles. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { chmodSync, writeFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: ['src/extension/node/main.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
  {
    // The browser build proves that src/core and the shared extension code need nothing from Node.
    ...common,
    entryPoints: ['src/extension/web/main.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['vscode'],
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
    inject: ['src/extension/web/bufferShim.ts'],
  },
  {
    // The core built exactly as the browser extension gets it, for the unit test that runs it with no Node globals
    // (test/unit/bundles.test.ts). Not shipped in the VSIX.
    ...common,
    entryPoints: ['src/core/index.ts'],
    outfile: 'dist/web/core.js',
    platform: 'browser',
    format: 'iife',
    globalName: 'dockerfileInsightCore',
    target: 'es2022',
    inject: ['src/extension/web/bufferShim.ts'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The core as a plain CommonJS library, for the benchmark and scripts (not shipped in the VSIX).
    ...common,
    entryPoints: ['src/core/index.ts'],
    outfile: 'dist/core.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    // The benchmark times bare dockerfile-ast against our analysis: both must run the same copy of the parser.
    external: ['dockerfile-ast'],
  },
  {
    // Webview front ends (diagram panel, concept article) and their stylesheet: dist/webview/*.{js,css}.
    ...common,
    entryPoints: { diagram: 'src/webview/diagram.ts', article: 'src/webview/article.ts', style: 'src/webview/style.css' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] watching for changes');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile: true })));
  chmodSync('dist/cli.js', 0o755);
  // Which npm packages end up inside the shipped bundles: scripts/gen-notices.mjs lists their licences.
  const shipped = new Set();
  results.forEach((r, i) => {
    const out = builds[i].outfile ?? builds[i].outdir;
    if (out === 'dist/core.js' || out === 'dist/web/core.js') return; // test and script builds, not shipped
    for (const input of Object.keys(r.metafile.inputs)) {
      const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.split('node_modules/').length > 2 ? input.slice(input.lastIndexOf('node_modules/')) : input);
      if (m) shipped.add(m[1]);
    }
  });
  writeFileSync('dist/bundled-packages.json', JSON.stringify([...shipped].sort(), null, 2) + '\n');
}
