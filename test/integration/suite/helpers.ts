// Shared helpers for the integration suites. They run INSIDE the VS Code extension host.
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dockerfile-insight.dockerfile-insight';
export const SOURCE = 'Dockerfile Insight';

/** Polls `fn` until it returns a truthy value or `ms` elapse; returns the last value. */
export async function waitFor<T>(fn: () => T | Promise<T>, ms = 15000, every = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await sleep(every);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function workspaceRoot(): vscode.Uri {
  const ws = vscode.workspace.workspaceFolders?.[0];
  assert.ok(ws, 'the fixture workspace folder is open');
  return ws.uri;
}

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The rule id of one of our diagnostics (`code` is `{ value, target }`). */
export function ruleId(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c && typeof c === 'object') return String(c.value);
  return c === undefined ? undefined : String(c);
}

/** Our diagnostics for `uri` (other sources filtered out). */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function rulesOf(uri: vscode.Uri): string[] {
  return ours(uri).map((d) => ruleId(d) ?? '?').sort();
}

export function dump(uri: vscode.Uri): string {
  return JSON.stringify(
    ours(uri).map((d) => ({ rule: ruleId(d), line: d.range.start.line, severity: vscode.DiagnosticSeverity[d.severity], message: d.message })),
  );
}

/** Waits until `pred` holds for our diagnostics of `uri`; fails with what was there instead. */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  pred: (ds: vscode.Diagnostic[]) => boolean,
  what: string,
  ms = 15000,
): Promise<vscode.Diagnostic[]> {
  const ok = await waitFor(() => pred(ours(uri)), ms);
  assert.ok(ok, `${what}: not seen within ${ms} ms for ${uri.path}; diagnostics are ${dump(uri)}`);
  return ours(uri);
}

export const hasRule = (rule: string) => (ds: vscode.Diagnostic[]) => ds.some((d) => ruleId(d) === rule);
export const lacksRule = (rule: string) => (ds: vscode.Diagnostic[]) => !ds.some((d) => ruleId(d) === rule);

/** Reverts every dirty document and closes all editors (no "save changes?" dialog can block). */
export async function revertAndCloseAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && !doc.isUntitled) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The text of every hover at `pos` (markdown and plain strings), joined. */
export async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** 0-based line of the first line whose trimmed text starts with `prefix` (case-sensitive). */
export function lineOf(doc: vscode.TextDocument, prefix: string, from = 0): number {
  for (let i = from; i < doc.lineCount; i++) {
    if (doc.lineAt(i).text.trimStart().startsWith(prefix)) return i;
  }
  assert.fail(`no line starting with ${JSON.stringify(prefix)} in ${doc.uri.path}`);
}

export async function setRules(rules: Record<string, string> | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('dockerfileInsight')
    .update('rules', rules, vscode.ConfigurationTarget.Workspace);
}
