// Launches the integration suites (test/integration/suite) inside a real VS Code.
//
//  * With the offline tools (`.tools/`, from scripts/test-tools/install.sh) or DFI_VSCODE_EXECUTABLE set:
//    @vscode/test-electron's runTests() gets `vscodeExecutablePath` = scripts/test-tools/bin/code, a
//    stand-in that runs the suites in code-server's real VS Code 1.139 extension host (headless
//    Chromium). This is what CI and offline machines use; see docs/testing.md.
//  * Otherwise runTests() downloads desktop VS Code (DFI_VSCODE_VERSION, default "stable"): for
//    developers with internet. DFI_USE_DESKTOP=1 forces this even when `.tools/` exists.
//
// The fixture workspace is copied to test-results/integration/workspace first, so tests may edit
// files and write workspace settings. Artifacts (logs, failure.png, results.json) go to
// test-results/integration/. Env: DFI_TEST_GREP (regexp on test titles), VSCODE_SHIM_TIMEOUT (s).
// The extension must be built first (`npm run build` → dist/extension.js) and the tests compiled
// (`tsc -p tsconfig.test.json` → out/test/...).
import * as fs from 'fs';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '../../..'); // out/test/integration → project root
const RESULTS = path.join(ROOT, 'test-results', 'integration');
const TOOLS = process.env.DFI_TOOLS_DIR || path.join(ROOT, '.tools');

function pickExecutable(): string | undefined {
  if (process.env.DFI_VSCODE_EXECUTABLE) return path.resolve(process.env.DFI_VSCODE_EXECUTABLE);
  if (process.env.DFI_USE_DESKTOP === '1') return undefined;
  const codeServer = path.join(TOOLS, 'code-server/node_modules/code-server/out/node/entry.js');
  if (fs.existsSync(codeServer)) return path.join(ROOT, 'scripts/test-tools/bin/code');
  if (fs.existsSync(TOOLS)) {
    console.warn(`[integration] ${TOOLS} exists but has no code-server: run scripts/test-tools/install.sh`);
  }
  return undefined;
}

function summary(): { passes: number; failures: number; failed: { title: string; error: string }[] } | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(RESULTS, 'results.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const extensionDevelopmentPath = ROOT;
  const extensionTestsPath = path.join(__dirname, 'suite', 'index.js');
  if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) {
    console.error('[integration] dist/extension.js is missing: run `npm run build` first');
    return 2;
  }
  if (!fs.existsSync(extensionTestsPath)) {
    console.error(`[integration] ${extensionTestsPath} is missing: run \`npx tsc -p tsconfig.test.json\` first`);
    return 2;
  }

  // fresh workspace copy and profile for every run: no state leaks between runs
  const workspace = path.join(RESULTS, 'workspace');
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });

  const vscodeExecutablePath = pickExecutable();
  console.log(
    `[integration] VS Code: ${vscodeExecutablePath ? `${path.relative(ROOT, vscodeExecutablePath)} (offline, code-server)` : `desktop ${process.env.DFI_VSCODE_VERSION || 'stable'} (download)`}`,
  );
  let code = 0;
  try {
    await runTests({
      ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version: process.env.DFI_VSCODE_VERSION || 'stable' }),
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions (desktop); built-ins such as the dockerfile grammar stay
        `--user-data-dir=${path.join(RESULTS, 'user-data')}`,
        `--extensions-dir=${path.join(RESULTS, 'extensions')}`,
      ],
      extensionTestsEnv: {
        DFI_TEST_RESULTS: path.join(RESULTS, 'results.json'),
        DFI_TEST_GREP: process.env.DFI_TEST_GREP || '',
        VSCODE_SHIM_ARTIFACTS: RESULTS,
      },
    });
  } catch (err) {
    const e = err as { code?: number; message?: string };
    console.error(`[integration] VS Code exited with an error: ${e.message ?? err}`);
    code = typeof e.code === 'number' && e.code !== 0 ? e.code : 1;
  }
  const s = summary();
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`[integration] ${secs}s; artifacts in ${path.relative(ROOT, RESULTS)}/`);
  if (!s) {
    console.log('integration: 0 passed, 1 failed (no results: the suite did not run to completion)');
    return code || 1;
  }
  for (const f of s.failed) console.log(`[integration] FAILED: ${f.title}`);
  // The closing line CI reads; a run with failures or a non-zero VS Code exit never exits 0.
  console.log(`integration: ${s.passes} passed, ${s.failures} failed`);
  return code || (s.failures > 0 ? 1 : 0);
}

main().then(
  (c) => process.exit(c),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
