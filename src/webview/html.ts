/**
 * The HTML document of our webviews, built by the extension host: a strict Content-Security-Policy
 * (`default-src 'none'`, scripts only with the page's nonce, styles, scripts and images only from the extension's
 * own files through `webview.asWebviewUri`), no remote sources. Pure: no `vscode`, no DOM (unit-tested in Node).
 */

export interface PageOptions {
  /** `webview.cspSource` (the origin asWebviewUri URIs are served from). */
  cspSource: string;
  /** A fresh nonce per page load (see makeNonce). */
  nonce: string;
  title: string;
  /** The document language (`en`, `zh-cn`). */
  lang: string;
  /** Stylesheet URIs (from asWebviewUri). */
  styles: readonly string[];
  /** Script URIs (from asWebviewUri); each gets the nonce. */
  scripts: readonly string[];
  /** Body markup (already escaped where it holds text). */
  body: string;
  /** Extra attributes on <body>, e.g. data-view. Values are escaped. */
  bodyAttributes?: Readonly<Record<string, string>>;
}

/** The Content-Security-Policy of a page. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** 32 random base64 characters (crypto.getRandomValues exists in Node 20, browsers and web workers). */
export function makeNonce(): string {
  const bytes = new Uint8Array(32);
  (globalThis as unknown as { crypto: { getRandomValues(a: Uint8Array): Uint8Array } }).crypto.getRandomValues(bytes);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (const b of bytes) out += alphabet[b & 63];
  return out;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function page(o: PageOptions): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(o.nonce)) throw new Error('page(): the nonce must be at least 16 base64 characters');
  const attrs = Object.entries(o.bodyAttributes ?? {}).map(([k, v]) => ` ${k}="${escapeHtml(v)}"`).join('');
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(o.lang)}">`,
    '<head>',
    '<meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(o.cspSource, o.nonce))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    ...o.styles.map((s) => `<link rel="stylesheet" href="${escapeHtml(s)}">`),
    `<title>${escapeHtml(o.title)}</title>`,
    '</head>',
    `<body${attrs}>`,
    o.body,
    ...o.scripts.map((s) => `<script nonce="${o.nonce}" src="${escapeHtml(s)}"></script>`),
    '</body>',
    '</html>',
  ].join('\n');
}

/**
 * Makes an SVG from the concept catalog safe to inline: drops scripts, foreignObject, event-handler attributes,
 * and any href that is not an in-document `#fragment`. The catalog's SVGs have none of these (its own tests
 * say so); this is a second guard, because the markup goes into a privileged webview.
 */
export function sanitizeSvg(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*>/gi, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<script\b[^>]*\/>/gi, '')
    .replace(/<foreignObject\b[\s\S]*?<\/foreignObject\s*>/gi, '')
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/\s+(?:xlink:)?href\s*=\s*("(?!#)[^"]*"|'(?!#)[^']*')/gi, '')
    .trim();
}

/** The text of the first <desc> of an SVG (its long text alternative), unescaped; '' when there is none. */
export function svgDescription(svg: string): string {
  const m = /<desc\b[^>]*>([\s\S]*?)<\/desc>/i.exec(svg);
  if (!m) return '';
  return m[1].replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}
