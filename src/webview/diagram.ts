/// <reference lib="dom" />
/**
 * Front end of the diagram panel (bundled by esbuild to dist/webview/diagram.js; runs inside the webview).
 * Two tabs: "This Dockerfile" — the stage graph of the tracked Dockerfile laid out with dagre and the selected
 * stage's layer stack, redrawn on every update from the host — and "Architecture" — the catalog's diagrams,
 * already in the page's markup. Everything is built with DOM APIs (no innerHTML of data), keyboard-operable
 * (tab order, Enter/Space, arrow keys) and has text alternatives. Messages: src/webview/protocol.ts.
 */
import type {
  DiagramStrings, DockerfileDiagram, GraphNode, HostToWebview, StackEntry, Tab, WebviewToHost,
} from './protocol';
import { blockHeight, edgePath, layoutGraph, nodeBox, NODE_FONT, nominalBytes } from './layout';

interface VsCodeApi<S> {
  postMessage(message: WebviewToHost): void;
  getState(): S | undefined;
  setState(state: S): void;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

interface State {
  tab: Tab;
  uri?: string;
  stage?: number;
}

const api = acquireVsCodeApi<State>();
let state: State = api.getState() ?? { tab: 'dockerfile' };
let strings: DiagramStrings | undefined;
let diagram: DockerfileDiagram | null | undefined;
let selected = -1;
let cursorLine = -1;

const SVG_NS = 'http://www.w3.org/2000/svg';

function post(m: WebviewToHost): void {
  api.postMessage(m);
}

function saveState(patch: Partial<State>): void {
  state = { ...state, ...patch };
  api.setState(state);
}

/** Fills `{0}`, `{1}`, … of a host-translated template. */
function fill(template: string, ...args: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));
}

type Attrs = Record<string, string | number | boolean | undefined>;

function setAttrs(e: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'style') throw new Error('inline style attributes are blocked by the CSP');
    e.setAttribute(k, v === true ? '' : String(v));
  }
}

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  e.append(...children);
  return e;
}

function s(tag: string, attrs: Attrs = {}, ...children: Array<Node | string>): SVGElement {
  const e = document.createElementNS(SVG_NS, tag) as SVGElement;
  setAttrs(e, attrs);
  e.append(...children);
  return e;
}

// --- tabs -----------------------------------------------------------------------------------------------------

const TABS: Tab[] = ['dockerfile', 'architecture'];

function selectTab(tab: Tab, focus = false, notify = true): void {
  for (const t of TABS) {
    const button = document.getElementById(`tab-${t}`);
    const panel = document.getElementById(`panel-${t}`);
    const on = t === tab;
    button?.setAttribute('aria-selected', String(on));
    button?.setAttribute('tabindex', on ? '0' : '-1');
    if (panel) panel.hidden = !on;
    if (on && focus) button?.focus();
  }
  if (notify && state.tab !== tab) post({ type: 'tabChanged', tab });
  saveState({ tab });
}

function wireTabs(): void {
  for (const t of TABS) document.getElementById(`tab-${t}`)?.addEventListener('click', () => selectTab(t));
  document.querySelector('[role="tablist"]')?.addEventListener('keydown', (ev) => {
    const e = ev as KeyboardEvent;
    const i = TABS.indexOf(state.tab);
    let next: number | undefined;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = (i + TABS.length - 1) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next === undefined) return;
    e.preventDefault();
    selectTab(TABS[next], true);
  });
}

/** Links and buttons in host-rendered markup: concept links open an article, diagram links scroll to a figure. */
function wireStaticLinks(): void {
  document.addEventListener('click', (ev) => {
    const target = (ev.target as Element | null)?.closest('[data-concept], [data-diagram]') as HTMLElement | null;
    if (!target || target.closest('#dockerfile-root')) return;
    ev.preventDefault();
    if (target.dataset.concept) post({ type: 'openConcept', id: target.dataset.concept });
    else if (target.dataset.diagram) showDiagram(target.dataset.diagram);
  });
}

function showDiagram(id: string): void {
  selectTab('architecture');
  const fig = document.getElementById(`diagram-${id}`);
  if (!fig) return;
  fig.setAttribute('tabindex', '-1');
  fig.scrollIntoView({ block: 'start' });
  fig.focus({ preventScroll: true });
}

// --- the live Dockerfile diagram -----------------------------------------------------------------------------

/** Activates on click, Enter and Space (for SVG elements, which have no button behaviour of their own). */
function onActivate(e: Element, fn: () => void): void {
  e.addEventListener('click', (ev) => {
    ev.preventDefault();
    fn();
  });
  if (!(e instanceof HTMLButtonElement)) {
    e.addEventListener('keydown', (ev) => {
      const k = (ev as KeyboardEvent).key;
      if (k === 'Enter' || k === ' ') {
        ev.preventDefault();
        fn();
      }
    });
  }
}

/** Arrow keys move focus among the elements of a group, in DOM order. */
function arrowNavigation(container: Element, selector: string, keys: { next: string[]; prev: string[] }): void {
  container.addEventListener('keydown', (ev) => {
    const e = ev as KeyboardEvent;
    const items = Array.from(container.querySelectorAll<HTMLElement | SVGElement>(selector));
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    let j: number | undefined;
    if (keys.next.includes(e.key)) j = Math.min(items.length - 1, i + 1);
    else if (keys.prev.includes(e.key)) j = Math.max(0, i - 1);
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = items.length - 1;
    if (j === undefined) return;
    e.preventDefault();
    items[j].focus();
  });
}

function reveal(line: number): void {
  if (diagram) post({ type: 'reveal', uri: diagram.uri, line });
}

function selectStage(stage: number, reveal_: boolean): void {
  if (!diagram) return;
  selected = stage;
  saveState({ stage, uri: diagram.uri });
  render();
  const node = diagram.nodes.find((n) => n.stage === stage);
  if (reveal_ && node) reveal(node.line);
}

function nodeLabel(n: GraphNode): string {
  const str = strings as DiagramStrings;
  const parts = [n.kind === 'stage' ? fill(str.stageLabel, n.label) : fill(str.imageLabel, n.label), n.detail];
  if (n.target) parts.push(str.targetBadge);
  if (n.kind === 'stage') parts.push(n.required ? str.legendTarget : str.legendSkipped);
  parts.push(fill(str.revealHint, n.line + 1));
  return parts.join(', ');
}

function renderGraph(d: DockerfileDiagram): HTMLElement {
  const str = strings as DiagramStrings;
  const boxes = new Map(d.nodes.map((n) => [n.id, nodeBox(n.label, n.detail)]));
  const layout = layoutGraph(
    d.nodes.map((n) => ({ id: n.id, width: (boxes.get(n.id) as ReturnType<typeof nodeBox>).width, height: (boxes.get(n.id) as ReturnType<typeof nodeBox>).height })),
    d.edges.map((e, i) => ({ key: `e${i}`, from: e.from, to: e.to })),
    { margin: 14 },
  );
  const svg = s('svg', {
    class: 'stage-graph',
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    width: layout.width,
    height: layout.height,
    role: 'group',
    'aria-label': str.stageGraph,
  });
  const arrow = (id: string) => s('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' },
    s('path', { d: 'M0 0 L10 5 L0 10 z', class: 'arrow-head' }));
  svg.append(s('defs', {}, arrow('arrow-required'), arrow('arrow-skipped')));
  const edgeLayer = s('g', { class: 'edges', 'aria-hidden': 'true' });
  layout.edges.forEach((pe) => {
    const e = d.edges[Number(pe.key.slice(1))];
    edgeLayer.append(s('path', {
      class: `edge kind-${e.kind} ${e.required ? 'required' : 'skipped'}`,
      d: edgePath(pe.points),
      'marker-end': `url(#arrow-${e.required ? 'required' : 'skipped'})`,
    }));
  });
  svg.append(edgeLayer);
  const nodeLayer = s('g', { class: 'nodes' });
  for (const p of layout.nodes) {
    const n = d.nodes.find((x) => x.id === p.id) as GraphNode;
    const box = boxes.get(n.id) as ReturnType<typeof nodeBox>;
    const isSel = n.kind === 'stage' && n.stage === selected;
    const g = s('g', {
      class: `node kind-${n.kind} ${n.required ? 'required' : 'skipped'}${n.target ? ' target' : ''}${isSel ? ' selected' : ''}`,
      tabindex: 0,
      role: 'button',
      'aria-label': nodeLabel(n),
      'aria-pressed': n.kind === 'stage' ? String(isSel) : undefined,
      'data-key': `node:${n.id}`,
      'data-stage': n.stage,
    });
    g.append(s('title', {}, [n.label, n.detail].join('\n')));
    if (isSel) g.append(s('rect', { class: 'selection-ring', x: p.x - 4, y: p.y - 4, width: p.width + 8, height: p.height + 8, rx: 9 }));
    g.append(s('rect', { class: 'node-box', x: p.x, y: p.y, width: p.width, height: p.height, rx: n.kind === 'stage' ? 6 : 14 }));
    const cx = p.x + p.width / 2;
    const labelY = box.detail.text ? p.y + 20 : p.y + p.height / 2 + NODE_FONT.label * 0.35;
    g.append(s('text', { class: 'node-label', x: cx, y: labelY, 'text-anchor': 'middle' }, box.label.text));
    if (box.detail.text) g.append(s('text', { class: 'node-detail', x: cx, y: p.y + 37, 'text-anchor': 'middle' }, box.detail.text));
    if (n.target) {
      const w = Math.max(44, str.targetBadge.length * 7 + 12);
      g.append(s('rect', { class: 'badge', x: p.x + p.width - w + 6, y: p.y - 9, width: w, height: 16, rx: 8 }));
      g.append(s('text', { class: 'badge-text', x: p.x + p.width - w / 2 + 6, y: p.y + 3, 'text-anchor': 'middle' }, str.targetBadge));
    }
    onActivate(g, () => {
      if (n.kind === 'stage' && n.stage !== undefined) selectStage(n.stage, true);
      else reveal(n.line);
    });
    nodeLayer.append(g);
  }
  svg.append(nodeLayer);
  arrowNavigation(nodeLayer, '.node', { next: ['ArrowDown', 'ArrowRight'], prev: ['ArrowUp', 'ArrowLeft'] });

  const legend = h('ul', { class: 'legend' },
    h('li', {}, h('span', { class: 'swatch line kind-from', 'aria-hidden': 'true' }), str.legendFrom),
    h('li', {}, h('span', { class: 'swatch line kind-copy-from', 'aria-hidden': 'true' }), str.legendCopyFrom),
    h('li', {}, h('span', { class: 'swatch line kind-mount-from', 'aria-hidden': 'true' }), str.legendMountFrom),
    h('li', {}, h('span', { class: 'swatch box required', 'aria-hidden': 'true' }), str.legendTarget),
    h('li', {}, h('span', { class: 'swatch box skipped', 'aria-hidden': 'true' }), str.legendSkipped));
  // Scale down to fit a narrow panel, but not below 80 % (text stays readable): past that the frame scrolls.
  svg.style.minWidth = `${Math.round(layout.width * 0.8)}px`;
  return h('section', { class: 'graph-section', 'aria-labelledby': 'graph-heading' },
    h('h2', { id: 'graph-heading' }, str.stageGraph),
    h('p', { class: 'hint' }, str.stageGraphHint),
    h('div', { class: 'graph-frame' }, svg),
    legend);
}

function entryLabel(e: StackEntry): string {
  const str = strings as DiagramStrings;
  return [e.text, e.size, e.kind === 'meta' ? str.metadataOnly : '', e.detail, fill(str.revealHint, e.line + 1)].filter(Boolean).join(', ');
}

function renderStack(d: DockerfileDiagram): HTMLElement {
  const str = strings as DiagramStrings;
  const stack = d.stacks.find((x) => x.stage === selected);
  const node = d.nodes.find((n) => n.stage === selected);
  const list = h('ol', { class: 'stack', 'aria-labelledby': 'stack-heading', reversed: true });
  const section = h('section', { class: 'stack-section', 'aria-labelledby': 'stack-heading' },
    h('h2', { id: 'stack-heading' }, fill(str.layerStack, node?.label ?? '?')),
    h('p', { class: 'hint' }, str.layerStackHint),
    list);
  if (!stack) return section;

  const container = h('button', { type: 'button', class: 'block container', 'data-key': 'container', title: str.containerLayerDetail, 'aria-label': `${str.containerLayer}, ${str.containerLayerDetail}` },
    h('span', { class: 'text' }, str.containerLayer));
  onActivate(container, () => post({ type: 'openConcept', id: 'union-fs-cow' }));
  list.append(h('li', { class: 'row container-row' }, container));

  const entries = stack.entries.map((e, i) => ({ e, i }));
  for (const { e, i } of [...entries].reverse()) {
    const atCursor = cursorLine >= e.line && cursorLine <= e.endLine;
    const cls = `block ${e.kind}${atCursor ? ' at-cursor' : ''}`;
    const b = h('button', {
      type: 'button',
      class: cls,
      title: e.detail,
      'aria-label': entryLabel(e),
      'aria-current': atCursor ? 'true' : undefined,
      'data-key': `entry:${i}:${e.keyword}:${e.line}`,
      'data-entry': i,
    },
    h('span', { class: 'kw' }, e.keyword),
    h('span', { class: 'text' }, e.kind === 'base' ? e.text : e.text.slice(e.keyword.length).trim() || e.text),
    e.kind === 'meta' ? h('span', { class: 'tag' }, str.metadataOnly) : h('span', { class: 'size' }, e.size));
    if (e.kind === 'layer') {
      // the predicted size; unknown sizes (RUN, no context) are drawn by the kind of step
      b.style.minHeight = `${blockHeight(e.bytes ?? nominalBytes(e.keyword))}px`;
    }
    onActivate(b, () => reveal(e.line));
    list.append(h('li', { class: `row ${e.kind}-row` }, b));
  }
  arrowNavigation(list, 'button', { next: ['ArrowDown'], prev: ['ArrowUp'] });
  if (stack.total) section.append(h('p', { class: 'total' }, fill(str.total, stack.total)));
  section.append(h('p', { class: 'note' }, d.sizeNote));
  return section;
}

function renderTextAlternative(d: DockerfileDiagram): HTMLElement {
  const str = strings as DiagramStrings;
  const byId = new Map(d.nodes.map((n) => [n.id, n]));
  const nodes = h('ul', {}, ...d.nodes.map((n) => h('li', {}, nodeLabel(n))));
  const kindText = { from: 'FROM', 'copy-from': 'COPY --from', 'mount-from': 'RUN --mount=from' };
  const edges = h('ul', {}, ...d.edges.map((e) => h('li', {}, fill(str.edgeText, byId.get(e.from)?.label ?? e.from, byId.get(e.to)?.label ?? e.to, kindText[e.kind], e.line + 1))));
  return h('details', { class: 'text-alternative' }, h('summary', {}, str.textAlternative), nodes, edges);
}

function render(): void {
  const root = document.getElementById('dockerfile-root');
  if (!root || !strings || diagram === undefined) return;
  const active = document.activeElement as (HTMLElement & SVGElement) | null;
  const focusKey = active?.getAttribute?.('data-key') ?? undefined;
  const openDetails = !!root.querySelector('details.text-alternative[open]');
  if (!diagram) {
    root.replaceChildren(h('p', { class: 'empty' }, strings.noDockerfile));
    post({ type: 'rendered', view: 'dockerfile', stages: [] });
    return;
  }
  const d = diagram;
  if (!d.stacks.some((x) => x.stage === selected)) selected = d.target >= 0 ? d.target : (d.stacks[0]?.stage ?? -1);
  const details = renderTextAlternative(d);
  if (openDetails) details.setAttribute('open', '');
  root.replaceChildren(
    h('h1', { class: 'file-name' }, d.fileName),
    h('div', { class: 'columns' }, renderGraph(d), renderStack(d)),
    details,
  );
  if (focusKey) {
    const again = root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusKey)}"]`);
    again?.focus({ preventScroll: true });
  }
  const stack = d.stacks.find((x) => x.stage === selected);
  post({
    type: 'rendered',
    view: 'dockerfile',
    uri: d.uri,
    version: d.version,
    stages: d.nodes.filter((n) => n.kind === 'stage').map((n) => n.label),
    selectedStage: selected,
    entries: stack?.entries.map((e) => (e.size ? `${e.keyword} ${e.size}` : e.keyword)) ?? [],
  });
}

/** Moves the at-cursor mark in the layer stack without redrawing. */
function markCursor(): void {
  const stack = diagram?.stacks.find((x) => x.stage === selected);
  if (!stack) return;
  document.querySelectorAll<HTMLElement>('#dockerfile-root [data-entry]').forEach((b) => {
    const e = stack.entries[Number(b.dataset.entry)];
    const on = !!e && cursorLine >= e.line && cursorLine <= e.endLine;
    b.classList.toggle('at-cursor', on);
    if (on) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  });
}

function testActivate(what: 'stage' | 'entry' | 'container', index: number): void {
  const root = document.getElementById('dockerfile-root');
  const el = what === 'stage' ? root?.querySelector(`.node[data-stage="${index}"]`)
    : what === 'entry' ? root?.querySelector(`[data-entry="${index}"]`)
      : root?.querySelector('.block.container');
  if (!el) {
    post({ type: 'error', message: `testActivate: no ${what} ${index}` });
    return;
  }
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
}

window.addEventListener('message', (ev: MessageEvent<HostToWebview>) => {
  const m = ev.data;
  try {
    switch (m.type) {
      case 'init':
        strings = m.strings;
        selectTab(state.tab ?? m.tab, false, false);
        render();
        break;
      case 'dockerfile': {
        const prevUri = diagram ? diagram.uri : undefined;
        diagram = m.diagram;
        if (m.diagram && (m.diagram.uri !== prevUri || selected < 0)) {
          selected = m.selectStage ?? (m.diagram.uri === state.uri && state.stage !== undefined ? state.stage : -1);
        }
        render();
        break;
      }
      case 'cursor':
        cursorLine = m.line;
        if (m.stage >= 0 && m.stage !== selected && diagram) {
          selected = m.stage;
          saveState({ stage: m.stage, uri: diagram.uri });
          render();
        } else markCursor();
        break;
      case 'selectTab':
        if (m.tab === 'architecture' && m.diagram) showDiagram(m.diagram);
        else selectTab(m.tab, false, false);
        break;
      case 'testActivate':
        testActivate(m.what, m.index);
        break;
    }
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
});

window.addEventListener('error', (ev) => post({ type: 'error', message: String(ev.message) }));

wireTabs();
wireStaticLinks();
selectTab(state.tab, false, false);
post({ type: 'rendered', view: 'architecture', diagrams: document.querySelectorAll('#panel-architecture svg').length });
post({ type: 'ready' });
