/**
 * Message localisation for the core. The core must not import `vscode`, so the extension installs
 * `vscode.l10n.t` here at activation; the CLI and tests use the built-in English formatter.
 * Placeholders are `{0}`, `{1}`, ... as in `vscode.l10n.t`.
 */
export type Translator = (message: string, ...args: Array<string | number | boolean>) => string;

function format(message: string, ...args: Array<string | number | boolean>): string {
  // Without arguments every placeholder would stay as written: nothing to replace.
  if (args.length === 0) return message;
  return message.replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? m : String(v);
  });
}

let translator: Translator = format;

export function setTranslator(t: Translator | undefined): void {
  translator = t ?? format;
}

export function t(message: string, ...args: Array<string | number | boolean>): string {
  return translator(message, ...args);
}
