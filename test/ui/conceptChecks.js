// UI checks of the concept sidebar, the article page and the diagram panel, run by test/ui/run.js in the real
// workbench (code-server + Chromium). Also takes the panel's screenshots in light, dark and high-contrast themes
// (test-results/ui/theme-*.png; with DFI_UI_DOCS=1 also docs/images/diagram-panel-*.png).
// Webviews are `iframe.webview.ready` overlays at the workbench root with the page in an inner `#active-frame`
// (shared/recipes/vscode-offline/RECIPE.md); frameWith() finds the page that holds a selector.
'use strict';
const fs = require('fs');
const path = require('path');

// Labels as the theme picker shows them in VS Code 1.139 (the 2026 themes are its defaults).
const THEMES = [
  { id: 'light', theme: 'Light 2026', workbench: 'vs', body: 'vscode-light' },
  { id: 'dark', theme: 'Dark 2026', workbench: 'vs-dark', body: 'vscode-dark' },
  { id: 'high-contrast', theme: 'Dark High Contrast', workbench: 'hc-black', body: 'vscode-high-contrast' },
  { id: 'high-contrast-light', theme: 'Light High Contrast', workbench: 'hc-light', body: 'vscode-high-contrast-light' },
];

async function frameWith(page, selector, timeout = 20000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      try {
        const el = await f.$(selector);
        if (el) return f;
      } catch { /* frame navigating */ }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview page has ${selector}`);
}

async function paletteCommand(page, id, label) {
  const qi = page.locator('.quick-input-widget input');
  // F1 goes to the workbench only when it has the focus (a focused webview may keep the key): take it back first
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Escape');
    if (attempt > 0) await page.locator('.part.editor .tab.active').first().click({ timeout: 3000 }).catch(() => {});
    await page.keyboard.press('F1');
    if (await qi.waitFor({ state: 'visible', timeout: 4000 }).then(() => true, () => false)) break;
  }
  await qi.fill(`>${label}`, { timeout: 10000 });
  const row = page.locator(`.quick-input-list .monaco-list-row:has([data-quick-input-id="${id}"])`).first();
  await row.waitFor({ timeout: 10000 }).catch(() => { throw new Error(`"${label}" (${id}) is not in the command palette`); });
  await row.click();
}

async function openFile(page, name, text) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const qi = page.locator('.quick-input-widget input');
  await qi.waitFor({ state: 'visible', timeout: 15000 });
  await qi.fill(name);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${name},"]`).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.editor-instance .view-lines:has-text("${text}")`, { timeout: 30000 });
}

/** Switches the color theme as a user does: Preferences: Color Theme, type the name, Enter. */
async function setTheme(page, t) {
  // give the editor the focus (the panel follows the cursor: USER app is in the target stage it shows)
  await page.locator('.editor-instance .view-line', { hasText: 'USER app' }).first().click({ timeout: 5000 }).catch(() => {});
  await paletteCommand(page, 'workbench.action.selectTheme', 'Preferences: Color Theme');
  const qi = page.locator('.quick-input-widget input');
  await qi.waitFor({ state: 'visible', timeout: 10000 });
  await qi.fill(t.theme);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${t.theme}"]`).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  await page.waitForFunction((cls) => document.querySelector('.monaco-workbench')?.classList.contains(cls), t.workbench, { timeout: 20000 });
}

/**
 * @param {{ page: any, check: (name: string, fn: () => Promise<any>) => Promise<boolean>, out: string, root: string,
 *           log: (...a: any[]) => void }} ctx
 */
async function conceptChecks({ page, check, out, root, log }) {
  const sidebarOk = await check('concepts-sidebar', async () => {
    await page.keyboard.press('Escape');
    const item = page.locator('.activitybar .action-item a[aria-label^="Dockerfile Insight"], .activitybar .action-item[aria-label^="Dockerfile Insight"]').first();
    await item.waitFor({ state: 'visible', timeout: 15000 });
    const checked = await item.evaluate((e) => (e.closest('.action-item') || e).classList.contains('checked')).catch(() => false);
    if (!checked) await item.click();
    const sidebar = page.locator('.part.sidebar');
    const rows = sidebar.locator('.monaco-list-row');
    await rows.filter({ hasText: 'Security' }).first().waitFor({ timeout: 15000 });
    const texts = (await rows.allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
    for (const want of ['Virtualization', 'Containers', 'Images & layers', 'Docker architecture', 'Security', 'Union mounts and copy-on-write']) {
      if (!texts.includes(want)) throw new Error(`no row "${want}" in ${JSON.stringify(texts)}`);
    }
    return `${texts.length} rows: ${texts.slice(0, 6).join(' | ')} …`;
  });

  if (sidebarOk) {
    await check('concept-article', async () => {
      const title = 'Root in a container is root on the host';
      await page.locator('.part.sidebar .monaco-list-row').filter({ hasText: title }).first().click();
      const f = await frameWith(page, 'main.article h1');
      const h1 = (await f.locator('main.article h1').innerText()).trim();
      if (h1 !== title) throw new Error(`article heading is ${JSON.stringify(h1)}`);
      const svgs = await f.locator('main.article svg').count();
      if (svgs < 1) throw new Error('the article shows no diagram');
      const tab = page.locator('.tab', { hasText: title }).first();
      await tab.waitFor({ timeout: 5000 });
      return `article "${h1}" with ${svgs} diagram(s)`;
    });
  }

  // The diagram panel on a two-stage Dockerfile, beside the editor.
  await paletteCommand(page, 'workbench.action.closeAllGroups', 'View: Close All Editor Groups').catch((e) => log(`close all: ${e.message}`));
  let panel;
  const panelOk = await check('diagram-panel', async () => {
    await openFile(page, 'clean.dockerfile', 'node:20.11-alpine');
    await paletteCommand(page, 'dockerfileInsight.showDiagrams', 'Dockerfile Insight: Show Architecture Diagrams');
    panel = await frameWith(page, '.stage-graph .node.kind-stage', 30000);
    const labels = await panel.locator('.stage-graph .node.kind-stage .node-label').allTextContents();
    if (JSON.stringify(labels.sort()) !== JSON.stringify(['#1', 'build'])) throw new Error(`stage nodes ${JSON.stringify(labels)}`);
    const blocks = await panel.locator('ol.stack .block').count();
    const heading = (await panel.locator('#stack-heading').innerText()).trim();
    if (!/#1/.test(heading)) throw new Error(`the target stage is not selected: ${heading}`);
    if (blocks < 5) throw new Error(`only ${blocks} block(s) in the layer stack`);
    return `stages ${labels.join(', ')}; "${heading}" with ${blocks} blocks`;
  });

  if (panelOk) {
    await check('diagram-keyboard', async () => {
      // Tab order reaches the stage nodes; Enter on "build" selects it and reveals its FROM line (line 2).
      const node = panel.locator('.stage-graph .node[data-stage="0"]');
      await node.focus();
      const focused = await panel.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-key'));
      if (focused !== 'node:s0') throw new Error(`focus is on ${focused}`);
      await page.keyboard.press('Enter');
      await panel.locator('#stack-heading', { hasText: 'build' }).waitFor({ timeout: 10000 });
      const ring = await panel.evaluate(() => {
        const el = document.activeElement;
        const box = el && el.querySelector('.node-box');
        return `${box ? getComputedStyle(box).strokeWidth : 'no box'} key=${el && el.getAttribute('data-key')} hasFocus=${document.hasFocus()}`;
      });
      if (!ring.startsWith('3px')) throw new Error(`the focused stage node has no visible focus ring (${ring})`);
      // the editor (not focused: the panel keeps the focus) marks its cursor line in the gutter
      await page.waitForFunction(() => [...document.querySelectorAll('.editor-instance .margin-view-overlays .active-line-number')]
        .some((e) => e.textContent.trim() === '2'), null, { timeout: 10000 })
        .catch(() => { throw new Error('the editor did not go to line 2 (FROM of build)'); });
      // Arrow down moves to the next focusable block in the stack; Enter reveals its line.
      const first = panel.locator('ol.stack .block').nth(1);
      await first.focus();
      await page.keyboard.press('ArrowDown');
      const key = await panel.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-key'));
      if (!key || !key.startsWith('entry:')) throw new Error(`ArrowDown in the stack focused ${key}`);
      return `Enter selected "build" (focused stroke ${ring}); the editor is on line 2; ArrowDown → ${key}`;
    });

    await check('diagram-narrow', async () => {
      const before = page.viewportSize();
      await page.setViewportSize({ width: 760, height: 900 });
      try {
        await page.waitForTimeout(800);
        const layout = await panel.evaluate(() => {
          const g = document.querySelector('.graph-section').getBoundingClientRect();
          const s = document.querySelector('.stack-section').getBoundingClientRect();
          const svg = document.querySelector('svg.stage-graph');
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return { width: document.documentElement.clientWidth, stacked: s.top >= g.bottom - 1, scale: Math.round(scale * 100) / 100, scrollW: document.documentElement.scrollWidth };
        });
        if (!layout.stacked) throw new Error(`graph and stack are not stacked at ${layout.width}px: ${JSON.stringify(layout)}`);
        if (layout.scrollW > layout.width + 1) throw new Error(`the page scrolls sideways at ${layout.width}px: ${JSON.stringify(layout)}`);
        if (layout.scale < 0.79) throw new Error(`the graph is drawn at ${layout.scale} of its size: too small to read`);
        await page.screenshot({ path: path.join(out, 'theme-narrow.png') });
        if (process.env.DFI_UI_DOCS === '1') fs.copyFileSync(path.join(out, 'theme-narrow.png'), path.join(root, 'docs', 'images', 'diagram-panel-narrow.png'));
        return `panel ${layout.width}px wide: graph above the stack at scale ${layout.scale}, no sideways page scroll`;
      } finally {
        await page.setViewportSize(before);
        await page.waitForTimeout(500);
      }
    });

    await check('diagram-architecture', async () => {
      // the tab strip is keyboard-operable: focus "This Dockerfile", ArrowRight selects "Architecture"
      await panel.locator('#tab-dockerfile').focus();
      await page.keyboard.press('ArrowRight');
      await panel.locator('#panel-architecture:not([hidden])').waitFor({ timeout: 5000 });
      const selected = await panel.locator('#tab-architecture').getAttribute('aria-selected');
      if (selected !== 'true') throw new Error(`the Architecture tab is not selected (${selected})`);
      const figures = await panel.locator('#panel-architecture figure.concept-diagram svg').count();
      const described = await panel.locator('#panel-architecture figure.concept-diagram svg[role="img"]').count();
      if (figures < 10) throw new Error(`only ${figures} diagram(s) on the Architecture tab`);
      if (described !== figures) throw new Error(`${figures - described} diagram(s) without role="img"`);
      await panel.locator('#panel-architecture h2').nth(1).scrollIntoViewIfNeeded();
      await page.mouse.move(1380, 800);
      await page.screenshot({ path: path.join(out, 'theme-architecture.png') });
      if (process.env.DFI_UI_DOCS === '1') fs.copyFileSync(path.join(out, 'theme-architecture.png'), path.join(root, 'docs', 'images', 'diagram-panel-architecture.png'));
      await page.keyboard.press('ArrowLeft');
      await panel.locator('#panel-dockerfile:not([hidden])').waitFor({ timeout: 5000 });
      return `${figures} diagrams, each role="img"; Arrow keys switch the tabs`;
    });

    await check('diagram-themes', async () => {
      const done = [];
      // show the target stage (its COPY --from and the metadata steps) in the screenshots
      await panel.locator('.stage-graph .node[data-stage="1"]').click();
      await panel.locator('#stack-heading', { hasText: '#1' }).waitFor({ timeout: 10000 });
      // more room for the panel: hide the side bar (Ctrl+B) while taking the theme screenshots
      const sidebarShown = await page.locator('.part.sidebar').isVisible().catch(() => false);
      if (sidebarShown) await page.keyboard.press('Control+B');
      for (const t of [...THEMES.slice(1), THEMES[0]]) {
        await setTheme(page, t);
        const f = await frameWith(page, `body.${t.body} .stage-graph`, 20000);
        await page.mouse.move(1380, 800); // no tooltip in the picture
        await page.waitForTimeout(700);
        const colors = await f.evaluate(() => {
          const box = document.querySelector('.stage-graph .node.kind-stage.required .node-box');
          const label = document.querySelector('.stage-graph .node-label');
          return { bg: getComputedStyle(document.body).backgroundColor, fill: getComputedStyle(box).fill, stroke: getComputedStyle(box).stroke, text: getComputedStyle(label).fill };
        });
        if (colors.fill === colors.bg && !t.id.startsWith('high-contrast')) throw new Error(`${t.id}: node fill equals the background ${JSON.stringify(colors)}`);
        if (colors.text === colors.bg) throw new Error(`${t.id}: text colour equals the background ${JSON.stringify(colors)}`);
        const file = path.join(out, `theme-${t.id}.png`);
        await page.screenshot({ path: file });
        if (process.env.DFI_UI_DOCS === '1') {
          fs.mkdirSync(path.join(root, 'docs', 'images'), { recursive: true });
          fs.copyFileSync(file, path.join(root, 'docs', 'images', `diagram-panel-${t.id}.png`));
        }
        done.push(`${t.id} (bg ${colors.bg}, node ${colors.fill}/${colors.stroke}, text ${colors.text})`);
      }
      if (sidebarShown) await page.keyboard.press('Control+B');
      log(`theme screenshots: ${done.join('; ')}`);
      return done.join('; ');
    });
  }
}

module.exports = { conceptChecks };
