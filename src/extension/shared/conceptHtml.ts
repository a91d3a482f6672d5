/**
 * Body markup of the concept article page and of the diagram panel's architecture tab, from the concept catalog
 * (src/concepts/catalog.ts). Article Markdown is rendered with `marked`; raw HTML in it is shown as text, remote
 * images are not loaded (their alt text is shown), `concept:<id>` and `diagram:<id>` links become buttons the
 * webview script turns into commands. No `vscode` import: unit-tested in Node (CSP checks of the whole page).
 */
import { Marked, Tokens } from 'marked';
import { t } from '../../core/l10n';
import {
  articleFor, CONCEPTS, Concept, DIAGRAM_IDS, DIAGRAM_TITLES, DiagramId, diagramSvg, getConcept, GROUPS, Lang,
} from '../../concepts/catalog';
import { escapeHtml, sanitizeSvg, svgDescription } from '../../webview/html';
import type { DiagramStrings, Tab } from '../../webview/protocol';

const SAFE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** A catalog SVG as a figure with a caption and a visible text alternative (the SVG's <desc>). */
export function diagramFigure(id: string, lang: Lang, opts: { heading?: 'h2' | 'h3'; anchor?: boolean } = {}): string {
  const svg = diagramSvg(id, lang);
  if (!svg) return '';
  const title = (DIAGRAM_TITLES as Record<string, { en: string; 'zh-cn': string } | undefined>)[id]?.[lang] ?? id;
  const desc = svgDescription(svg);
  const anchor = opts.anchor && SAFE_ID.test(id) ? ` id="diagram-${id}"` : '';
  const heading = opts.heading ? `<${opts.heading} class="figure-title">${escapeHtml(title)}</${opts.heading}>` : '';
  return [
    `<figure class="concept-diagram"${anchor} data-diagram-id="${escapeHtml(id)}">`,
    heading,
    `<div class="svg-frame">${sanitizeSvg(svg)}</div>`,
    `<figcaption>${opts.heading ? '' : `<span class="caption-title">${escapeHtml(title)}</span>`}`,
    desc ? `<details class="text-alternative"><summary>${escapeHtml(t('Text description'))}</summary><p>${escapeHtml(desc)}</p></details>` : '',
    '</figcaption>',
    '</figure>',
  ].join('');
}

function conceptLink(id: string, text: string): string {
  return `<a href="#" class="concept-link" data-concept="${escapeHtml(id)}">${text}</a>`;
}

/** Renders article Markdown to HTML that is safe under our CSP and has no remote sources. */
export function renderMarkdown(md: string, lang: Lang): string {
  const marked = new Marked({ gfm: true, async: false, breaks: false });
  marked.use({
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(token.text);
      },
      link(token: Tokens.Link): string {
        const inner = this.parser.parseInline(token.tokens);
        const href = token.href.trim();
        const concept = /^concept:([a-z0-9-]+)$/i.exec(href);
        if (concept) return conceptLink(concept[1], inner);
        const diagram = /^diagram:([a-z0-9-]+)$/i.exec(href);
        if (diagram) return `<a href="#" class="diagram-link" data-diagram="${escapeHtml(diagram[1])}">${inner}</a>`;
        if (/^#[\w-]+$/.test(href)) return `<a href="${escapeHtml(href)}">${inner}</a>`;
        if (/^https:\/\//i.test(href)) {
          // A link is navigation, not a source: VS Code opens it in the browser when clicked.
          const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
          return `<a class="external" href="${escapeHtml(href)}"${title}>${inner}</a>`;
        }
        return `<span class="link-text">${inner}</span>`;
      },
      image(token: Tokens.Image): string {
        const diagram = /^diagram:([a-z0-9-]+)$/i.exec(token.href.trim());
        if (diagram) return diagramFigure(diagram[1], lang);
        // No remote (or any other) images: show what it would have shown.
        return token.text ? `<span class="image-alt">[${escapeHtml(token.text)}]</span>` : '';
      },
    },
  });
  return marked.parse(md) as string;
}

export interface ArticleBody {
  html: string;
  title: string;
  /** Whether the page shows the concept's diagram. */
  hasDiagram: boolean;
}

/** The article page of a concept: title, summary, diagram, the article, related concepts. */
export function articleBody(concept: Concept, lang: Lang): ArticleBody {
  const title = concept.title[lang];
  const group = GROUPS.find((g) => g.id === concept.group);
  const md = articleFor(concept.id, lang);
  let article = md ? renderMarkdown(md, lang) : `<p class="empty">${escapeHtml(t('This article is not written yet.'))}</p>`;
  const startsWithH1 = /^\s*<h1[\s>]/i.test(article);
  const hasInlineDiagram = article.includes('class="concept-diagram"');
  const figure = hasInlineDiagram ? '' : diagramFigure(concept.diagram, lang);
  if (startsWithH1) article = article.replace(/^\s*<h1[^>]*>[\s\S]*?<\/h1>\s*/i, '');
  const related = concept.related.map((id) => getConcept(id)).filter((c): c is Concept => !!c);
  const html = [
    '<main class="article" id="main">',
    group ? `<p class="breadcrumb">${escapeHtml(group.title[lang])}</p>` : '',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="summary">${escapeHtml(concept.summary[lang])}</p>`,
    figure,
    `<article class="markdown-body">${article}</article>`,
    related.length
      ? `<nav class="related" aria-label="${escapeHtml(t('Related concepts'))}"><h2>${escapeHtml(t('Related concepts'))}</h2><ul>${related
        .map((c) => `<li>${conceptLink(c.id, escapeHtml(c.title[lang]))}<span class="related-summary">${escapeHtml(c.summary[lang])}</span></li>`)
        .join('')}</ul></nav>`
      : '',
    `<p class="actions"><button type="button" class="action" data-diagram="${escapeHtml(concept.diagram)}">${escapeHtml(t('Show all architecture diagrams'))}</button></p>`,
    '</main>',
  ].join('\n');
  return { html, title, hasDiagram: !!figure || hasInlineDiagram };
}

/** The architecture tab: every catalog diagram with its title, text alternative and the concepts that use it. */
export function architectureBody(lang: Lang): { html: string; count: number } {
  const ids = DIAGRAM_IDS.filter((id) => diagramSvg(id, lang));
  const usedBy = (id: DiagramId) => CONCEPTS.filter((c) => c.diagram === id);
  const index = ids.map((id) => `<li><a href="#diagram-${id}">${escapeHtml(DIAGRAM_TITLES[id][lang])}</a></li>`).join('');
  const sections = ids.map((id) => {
    const links = usedBy(id).map((c) => conceptLink(c.id, escapeHtml(t('Read: {0}', c.title[lang])))).join(' · ');
    return `<section class="diagram-section">${diagramFigure(id, lang, { heading: 'h2', anchor: true })}${links ? `<p class="read-more">${links}</p>` : ''}</section>`;
  });
  const html = ids.length
    ? `<nav class="diagram-index" aria-label="${escapeHtml(t('Architecture diagrams'))}"><ul>${index}</ul></nav>${sections.join('\n')}`
    : `<p class="empty">${escapeHtml(t('No diagrams are available.'))}</p>`;
  return { html, count: ids.length };
}

/** The diagram panel's static markup: the tab strip, the live Dockerfile tab (filled by the script) and the
 * architecture tab. */
export function diagramPageBody(lang: Lang, tab: Tab): { html: string; diagrams: number } {
  const arch = architectureBody(lang);
  const tabButton = (id: Tab, label: string) => `<button type="button" role="tab" id="tab-${id}" aria-controls="panel-${id}" aria-selected="${tab === id}" tabindex="${tab === id ? 0 : -1}">${escapeHtml(label)}</button>`;
  const html = [
    `<div class="tabs" role="tablist" aria-label="${escapeHtml(t('Diagrams'))}">`,
    tabButton('dockerfile', t('This Dockerfile')),
    tabButton('architecture', t('Architecture')),
    '</div>',
    `<section id="panel-dockerfile" role="tabpanel" aria-labelledby="tab-dockerfile"${tab === 'dockerfile' ? '' : ' hidden'}>`,
    `<div id="dockerfile-root"><p class="empty">${escapeHtml(t('Loading…'))}</p></div>`,
    '</section>',
    `<section id="panel-architecture" role="tabpanel" aria-labelledby="tab-architecture"${tab === 'architecture' ? '' : ' hidden'}>`,
    `<h1>${escapeHtml(t('Architecture diagrams'))}</h1>`,
    arch.html,
    '</section>',
  ].join('\n');
  return { html, diagrams: arch.count };
}

/** The diagram front end's UI strings, translated. */
export function diagramStrings(): DiagramStrings {
  return {
    noDockerfile: t('Open a Dockerfile to see its stages and layers here.'),
    stageGraph: t('Stage graph'),
    stageGraphHint: t('Arrows run from what a stage uses to the stage. Click a stage (or Enter) to show its layers and its FROM line.'),
    layerStack: t('Layers of {0}'),
    layerStackHint: t('Bottom to top, as a container sees them. Click a block (or Enter) to show its line.'),
    containerLayer: t('Container layer (writable, added by docker run)'),
    containerLayerDetail: t('Not part of the image: each container gets its own. Files it changes are copied up into it (copy-on-write) and vanish with the container.'),
    legendFrom: t('FROM: builds on'),
    legendCopyFrom: t('COPY --from: copies files from'),
    legendMountFrom: t('RUN --mount=from: mounts files from'),
    legendTarget: t('built for the target'),
    legendSkipped: t('not needed by the target (skipped)'),
    targetBadge: t('target'),
    metadataOnly: t('metadata only'),
    textAlternative: t('Text description'),
    stageLabel: t('Stage {0}'),
    imageLabel: t('Image {0}'),
    edgeText: t('{0} → {1}: {2} on line {3}'),
    revealHint: t('line {0}'),
    total: t('This stage\'s own layers add up to {0}.'),
  };
}
