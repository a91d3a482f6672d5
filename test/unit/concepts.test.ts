import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  articleFor, CONCEPTS, conceptForInstruction, conceptForRule, conceptsInGroup, DIAGRAM_CSS_VARIABLES, DIAGRAM_IDS,
  DIAGRAM_TITLES, diagramSvg, getConcept, GROUPS, INSTRUCTION_CONCEPTS, LANGS, normalizeLang, RULE_CONCEPTS,
} from '../../src/concepts/catalog';
import { ARTICLES, DIAGRAMS } from '../../src/concepts/generated';
import { RULES } from '../../src/core/registry';

// ── A small strict XML well-formedness checker (enough for hand-written SVG) ──────────────────────────────

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*$/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;

function checkCharData(text: string, where: string): void {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i))) throw new Error(`${where}: bad entity reference at "${text.slice(i, i + 12)}"`);
  }
}

/** Throws unless `xml` is a well-formed XML document (one root element, matched tags, quoted unique attributes,
 * valid entity references, no DOCTYPE). Returns the root element's name. */
export function checkWellFormedXml(xml: string): string {
  const stack: string[] = [];
  let root = '';
  let rootClosed = false;
  let i = 0;
  const fail = (msg: string): never => {
    const line = xml.slice(0, i).split('\n').length;
    throw new Error(`line ${line}: ${msg}`);
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text.includes('>') && /]]>/.test(text)) fail('"]]>" in text');
    if (stack.length === 0 && text.trim() !== '') fail(`text outside the root element: "${text.trim().slice(0, 20)}"`);
    checkCharData(text, 'text');
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      if (xml.slice(i + 4, end).includes('--')) fail('"--" inside a comment');
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) fail('CDATA outside the root element');
      const end = xml.indexOf(']]>', i);
      if (end < 0) fail('unterminated CDATA');
      i = end + 3;
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i);
      if (end < 0) fail('unterminated processing instruction');
      i = end + 2;
    } else if (xml.startsWith('<!', i)) {
      fail('DOCTYPE and other declarations are not allowed');
    } else if (xml.startsWith('</', i)) {
      const m = /^<\/([^\s>]+)\s*>/.exec(xml.slice(i));
      if (!m) fail('malformed end tag');
      const open = stack.pop();
      if (open !== m![1]) fail(`</${m![1]}> closes <${open ?? 'nothing'}>`);
      if (stack.length === 0) rootClosed = true;
      i += m![0].length;
    } else {
      const m = /^<([^\s/>]+)/.exec(xml.slice(i));
      if (!m || !NAME.test(m[1])) fail(`bad element name near "${xml.slice(i, i + 20)}"`);
      const name = m![1];
      if (stack.length === 0) {
        if (root) fail(`second root element <${name}>`);
        root = name;
      }
      i += m![0].length;
      const seen = new Set<string>();
      for (;;) {
        const ws = /^\s*/.exec(xml.slice(i))![0];
        i += ws.length;
        if (xml.startsWith('/>', i)) {
          i += 2;
          if (stack.length === 0) rootClosed = true;
          break;
        }
        if (xml.startsWith('>', i)) {
          i += 1;
          stack.push(name);
          break;
        }
        if (!ws) fail(`attributes of <${name}> must be separated by whitespace`);
        const a = /^([^\s=/>]+)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(xml.slice(i));
        if (!a || !NAME.test(a[1])) fail(`malformed attribute in <${name}> near "${xml.slice(i, i + 20)}"`);
        if (seen.has(a![1])) fail(`duplicate attribute ${a![1]} in <${name}>`);
        seen.add(a![1]);
        checkCharData(a![3] ?? a![4], `attribute ${a![1]}`);
        i += a![0].length;
      }
    }
  }
  if (stack.length) fail(`unclosed <${stack[stack.length - 1]}>`);
  if (!root || !rootClosed) fail('no root element');
  return root;
}

/** Attributes of every element: [tag, attributes][] (values unescaped only for &amp;). */
function elements(svg: string): Array<[string, Map<string, string>]> {
  const out: Array<[string, Map<string, string>]> = [];
  for (const m of svg.matchAll(/<([A-Za-z][\w:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g)) {
    const attrs = new Map<string, string>();
    for (const a of m[2].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs.set(a[1], a[2] ?? a[3]);
    out.push([m[1], attrs]);
  }
  return out;
}

const CJK = /[\u4e00-\u9fff]/g;
const cjkCount = (s: string) => (s.match(CJK) ?? []).length;
const words = (s: string) => s.replace(/`[^`]*`/g, 'code').split(/\s+/).filter(Boolean).length;

/**
 * CommonMark's rule for `**` runs, which CJK text easily breaks: an opening run must be left-flanking and a
 * closing run right-flanking, and punctuation next to a run counts ("**根（root）**的" does not close).
 */
function emphasisProblems(md: string): string[] {
  const problems: string[] = [];
  const isWs = (c: string | undefined) => c === undefined || /\s/.test(c);
  const isPunct = (c: string | undefined) => c !== undefined && /[\p{P}\p{S}]/u.test(c);
  for (const para of md.split(/\n\s*\n/)) {
    const text = para.replace(/`[^`\n]*`/g, 'x');
    const runs = [...text.matchAll(/\*\*/g)].map((m) => m.index!);
    runs.forEach((at, k) => {
      const before = text[at - 1];
      const after = text[at + 2];
      const opening = k % 2 === 0;
      const ok = opening
        ? !isWs(after) && (!isPunct(after) || isWs(before) || isPunct(before))
        : !isWs(before) && (!isPunct(before) || isWs(after) || isPunct(after));
      if (!ok) problems.push(`${opening ? 'opening' : 'closing'} ** near "${text.slice(Math.max(0, at - 10), at + 12)}"`);
    });
    if (runs.length % 2) problems.push(`odd number of ** in "${text.slice(0, 40)}…"`);
  }
  return problems;
}

describe('concepts: the XML checker used below', () => {
  it('accepts well-formed XML and rejects broken XML', () => {
    assert.equal(checkWellFormedXml('<svg a="1"><g><text x=\'2\'>a &amp; b &#x4e2d;</text></g><!-- ok --></svg>'), 'svg');
    for (const bad of [
      '<svg><g></svg>',
      '<svg><g></g>',
      '<svg a="1" a="2"/>',
      '<svg a=1/>',
      '<svg><text>a & b</text></svg>',
      '<svg/><svg/>',
      'text<svg/>',
      '<!DOCTYPE svg><svg/>',
      '<svg><!-- a -- b --></svg>',
      '<svg a="1"b="2"/>',
      '<svg a="x<y"/>',
    ]) {
      assert.throws(() => checkWellFormedXml(bad), Error, bad);
    }
  });

  it('finds CommonMark emphasis that would not render', () => {
    assert.deepEqual(emphasisProblems('**root**（UID 0）身份'), []);
    assert.equal(emphasisProblems('以 **root（UID 0）**身份').length, 1);
    assert.equal(emphasisProblems('a **b** and **c').length, 1);
  });
});

describe('concepts: catalog', () => {
  it('has unique ids, known groups, and every group is used', () => {
    const ids = CONCEPTS.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const c of CONCEPTS) {
      assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(GROUPS.some((g) => g.id === c.group), `${c.id}: group ${c.group}`);
      assert.equal(getConcept(c.id), c);
      assert.ok(c.keywords.length >= 3, `${c.id}: keywords`);
    }
    assert.deepEqual(GROUPS.map((g) => g.id), ['virtualization', 'containers', 'images-layers', 'architecture', 'security']);
    for (const g of GROUPS) {
      assert.ok(g.title.en && cjkCount(g.title['zh-cn']) > 0, `group ${g.id} titles`);
      assert.ok(conceptsInGroup(g.id).length > 0, `group ${g.id} has concepts`);
    }
  });

  it('every concept has a title and summary in English and Simplified Chinese', () => {
    for (const c of CONCEPTS) {
      for (const lang of LANGS) {
        assert.ok(c.title[lang].trim().length > 3, `${c.id}: title ${lang}`);
        assert.ok(c.summary[lang].trim().length > 10, `${c.id}: summary ${lang}`);
      }
      assert.ok(cjkCount(c.title['zh-cn']) > 0, `${c.id}: zh title is Chinese`);
      assert.ok(cjkCount(c.summary['zh-cn']) >= 10, `${c.id}: zh summary is Chinese`);
      assert.equal(cjkCount(c.summary.en), 0, `${c.id}: en summary has no Chinese`);
    }
  });

  it('related ids exist and do not point at themselves', () => {
    for (const c of CONCEPTS) {
      assert.ok(c.related.length > 0, `${c.id}: related`);
      for (const r of c.related) {
        assert.ok(getConcept(r), `${c.id}: related ${r} exists`);
        assert.notEqual(r, c.id);
      }
    }
  });

  it('covers every seed subject', () => {
    // virtualization; VM vs container; hypervisor types and hybrid; the shared kernel; namespaces and cgroups;
    // UnionFS, bootfs/rootfs, layers and copy-on-write, shared storage; image/container/registry; the engine;
    // Docker on Windows/macOS; pros and cons; root in the container.
    for (const id of [
      'virtualization', 'vm-vs-container', 'hypervisor-types', 'shared-kernel', 'namespaces-cgroups',
      'union-fs-cow', 'bootfs-rootfs', 'images-and-layers', 'image-container-registry', 'engine-architecture',
      'docker-desktop-vm', 'container-tradeoffs', 'root-and-user-namespaces', 'container-networking',
    ]) {
      assert.ok(getConcept(id), id);
    }
  });

  it('normalizes VS Code locales to an article language', () => {
    assert.equal(normalizeLang('zh-cn'), 'zh-cn');
    assert.equal(normalizeLang('zh-CN'), 'zh-cn');
    assert.equal(normalizeLang('zh-hans'), 'zh-cn');
    assert.equal(normalizeLang('en-us'), 'en');
    assert.equal(normalizeLang('de'), 'en');
    assert.equal(normalizeLang(undefined), 'en');
  });
});

describe('concepts: editor links', () => {
  it('every instruction and rule link target exists, and every linked rule id is registered', () => {
    for (const [kw, id] of Object.entries(INSTRUCTION_CONCEPTS)) {
      assert.equal(kw, kw.toUpperCase());
      assert.ok(getConcept(id), `${kw} → ${id}`);
      assert.equal(conceptForInstruction(kw)?.id, id);
      assert.equal(conceptForInstruction(kw.toLowerCase())?.id, id, 'keywords are case-insensitive');
    }
    const ruleIds = new Set(RULES.map((r) => r.id));
    for (const [rule, id] of Object.entries(RULE_CONCEPTS)) {
      assert.ok(ruleIds.has(rule), `rule ${rule} is in src/core/registry.ts`);
      assert.ok(getConcept(id), `${rule} → ${id}`);
      assert.equal(conceptForRule(rule)?.id, id);
    }
    assert.equal(conceptForInstruction('NOPE'), undefined);
    assert.equal(conceptForRule('no-such-rule'), undefined);
  });

  it('links the findings and keywords the issue names to the right concepts', () => {
    assert.equal(conceptForRule('root-user')?.id, 'root-and-user-namespaces');
    assert.equal(conceptForRule('missing-user')?.id, 'root-and-user-namespaces');
    assert.equal(conceptForInstruction('FROM')?.id, 'images-and-layers');
    for (const kw of ['RUN', 'COPY', 'ADD']) assert.equal(conceptForInstruction(kw)?.id, 'union-fs-cow', kw);
    assert.equal(conceptForInstruction('USER')?.id, 'root-and-user-namespaces');
    assert.equal(conceptForInstruction('EXPOSE')?.id, 'container-networking');
  });
});

describe('concepts: articles', () => {
  it('every concept has an article in both languages, and there are no orphan articles', () => {
    assert.deepEqual(Object.keys(ARTICLES).sort(), CONCEPTS.map((c) => c.id).sort());
    for (const c of CONCEPTS) {
      for (const lang of LANGS) assert.ok(articleFor(c.id, lang).length > 200, `${c.id}.${lang}.md`);
      assert.equal(articleFor(c.id, 'zh-CN'), articleFor(c.id, 'zh-cn'));
    }
    assert.equal(articleFor('no-such-concept', 'en'), '');
  });

  it('articles are short: 150–400 English words, and the Chinese text is really Chinese', () => {
    for (const c of CONCEPTS) {
      const en = articleFor(c.id, 'en');
      const zh = articleFor(c.id, 'zh-cn');
      const n = words(en);
      assert.ok(n >= 150 && n <= 400, `${c.id}.en.md has ${n} words`);
      assert.ok(cjkCount(en) <= 5, `${c.id}.en.md is English`);
      const z = cjkCount(zh);
      assert.ok(z >= 250 && z <= 900, `${c.id}.zh-cn.md has ${z} Chinese characters`);
      // Most of the prose (not the code) is Chinese.
      const latinWords = (zh.replace(/`[^`]*`/g, '').replace(/\]\([^)]*\)/g, ']').match(/[A-Za-z][A-Za-z0-9.+-]*/g) ?? []).length;
      assert.ok(z / (z + latinWords) > 0.7, `${c.id}.zh-cn.md is mostly Chinese (${z} characters, ${latinWords} Latin words)`);
    }
  });

  it('each article names its diagram, and every concept: and diagram: link resolves', () => {
    for (const c of CONCEPTS) {
      for (const lang of LANGS) {
        const md = articleFor(c.id, lang);
        assert.ok(md.includes(`(diagram:${c.diagram})`), `${c.id}.${lang}.md links its diagram ${c.diagram}`);
        for (const m of md.matchAll(/\]\(([^)\s]+)\)/g)) {
          const href = m[1];
          const concept = /^concept:(.+)$/.exec(href);
          const diagram = /^diagram:(.+)$/.exec(href);
          assert.ok(concept || diagram, `${c.id}.${lang}.md: only concept: and diagram: links (${href})`);
          if (concept) {
            assert.ok(getConcept(concept[1]), `${c.id}.${lang}.md → ${href}`);
            assert.notEqual(concept[1], c.id, `${c.id}.${lang}.md links itself`);
          }
          if (diagram) assert.ok(diagramSvg(diagram[1], lang), `${c.id}.${lang}.md → ${href}`);
        }
      }
    }
  });

  it('articles have no raw HTML, images, remote links or headings that repeat the title', () => {
    for (const c of CONCEPTS) {
      for (const lang of LANGS) {
        const md = articleFor(c.id, lang).replace(/`[^`]*`/g, '');
        assert.doesNotMatch(md, /<\/?[a-z][^>]*>/i, `${c.id}.${lang}.md: raw HTML`);
        assert.doesNotMatch(md, /!\[/, `${c.id}.${lang}.md: image`);
        assert.doesNotMatch(md, /https?:/i, `${c.id}.${lang}.md: remote link`);
        assert.doesNotMatch(md, /^# /m, `${c.id}.${lang}.md: H1 (the UI shows the catalog title)`);
        assert.deepEqual(emphasisProblems(articleFor(c.id, lang)), [], `${c.id}.${lang}.md: emphasis`);
      }
    }
  });
});

describe('concepts: diagrams', () => {
  const documented = new Map(DIAGRAM_CSS_VARIABLES.map((v) => [v.name, v.fallback]));

  it('every concept diagram exists, every diagram has a title, and there are no orphans', () => {
    assert.deepEqual(Object.keys(DIAGRAMS).sort(), [...DIAGRAM_IDS].sort());
    for (const c of CONCEPTS) {
      assert.ok((DIAGRAM_IDS as readonly string[]).includes(c.diagram), `${c.id}: diagram ${c.diagram}`);
      for (const lang of LANGS) assert.ok(diagramSvg(c.diagram, lang).startsWith('<svg'), `${c.diagram} ${lang}`);
    }
    for (const id of DIAGRAM_IDS) {
      assert.ok(CONCEPTS.some((c) => c.diagram === id), `${id} is used by a concept`);
      assert.ok(DIAGRAM_TITLES[id].en && cjkCount(DIAGRAM_TITLES[id]['zh-cn']) > 0, `${id}: titles`);
    }
    assert.equal(diagramSvg('no-such-diagram'), '');
  });

  it('the issue\'s required diagrams are all there', () => {
    for (const id of [
      'vm-vs-container', 'hypervisor-types', 'namespaces-cgroups', 'union-fs-cow', 'bootfs-rootfs',
      'image-container-registry', 'engine-architecture', 'container-networking', 'root-and-user-namespaces',
      'docker-desktop-vm',
    ]) {
      assert.ok(diagramSvg(id, 'en') && diagramSvg(id, 'zh-cn'), id);
    }
  });

  for (const id of DIAGRAM_IDS) {
    for (const lang of LANGS) {
      it(`${id} (${lang}) is well-formed, accessible, self-contained and themeable`, () => {
        const svg = diagramSvg(id, lang);
        assert.equal(checkWellFormedXml(svg), 'svg');
        const els = elements(svg);
        const [tag, root] = els[0];
        assert.equal(tag, 'svg');
        assert.equal(root.get('xmlns'), 'http://www.w3.org/2000/svg');
        assert.equal(root.get('role'), 'img');
        assert.equal(root.get('lang'), lang === 'en' ? 'en' : 'zh-CN');
        // Narrow by design: a 320-unit-wide viewBox with text of 10+ units stays readable at 300 px.
        assert.match(root.get('viewBox') ?? '', /^0 0 320 \d+$/);
        for (const [t, a] of els) {
          const size = a.get('font-size');
          if (size) assert.ok(Number(size) >= 10, `${t} font-size ${size}`);
        }

        // Text alternatives: <title> and <desc>, referenced by aria-labelledby.
        const title = /<title id="([^"]+)"[^>]*>([^<]+)<\/title>/.exec(svg);
        const desc = /<desc id="([^"]+)"[^>]*>([^<]+)<\/desc>/.exec(svg);
        assert.ok(title && title[2].trim().length > 5, 'title');
        assert.ok(desc && desc[2].trim().length > 80, 'desc');
        assert.equal(root.get('aria-labelledby'), `${title![1]} ${desc![1]}`);
        assert.ok(svg.indexOf('<title') < svg.indexOf('<desc'));

        // No scripts, no event handlers, no styles (CSP), nothing remote.
        assert.doesNotMatch(svg, /<script|<foreignObject|<style|<image|<iframe|<a[\s>]|@import/i);
        const ids = new Set<string>();
        for (const [t, a] of els) {
          for (const [name, value] of a) {
            assert.doesNotMatch(name, /^on/i, `${t} ${name}`);
            assert.notEqual(name, 'style', `${t} has a style attribute`);
            if (name === 'href' || name === 'xlink:href') assert.match(value, /^#/, `${t} ${name}=${value}`);
            if (name !== 'xmlns') assert.doesNotMatch(value, /https?:|\/\//i, `${t} ${name}=${value}`);
            for (const u of value.matchAll(/url\(([^)]*)\)/g)) assert.match(u[1], /^#/, `${t} ${name}: local url() only`);
            if (name === 'id') {
              assert.ok(!ids.has(value), `duplicate id ${value}`);
              ids.add(value);
            }
          }
          // Colours only through documented --dfi-* custom properties, with the documented fallback.
          for (const attr of ['fill', 'stroke', 'stop-color', 'color']) {
            const v = a.get(attr);
            if (!v || v === 'none' || /^url\(#/.test(v)) continue;
            const m = /^var\((--dfi-[a-z-]+), (#[0-9a-f]{6})\)$/.exec(v);
            assert.ok(m, `${t} ${attr}="${v}" must be var(--dfi-…, #rrggbb)`);
            assert.equal(documented.get(m![1]), m![2], `${m![1]} is documented with fallback ${m![2]}`);
          }
        }
        // Prefixed ids, so several diagrams can share one HTML page.
        const prefix = title![1].split('-')[0];
        for (const x of ids) assert.ok(x.startsWith(prefix + '-'), `id ${x} has the diagram's prefix ${prefix}-`);

        if (lang === 'zh-cn') {
          assert.ok(cjkCount(title![2]) >= 3 && cjkCount(desc![2]) > 30, 'zh title/desc are Chinese');
          assert.ok(cjkCount(svg.replace(/<title[\s\S]*<\/desc>/, '')) > 5, 'zh labels are Chinese');
          const en = diagramSvg(id, 'en');
          assert.equal(elements(svg).length, elements(en).length, 'same drawing as the English one');
        } else {
          assert.equal(cjkCount(svg), 0, 'en has no Chinese');
        }
      });
    }
  }
});

describe('concepts: generated module', () => {
  it('src/concepts/generated.ts is up to date with the .md and .svg sources', () => {
    const script = join(process.cwd(), 'scripts', 'gen-concepts.mjs');
    execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' });
  });
});
