import assert from 'node:assert/strict';
import { CONCEPTS, DIAGRAM_IDS, diagramSvg, LANGS } from '../../src/concepts/catalog';
import { architectureBody, articleBody, diagramPageBody, renderMarkdown } from '../../src/extension/shared/conceptHtml';
import { contentSecurityPolicy, makeNonce, page, sanitizeSvg, svgDescription } from '../../src/webview/html';
import { isWebviewMessage } from '../../src/webview/protocol';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const EXT = `${CSP_SOURCE}/work/ext/dist/webview`;

interface Tag {
  name: string;
  attrs: Record<string, string>;
  raw: string;
  index: number;
}

/** A small tag scanner, enough for the markup we generate (comments skipped, attributes unquoted). */
function tags(html: string): Tag[] {
  const out: Tag[] = [];
  const noComments = html.replace(/<!--[\s\S]*?-->/g, (m) => ' '.repeat(m.length));
  const re = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  for (let m = re.exec(noComments); m; m = re.exec(noComments)) {
    const attrs: Record<string, string> = {};
    const are = /([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;
    for (let a = are.exec(m[2]); a; a = are.exec(m[2])) {
      const v = a[2] ?? '';
      attrs[a[1].toLowerCase()] = v.replace(/^["']|["']$/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    }
    out.push({ name: m[1].toLowerCase(), attrs, raw: m[0], index: m.index });
  }
  return out;
}

/** Everything that would let the page load or run something it should not. Empty = passes. */
function cspProblems(html: string, cspSource = CSP_SOURCE): string[] {
  const problems: string[] = [];
  const all = tags(html);
  const metas = all.filter((t) => t.name === 'meta' && (t.attrs['http-equiv'] ?? '').toLowerCase() === 'content-security-policy');
  if (metas.length !== 1) return [`expected one CSP <meta>, found ${metas.length}`];
  const policy = metas[0].attrs.content ?? '';
  const directives = new Map(policy.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/);
    return [name, values] as const;
  }));
  if ((directives.get('default-src') ?? []).join(' ') !== "'none'") problems.push(`default-src is not 'none': ${policy}`);
  if (/unsafe-inline|unsafe-eval|unsafe-hashes|\*|data:|blob:|http:/.test(policy)) problems.push(`unsafe source in the policy: ${policy}`);
  for (const [name, values] of directives) {
    for (const v of values) {
      if (v.startsWith("'nonce-") || v === "'none'" || v === "'self'" || v === cspSource) continue;
      problems.push(`${name} allows ${v}`);
    }
  }
  const scriptSrc = directives.get('script-src') ?? [];
  const nonces = scriptSrc.filter((v) => v.startsWith("'nonce-")).map((v) => v.slice(7, -1));
  if (scriptSrc.length === 0 || nonces.length !== 1 || scriptSrc.length !== 1) problems.push(`script-src must be exactly one nonce: ${scriptSrc.join(' ')}`);
  const nonce = nonces[0];
  if (!nonce || nonce.length < 16) problems.push('the nonce is missing or short');

  const ownUri = (u: string) => u.startsWith(`${cspSource}/`);
  for (const t of all) {
    for (const [k, v] of Object.entries(t.attrs)) {
      if (/^on/.test(k)) problems.push(`inline event handler ${k} in ${t.raw.slice(0, 80)}`);
      if (k === 'style') problems.push(`inline style attribute in ${t.raw.slice(0, 80)}`);
      if (/^\s*javascript:/i.test(v)) problems.push(`javascript: URL in ${t.raw.slice(0, 80)}`);
    }
    if (['iframe', 'frame', 'object', 'embed', 'base', 'form', 'applet', 'foreignobject'].includes(t.name)) problems.push(`<${t.name}> is not allowed`);
    if (t.name === 'script') {
      if (t.attrs.nonce !== nonce) problems.push(`<script> without the page nonce: ${t.raw}`);
      if (!t.attrs.src || !ownUri(t.attrs.src)) problems.push(`<script> not from the extension's files: ${t.raw}`);
      const close = html.indexOf('</script>', t.index);
      if (close < 0 || html.slice(t.index + t.raw.length, close).trim() !== '') problems.push(`inline script content after ${t.raw}`);
    }
    if (t.name === 'style') problems.push('<style> element (styles come from the extension\'s stylesheet only)');
    if (t.name === 'link' && (!t.attrs.href || !ownUri(t.attrs.href))) problems.push(`<link> not from the extension's files: ${t.raw}`);
    // Attributes that load something (as opposed to <a href>, which is navigation).
    const loads: Array<[string, string]> = [];
    for (const k of ['src', 'srcset', 'poster', 'data', 'action', 'formaction', 'background']) if (t.attrs[k] !== undefined) loads.push([k, t.attrs[k]]);
    if (['use', 'image', 'feimage', 'script', 'link'].includes(t.name)) {
      for (const k of ['href', 'xlink:href']) if (t.attrs[k] !== undefined) loads.push([k, t.attrs[k]]);
    }
    for (const [k, v] of loads) {
      if (v.startsWith('#') || ownUri(v)) continue;
      problems.push(`${t.name} ${k}="${v}" loads from outside the extension`);
    }
    if (t.name === 'a' && t.attrs.href !== undefined && !/^(#|https:\/\/)/.test(t.attrs.href)) problems.push(`link to ${t.attrs.href}`);
  }
  if (/url\(/i.test(html.replace(/<svg[\s\S]*?<\/svg>/gi, (s) => s.replace(/url\(#[\w-]+\)/g, '')))) problems.push('url(...) in the markup');
  return problems;
}

function fullPage(body: string, script: string, attrs?: Record<string, string>): string {
  return page({
    cspSource: CSP_SOURCE,
    nonce: makeNonce(),
    title: 'T',
    lang: 'en',
    styles: [`${EXT}/style.css`],
    scripts: [`${EXT}/${script}`],
    body,
    bodyAttributes: attrs,
  });
}

describe('webview HTML and its Content-Security-Policy', () => {
  it('the checker catches what it must (so the checks below can fail)', () => {
    const good = fullPage('<p>ok</p>', 'diagram.js');
    assert.deepEqual(cspProblems(good), []);
    const bad = (needle: string, replacement: string) => cspProblems(good.replace(needle, replacement));
    assert.ok(bad('<p>ok</p>', '<script>alert(1)</script>').length > 0, 'inline script');
    assert.ok(bad('<p>ok</p>', `<script src="${EXT}/x.js"></script>`).length > 0, 'script without nonce');
    assert.ok(bad('<p>ok</p>', '<img src="https://example.com/a.png">').length > 0, 'remote image');
    assert.ok(bad('<p>ok</p>', '<p onclick="x()">a</p>').length > 0, 'event handler');
    assert.ok(bad('<p>ok</p>', '<p style="color:red">a</p>').length > 0, 'inline style');
    assert.ok(bad('<p>ok</p>', '<link rel="stylesheet" href="https://cdn.example/x.css">').length > 0, 'remote stylesheet');
    assert.ok(bad('<p>ok</p>', '<svg><use href="https://example.com/s.svg#a"/></svg>').length > 0, 'remote svg use');
    // (the policy is attribute-escaped in the page: ' is &#39;)
    assert.ok(good.includes('default-src &#39;none&#39;'));
    assert.ok(bad('default-src &#39;none&#39;', 'default-src &#39;self&#39;').length > 0, 'default-src');
    assert.ok(bad('script-src &#39;nonce-', 'script-src &#39;unsafe-inline&#39; &#39;nonce-').length > 0, 'unsafe-inline');
    assert.ok(bad('; script-src', `; img-src https://example.com; script-src`).length > 0, 'remote source in the policy');
  });

  it('has default-src none, scripts by nonce only, and no remote or inline sources', () => {
    const policy = contentSecurityPolicy(CSP_SOURCE, 'abcdefghijklmnop');
    assert.match(policy, /^default-src 'none';/);
    assert.match(policy, /script-src 'nonce-abcdefghijklmnop'/);
    assert.doesNotMatch(policy, /unsafe|https?:\/\/(?!file\+\.vscode-resource)/);
  });

  it('makes a fresh, long nonce each time and refuses a weak one', () => {
    const a = makeNonce();
    assert.match(a, /^[A-Za-z0-9+/]{32}$/);
    assert.notEqual(a, makeNonce());
    assert.throws(() => page({ cspSource: CSP_SOURCE, nonce: 'x', title: '', lang: 'en', styles: [], scripts: [], body: '' }));
  });

  for (const lang of LANGS) {
    it(`the diagram panel page (${lang}) passes, with every catalog diagram inline`, () => {
      const body = diagramPageBody(lang, 'dockerfile');
      const html = fullPage(body.html, 'diagram.js');
      assert.deepEqual(cspProblems(html), []);
      assert.equal(body.diagrams, DIAGRAM_IDS.filter((id) => diagramSvg(id, lang)).length);
      assert.equal((html.match(/<svg\b/g) ?? []).length, body.diagrams);
      assert.match(html, /role="tablist"/);
      assert.match(html, /id="dockerfile-root"/);
    });

    it(`every concept article page (${lang}) passes`, () => {
      for (const c of CONCEPTS) {
        const a = articleBody(c, lang);
        const html = fullPage(a.html, 'article.js', { 'data-concept': c.id });
        assert.deepEqual(cspProblems(html), [], c.id);
        assert.equal(a.title, c.title[lang]);
        assert.equal(a.hasDiagram, !!diagramSvg(c.diagram, lang), `${c.id} shows its diagram ${c.diagram}`);
      }
    });
  }

  it('renders article Markdown without raw HTML, remote images or script links', () => {
    const html = renderMarkdown([
      '# Title',
      '',
      'Text with <b onclick="x()">raw</b> HTML and <script>alert(1)</script>.',
      '',
      '![remote](https://example.com/x.png) ![diagram](diagram:union-fs-cow)',
      '',
      '[a concept](concept:union-fs-cow), [a diagram](diagram:shared-layers), [docs](https://docs.docker.com/), [bad](javascript:alert(1)), [file](file:///etc/passwd)',
    ].join('\n'), 'en');
    assert.deepEqual(cspProblems(fullPage(html, 'article.js')), []);
    assert.ok(!html.includes('<script'), html);
    assert.ok(!html.includes('<b '), html);
    assert.ok(html.includes('&lt;b onclick'), html);
    assert.ok(!html.includes('example.com/x.png'), html);
    assert.ok(html.includes('[remote]'), html);
    assert.match(html, /data-concept="union-fs-cow"/);
    assert.match(html, /data-diagram="shared-layers"/);
    assert.match(html, /href="https:\/\/docs\.docker\.com\/"/);
    assert.ok(!/javascript:|file:\/\//.test(html), html);
    if (diagramSvg('union-fs-cow', 'en')) assert.match(html, /<figure class="concept-diagram"[^>]*data-diagram-id="union-fs-cow"/);
  });

  it('sanitizes SVG markup and reads its text alternative', () => {
    const dirty = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="x()"><desc>A &amp; B</desc><script>alert(1)</script>'
      + '<foreignObject><div>x</div></foreignObject><a href="https://e.com"><text>t</text></a><use href="#ok"/></svg>';
    const clean = sanitizeSvg(dirty);
    assert.ok(!/script|onload|foreignObject|https:\/\/e\.com|<\?xml/.test(clean), clean);
    assert.match(clean, /href="#ok"/);
    assert.equal(svgDescription(dirty), 'A & B');
  });

  it('the architecture tab lists each diagram with a heading and a link to its concepts', () => {
    const { html, count } = architectureBody('en');
    assert.equal((html.match(/class="figure-title"/g) ?? []).length, count);
    assert.equal((html.match(/<a href="#diagram-/g) ?? []).length, count);
  });

  it('accepts only well-formed messages from a webview', () => {
    assert.ok(isWebviewMessage({ type: 'ready' }));
    assert.ok(isWebviewMessage({ type: 'reveal', uri: 'file:///x', line: 3 }));
    assert.ok(!isWebviewMessage({ type: 'reveal', uri: 'file:///x', line: -1 }));
    assert.ok(!isWebviewMessage({ type: 'reveal', uri: 'file:///x', line: '3' }));
    assert.ok(!isWebviewMessage({ type: 'openConcept' }));
    assert.ok(!isWebviewMessage({ type: 'exec', command: 'rm' }));
    assert.ok(!isWebviewMessage(null));
    assert.ok(!isWebviewMessage('ready'));
  });
});
