/** Commands in the palette. */
import * as vscode from 'vscode';
import { RULES } from '../../core';
import { isDockerfileDocument } from './analysisService';
import type { DiagnosticsSupport } from './diagnostics';

export function registerCommands(context: vscode.ExtensionContext, diagnostics: DiagnosticsSupport): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('dockerfileInsight.lintActiveFile', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !isDockerfileDocument(doc)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a Dockerfile to lint it.'));
        return undefined;
      }
      const n = await diagnostics.lint(doc);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Dockerfile Insight: {0} finding(s)', n), 4000);
      return n;
    }),
    vscode.commands.registerCommand('dockerfileInsight.showRules', async () => {
      const items = RULES.map((r) => ({
        label: r.id,
        description: `${r.category} · ${r.severity}${r.fixable ? ' · ' + vscode.l10n.t('quick fix') : ''}`,
        detail: [r.title, ...Object.entries(r.aliases).map(([tool, codes]) => `${tool}: ${(codes ?? []).join(', ')}`)].join(' — '),
        rule: r,
      }));
      const pick = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Dockerfile Insight rules: pick one to read its documentation'), matchOnDetail: true });
      if (pick) await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${pick.rule.id}.md`));
      return pick?.rule.id;
    }),
  );
}
