// Mocha entry point for --extensionTestsPath: `run()` is called INSIDE the VS Code extension host
// (desktop VS Code, or code-server's Node extension host through scripts/test-tools/bin/code) and
// must reject when a test fails; the runner turns that into the process exit code.
// Env (passed by ../runTest.ts via extensionTestsEnv):
//   DFI_TEST_RESULTS  file to write {passes, failures, passed[], failed[]} to
//   DFI_TEST_GREP     only run tests whose full title matches this regexp
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
type MochaCtor = typeof import('mocha');

async function loadMocha(): Promise<MochaCtor> {
  // mocha 12 is ESM-only: require() of it (Node >= 20.19 / 22.12) returns the module namespace.
  let m: any;
  try {
    m = require('mocha');
  } catch (e: any) {
    if (e?.code !== 'ERR_REQUIRE_ESM') throw e;
    // older Node in the extension host: a real dynamic import (tsc would turn `import()` into require)
    const importer = new Function('u', 'return import(u)') as (u: string) => Promise<any>;
    m = await importer(pathToFileURL(require.resolve('mocha')).href);
  }
  return (m.Mocha || m.default || m) as MochaCtor;
}

export async function run(): Promise<void> {
  const Mocha = await loadMocha();
  const grep = process.env.DFI_TEST_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: 'spec', ...(grep ? { grep } : {}) });
  let files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  // skip stale compiled suites whose TypeScript source was deleted (out/ is not cleaned by tsc)
  const srcDir = path.resolve(__dirname, '../../../../test/integration/suite');
  if (fs.existsSync(srcDir)) {
    const stale = files.filter((f) => !fs.existsSync(path.join(srcDir, f.replace(/\.js$/, '.ts'))));
    if (stale.length) console.warn(`skipping stale compiled suites (no .ts source): ${stale.join(', ')}`);
    files = files.filter((f) => !stale.includes(f));
  }
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  // addFile + run() would load the files with require(); loadFilesAsync also copes with ESM test files
  await mocha.loadFilesAsync();

  const passed: string[] = [];
  const failed: { title: string; error: string }[] = [];
  const started = Date.now();
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n) => resolve(n));
    runner.on('pass', (t) => passed.push(t.fullTitle()));
    runner.on('fail', (t, err) => failed.push({ title: t.fullTitle(), error: String(err?.stack || err?.message || err) }));
  });
  const resultsFile = process.env.DFI_TEST_RESULTS;
  if (resultsFile) {
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(
      resultsFile,
      JSON.stringify({ passes: passed.length, failures, ms: Date.now() - started, passed, failed }, null, 2),
    );
  }
  if (failures > 0) throw new Error(`${failures} test(s) failed.`);
}
