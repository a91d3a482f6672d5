/**
 * The typed message protocol between the extension host and the diagram / article webviews, and the data the
 * host sends for the live Dockerfile diagram. Used by both sides: src/extension/shared/diagramPanel.ts (host)
 * and src/webview/diagram.ts, src/webview/article.ts (front ends). Types only, plus a guard: nothing here
 * touches `vscode` or the DOM.
 */

export type Tab = 'dockerfile' | 'architecture';

/** A node of the stage graph: a stage of the Dockerfile, or an image it builds on or copies from. */
export interface GraphNode {
  /** `s<index>` for stages, `i<n>` for external images. */
  id: string;
  kind: 'stage' | 'image' | 'scratch';
  /** Stage name (or `#<index>`), or the image reference. */
  label: string;
  /** Second line: the stage's base (`FROM node:20`), or what the image is used for. */
  detail: string;
  stage?: number;
  /** 0-based line to reveal: the stage's FROM, or the first line that references the image. */
  line: number;
  /** On the build target's path (BuildKit builds it). */
  required: boolean;
  target: boolean;
}

export type EdgeKind = 'from' | 'copy-from' | 'mount-from';

/** A dependency, drawn from the stage or image that is used to the stage that uses it. */
export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** 0-based line of the instruction that makes the dependency. */
  line: number;
  required: boolean;
}

/** One entry of a stage's layer stack, bottom (base) first. */
export interface StackEntry {
  /** base: the layers the stage starts from; layer: a filesystem layer; meta: a metadata-only step. */
  kind: 'base' | 'layer' | 'meta';
  keyword: string;
  /** The instruction, shortened for display. */
  text: string;
  /** 0-based first line of the instruction. */
  line: number;
  /** 0-based last line of the instruction. */
  endLine: number;
  /** Predicted size of the layer in bytes, when known. */
  bytes?: number;
  /** The size as shown (already formatted and localised), or '' for metadata steps. */
  size: string;
  /** A longer explanation (tooltip and text alternative): why this size, what the step changes. */
  detail: string;
}

export interface StageStack {
  stage: number;
  entries: StackEntry[];
  /** The stage's own layers added up, formatted; '' when unknown. */
  total: string;
}

export interface DockerfileDiagram {
  uri: string;
  version: number;
  /** The file name shown in the heading. */
  fileName: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Index of the target stage, -1 when there is no stage. */
  target: number;
  stacks: StageStack[];
  /** Where the layer sizes come from: the layer preview's prediction, or a rough size by instruction kind. */
  sizeSource: 'layer-preview' | 'by-kind';
  /** A note shown under the layer stack (for example that sizes are rough). */
  sizeNote: string;
}

/** UI strings of the diagram front end (translated by the host). */
export interface DiagramStrings {
  noDockerfile: string;
  stageGraph: string;
  stageGraphHint: string;
  layerStack: string;
  layerStackHint: string;
  containerLayer: string;
  containerLayerDetail: string;
  legendFrom: string;
  legendCopyFrom: string;
  legendMountFrom: string;
  legendTarget: string;
  legendSkipped: string;
  targetBadge: string;
  metadataOnly: string;
  textAlternative: string;
  stageLabel: string;
  imageLabel: string;
  edgeText: string;
  revealHint: string;
  total: string;
}

// --- host → webview -------------------------------------------------------------------------------------------

export interface InitMessage {
  type: 'init';
  strings: DiagramStrings;
  tab: Tab;
}

export interface DockerfileMessage {
  type: 'dockerfile';
  /** null: no Dockerfile is open. */
  diagram: DockerfileDiagram | null;
  /** The stage to select (the one at the editor's cursor), if the host knows one. */
  selectStage?: number;
}

export interface CursorMessage {
  type: 'cursor';
  /** 0-based line of the cursor in the tracked Dockerfile. */
  line: number;
  stage: number;
}

export interface SelectTabMessage {
  type: 'selectTab';
  tab: Tab;
  /** With tab 'architecture': scroll to this catalog diagram. */
  diagram?: string;
}

/** Test hook: activate (as a click would) the nth focusable block of the live diagram. */
export interface TestActivateMessage {
  type: 'testActivate';
  what: 'stage' | 'entry' | 'container';
  index: number;
}

export type HostToWebview = InitMessage | DockerfileMessage | CursorMessage | SelectTabMessage | TestActivateMessage;

// --- webview → host -------------------------------------------------------------------------------------------

export interface ReadyMessage {
  type: 'ready';
}

export interface RevealMessage {
  type: 'reveal';
  uri: string;
  line: number;
}

export interface OpenConceptMessage {
  type: 'openConcept';
  id: string;
}

/** Open the diagram panel's architecture tab at a catalog diagram. */
export interface ShowDiagramMessage {
  type: 'showDiagram';
  id: string;
}

export interface SelectTabReport {
  type: 'tabChanged';
  tab: Tab;
}

/** What the front end has drawn (the integration tests read it through a test-only command). */
export interface RenderedMessage {
  type: 'rendered';
  view: 'dockerfile' | 'architecture' | 'article';
  uri?: string;
  version?: number;
  /** Stage labels in index order. */
  stages?: string[];
  selectedStage?: number;
  /** Entries of the selected stage's stack, bottom first: `KEYWORD size`. */
  entries?: string[];
  /** Number of SVG diagrams on the page. */
  diagrams?: number;
  conceptId?: string;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

export type WebviewToHost = ReadyMessage | RevealMessage | OpenConceptMessage | ShowDiagramMessage | SelectTabReport | RenderedMessage | ErrorMessage;

const WEBVIEW_TYPES = new Set<WebviewToHost['type']>(['ready', 'reveal', 'openConcept', 'showDiagram', 'tabChanged', 'rendered', 'error']);

/** Narrows a message received from a webview (anything can arrive: check the shape, not just the type tag). */
export function isWebviewMessage(m: unknown): m is WebviewToHost {
  if (!m || typeof m !== 'object') return false;
  const o = m as Record<string, unknown>;
  if (typeof o.type !== 'string' || !WEBVIEW_TYPES.has(o.type as WebviewToHost['type'])) return false;
  switch (o.type) {
    case 'reveal': return typeof o.uri === 'string' && Number.isInteger(o.line) && (o.line as number) >= 0;
    case 'openConcept':
    case 'showDiagram': return typeof o.id === 'string';
    case 'tabChanged': return o.tab === 'dockerfile' || o.tab === 'architecture';
    case 'rendered': return o.view === 'dockerfile' || o.view === 'architecture' || o.view === 'article';
    case 'error': return typeof o.message === 'string';
    default: return true;
  }
}
