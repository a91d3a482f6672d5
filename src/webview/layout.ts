/**
 * Pure layout for the live Dockerfile diagram: node boxes sized from their text, the stage graph laid out with
 * @dagrejs/dagre (top to bottom: what a stage builds on is drawn above it), and the heights of the layer-stack
 * blocks from their predicted bytes. No DOM, no `vscode`: runs in the webview and in the unit tests.
 */
import dagre from '@dagrejs/dagre';

export interface Point {
  x: number;
  y: number;
}

export interface BoxText {
  /** The text as drawn (shortened with an ellipsis when too long). */
  text: string;
  /** True when `text` was shortened. */
  truncated: boolean;
}

export interface NodeBox {
  width: number;
  height: number;
  label: BoxText;
  detail: BoxText;
}

export const NODE_FONT = { label: 13, detail: 11 } as const;
const PAD_X = 14;
const MAX_LABEL_UNITS = 30;
const MAX_DETAIL_UNITS = 38;
const MIN_WIDTH = 96;

/** Width of a character in units of half an em: CJK and other wide characters count 2, the rest 1. */
function charUnits(ch: string): number {
  const c = ch.codePointAt(0) ?? 0;
  const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3)
    || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6)
    || (c >= 0x20000 && c <= 0x3fffd);
  return wide ? 2 : 1;
}

/** The display width of `s` in half-em units. */
export function textUnits(s: string): number {
  let n = 0;
  for (const ch of s) n += charUnits(ch);
  return n;
}

/** Shortens `s` to at most `max` half-em units, ending with an ellipsis when cut. */
export function fitText(s: string, max: number): BoxText {
  if (textUnits(s) <= max) return { text: s, truncated: false };
  let out = '';
  let n = 0;
  for (const ch of s) {
    const u = charUnits(ch);
    if (n + u > max - 1) break;
    out += ch;
    n += u;
  }
  return { text: `${out}…`, truncated: true };
}

/** The box of a graph node with a bold label line and a smaller detail line. */
export function nodeBox(label: string, detail: string): NodeBox {
  const l = fitText(label, MAX_LABEL_UNITS);
  const d = fitText(detail, MAX_DETAIL_UNITS);
  // A half-em unit is ~0.56 of the font size for the UI fonts VS Code uses; round up for safety.
  const w = Math.max(textUnits(l.text) * NODE_FONT.label * 0.6, textUnits(d.text) * NODE_FONT.detail * 0.6);
  return { width: Math.max(MIN_WIDTH, Math.ceil(w + 2 * PAD_X)), height: detail ? 48 : 32, label: l, detail: d };
}

export interface LayoutNodeInput {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdgeInput {
  /** Unique per edge (there can be several edges between the same two nodes). */
  key: string;
  from: string;
  to: string;
}

export interface PlacedNode {
  id: string;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  key: string;
  from: string;
  to: string;
  points: Point[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export interface LayoutOptions {
  margin?: number;
  nodesep?: number;
  ranksep?: number;
}

/**
 * Lays out a directed graph top to bottom with dagre. Nodes come back in reading order (top to bottom, then
 * left to right), which is the keyboard tab order. Edges to unknown nodes are ignored.
 */
export function layoutGraph(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[], opts: LayoutOptions = {}): GraphLayout {
  const margin = opts.margin ?? 12;
  if (nodes.length === 0) return { width: 0, height: 0, nodes: [], edges: [] };
  const g = new dagre.graphlib.Graph({ multigraph: true, directed: true });
  g.setGraph({ rankdir: 'TB', nodesep: opts.nodesep ?? 28, ranksep: opts.ranksep ?? 44, edgesep: 12, marginx: margin, marginy: margin });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set<string>();
  for (const n of nodes) {
    ids.add(n.id);
    g.setNode(n.id, { width: n.width, height: n.height });
  }
  const kept = edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to);
  for (const e of kept) g.setEdge(e.from, e.to, { minlen: 1, weight: 1 }, e.key);
  dagre.layout(g);
  const placed: PlacedNode[] = nodes.map((n) => {
    const p = g.node(n.id) as { x: number; y: number };
    return { id: n.id, x: p.x - n.width / 2, y: p.y - n.height / 2, width: n.width, height: n.height };
  });
  const placedEdges: PlacedEdge[] = kept.map((e) => {
    const label = g.edge({ v: e.from, w: e.to, name: e.key }) as { points?: Point[] } | undefined;
    const points = (label?.points ?? []).map((p) => ({ x: p.x, y: p.y }));
    return { key: e.key, from: e.from, to: e.to, points };
  });
  let width = 0;
  let height = 0;
  for (const n of placed) {
    width = Math.max(width, n.x + n.width);
    height = Math.max(height, n.y + n.height);
  }
  for (const e of placedEdges) for (const p of e.points) {
    width = Math.max(width, p.x);
    height = Math.max(height, p.y);
  }
  placed.sort((a, b) => a.y - b.y || a.x - b.x);
  return { width: Math.ceil(width + margin), height: Math.ceil(height + margin), nodes: placed, edges: placedEdges };
}

/** An SVG path through the points (straight segments with rounded joins drawn by the stroke). */
export function edgePath(points: readonly Point[]): string {
  if (points.length === 0) return '';
  const r = (v: number) => Math.round(v * 10) / 10;
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(p.x)} ${r(p.y)}`).join(' ');
}

export const BLOCK = { min: 30, max: 96 } as const;
const KIB = 1024;
const GIB = 1024 * 1024 * 1024;

/**
 * Height in pixels of a layer block for its predicted size: logarithmic from 1 KiB (the minimum, one text line)
 * to 1 GiB and more (the maximum), so a 200 MB RUN is visibly bigger than a 2 kB COPY and both stay readable.
 * Unknown sizes get the minimum.
 */
export function blockHeight(bytes: number | undefined): number {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes <= KIB) return BLOCK.min;
  const f = Math.min(1, Math.log(bytes / KIB) / Math.log(GIB / KIB));
  return Math.round(BLOCK.min + f * (BLOCK.max - BLOCK.min));
}

/**
 * A stand-in size used only for block heights when no size prediction is available: a RUN usually adds the
 * most, ADD and COPY less, WORKDIR next to nothing. Never shown as a number.
 */
export function nominalBytes(keyword: string): number {
  switch (keyword) {
    case 'RUN': return 32 * 1024 * 1024;
    case 'ADD': return 1024 * 1024;
    case 'COPY': return 128 * 1024;
    default: return 0;
  }
}
