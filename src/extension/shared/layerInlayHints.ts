/** Inlay hints after each instruction: the layer it makes (number, files, bytes) or "metadata only". */
import * as vscode from 'vscode';
import { layerHint } from '../../core';
import { AnalysisService, LANGUAGE_ID, SECTION } from './analysisService';
import type { LayerService } from './layerService';

export const INLAY_SETTING = 'layers.inlayHints';

export function registerLayerInlayHints(context: vscode.ExtensionContext, service: AnalysisService, layers: LayerService): void {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    layers.onDidChange(() => changed.fire()),
    service.onDidChangeConfiguration(() => changed.fire()),
    vscode.languages.registerInlayHintsProvider({ language: LANGUAGE_ID }, {
      onDidChangeInlayHints: changed.event,
      async provideInlayHints(doc, range) {
        if (!vscode.workspace.getConfiguration(SECTION, doc.uri).get<boolean>(INLAY_SETTING, true)) return [];
        const model = (await service.get(doc)).model;
        if (!model) return [];
        const preview = await layers.layers(doc, model);
        const hints: vscode.InlayHint[] = [];
        for (const sl of preview.byStep.values()) {
          const end = sl.step.range.end;
          if (end.line < range.start.line || sl.step.range.start.line > range.end.line) continue;
          const label = layerHint(sl);
          if (!label) continue;
          const line = doc.lineAt(Math.min(end.line, doc.lineCount - 1));
          const hint = new vscode.InlayHint(line.range.end, label);
          hint.paddingLeft = true;
          hints.push(hint);
        }
        return hints;
      },
    }),
  );
}
