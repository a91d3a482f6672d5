/** Quick fixes: each finding's own fixes, plus "suppress for this instruction". */
import * as vscode from 'vscode';
import { Fix, suppressionFix } from '../../core';
import { AnalysisService, LANGUAGE_ID } from './analysisService';
import { DIAGNOSTIC_SOURCE, toRange } from './diagnostics';

function toWorkspaceEdit(uri: vscode.Uri, fix: Fix): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of fix.edits) edit.replace(uri, toRange(e.range), e.newText);
  return edit;
}

export function registerCodeActionSupport(context: vscode.ExtensionContext, service: AnalysisService): void {
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider({ language: LANGUAGE_ID }, {
    async provideCodeActions(doc, _range, ctx) {
      const ours = ctx.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code !== undefined);
      if (!ours.length) return [];
      const result = await service.get(doc);
      const model = result.model;
      if (!model) return [];
      const actions: vscode.CodeAction[] = [];
      for (const diag of ours) {
        const ruleId = typeof diag.code === 'object' ? String(diag.code.value) : String(diag.code);
        const finding = result.diagnostics.find((f) => f.ruleId === ruleId && toRange(f.range).isEqual(diag.range));
        for (const fix of finding?.fixes ?? []) {
          const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          a.diagnostics = [diag];
          a.isPreferred = fix.isPreferred;
          a.edit = toWorkspaceEdit(doc.uri, fix);
          actions.push(a);
        }
        const suppress = suppressionFix(model, ruleId, diag.range.start.line);
        if (suppress) {
          const a = new vscode.CodeAction(suppress.title, vscode.CodeActionKind.QuickFix);
          a.diagnostics = [diag];
          a.edit = toWorkspaceEdit(doc.uri, suppress);
          actions.push(a);
        }
      }
      return actions;
    },
  }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
}
