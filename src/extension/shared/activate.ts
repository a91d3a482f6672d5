/** Shared activation for the Node and browser extension hosts: one registerXxxSupport per feature. */
import * as vscode from 'vscode';
import { setTranslator } from '../../core';
import { AnalysisService } from './analysisService';
import { registerCodeActionSupport } from './codeActions';
import { registerCommands } from './commands';
import { registerDiagnosticsSupport } from './diagnostics';
import { registerHoverSupport } from './hover';

export function activateShared(context: vscode.ExtensionContext): void {
  setTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  const output = vscode.window.createOutputChannel('Dockerfile Insight', { log: true });
  const service = new AnalysisService(output);
  context.subscriptions.push(output, service);
  const diagnostics = registerDiagnosticsSupport(context, service);
  registerHoverSupport(context, service);
  registerCodeActionSupport(context, service);
  registerCommands(context, diagnostics);
}
