/** Diagnostics: on open and on change (debounced), cleared on close, refreshed when configuration changes. */
import * as vscode from 'vscode';
import type { Diagnostic as CoreDiagnostic, Range as CoreRange } from '../../core';
import { AnalysisService, isDockerfileDocument, SECTION } from './analysisService';

export const DIAGNOSTIC_SOURCE = 'Dockerfile Insight';

export function toRange(r: CoreRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

const SEVERITY: Record<CoreDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export interface DiagnosticsSupport {
  /** Lints a document now; resolves to the number of findings shown. */
  lint(doc: vscode.TextDocument): Promise<number>;
}

export function registerDiagnosticsSupport(context: vscode.ExtensionContext, service: AnalysisService): DiagnosticsSupport {
  const collection = vscode.languages.createDiagnosticCollection('dockerfile-insight');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const toDiagnostic = (d: CoreDiagnostic): vscode.Diagnostic => {
    const diag = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
    diag.source = DIAGNOSTIC_SOURCE;
    diag.code = { value: d.ruleId, target: vscode.Uri.joinPath(context.extensionUri, d.docs) };
    return diag;
  };

  const lint = async (doc: vscode.TextDocument): Promise<number> => {
    if (!isDockerfileDocument(doc) || doc.isClosed) return 0;
    if (!vscode.workspace.getConfiguration(SECTION, doc.uri).get<boolean>('enable', true)) {
      collection.delete(doc.uri);
      return 0;
    }
    const version = doc.version;
    const result = await service.get(doc);
    if (doc.isClosed || doc.version !== version) return result.diagnostics.length;
    const diags = result.diagnostics.map(toDiagnostic);
    if (result.skipped) {
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), result.skipped, vscode.DiagnosticSeverity.Information);
      d.source = DIAGNOSTIC_SOURCE;
      diags.push(d);
    }
    collection.set(doc.uri, diags);
    return result.diagnostics.length;
  };

  const schedule = (doc: vscode.TextDocument) => {
    if (!isDockerfileDocument(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    const delay = Math.max(0, Math.min(5000, vscode.workspace.getConfiguration(SECTION, doc.uri).get<number>('debounceMs', 250) ?? 250));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      void lint(doc);
    }, delay));
  };

  const lintAll = () => vscode.workspace.textDocuments.forEach((d) => void lint(d));

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument((d) => void lint(d)),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      timers.delete(d.uri.toString());
      collection.delete(d.uri);
    }),
    service.onDidChangeConfiguration(lintAll),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  lintAll();
  return { lint };
}

