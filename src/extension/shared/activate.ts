/** Shared activation for the Node and browser extension hosts: one registerXxxSupport per feature. */
import * as vscode from 'vscode';
import { setTranslator } from '../../core';
import { AnalysisService } from './analysisService';
import { registerCodeActionSupport } from './codeActions';
import { registerCommands } from './commands';
import { registerConceptLinks } from './conceptLinks';
import { registerConceptSupport } from './conceptsView';
import { registerDiagnosticsSupport } from './diagnostics';
import { registerDiagramPanel } from './diagramPanel';
import { registerHoverSupport } from './hover';
import { registerLayerInlayHints } from './layerInlayHints';
import { LayerService } from './layerService';
import { registerWhatRebuilds } from './whatRebuilds';

export function activateShared(context: vscode.ExtensionContext): void {
  setTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  const output = vscode.window.createOutputChannel('Dockerfile Insight', { log: true });
  const service = new AnalysisService(output);
  context.subscriptions.push(output, service);
  const diagnostics = registerDiagnosticsSupport(context, service);
  const layers = new LayerService();
  context.subscriptions.push(layers);
  // The context rules read the build context the layer preview walks (cached; never walked per keystroke).
  service.setContextProvider((uri) => layers.contextIfReady(uri));
  // Re-analyse when a walk finishes, and when files of a context change (a new .dockerignore, a new .env): the next
  // analysis asks for the context again, which starts a fresh walk in the background.
  context.subscriptions.push(
    layers.onDidContextReady(() => service.contextChanged()),
    layers.onDidChange(() => service.contextChanged()),
  );
  registerHoverSupport(context, service);
  registerLayerInlayHints(context, service, layers);
  registerWhatRebuilds(context, layers);
  registerCodeActionSupport(context, service);
  registerCommands(context, diagnostics);
  registerConceptSupport(context, service);
  registerConceptLinks(context);
  registerDiagramPanel(context, service);
}
