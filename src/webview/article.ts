/// <reference lib="dom" />
/**
 * Front end of the concept article page (bundled to dist/webview/article.js). The article itself is rendered by
 * the host; this only turns `concept:` / `diagram:` links into messages and reports what is on the page.
 */
import type { WebviewToHost } from './protocol';

declare function acquireVsCodeApi(): { postMessage(message: WebviewToHost): void };

const api = acquireVsCodeApi();

document.addEventListener('click', (ev) => {
  const target = (ev.target as Element | null)?.closest('[data-concept], [data-diagram]') as HTMLElement | null;
  if (!target) return;
  ev.preventDefault();
  if (target.dataset.concept) api.postMessage({ type: 'openConcept', id: target.dataset.concept });
  else if (target.dataset.diagram) api.postMessage({ type: 'showDiagram', id: target.dataset.diagram });
});

window.addEventListener('error', (ev) => api.postMessage({ type: 'error', message: String(ev.message) }));

api.postMessage({
  type: 'rendered',
  view: 'article',
  conceptId: document.body.dataset.concept,
  diagrams: document.querySelectorAll('main svg').length,
});
api.postMessage({ type: 'ready' });
