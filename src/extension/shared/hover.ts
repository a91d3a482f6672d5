/** Hover on an instruction keyword: what it does, layer or metadata, and the USER / WORKDIR / SHELL in effect. */
import * as vscode from 'vscode';
import { hoverMarkdown, stepAtLine } from '../../core';
import { AnalysisService, LANGUAGE_ID } from './analysisService';
import { addConceptLink } from './conceptLinks';
import { toRange } from './diagnostics';
import { layerHoverSection } from './layerHover';

export function registerHoverSupport(context: vscode.ExtensionContext, service: AnalysisService): void {
  context.subscriptions.push(vscode.languages.registerHoverProvider({ language: LANGUAGE_ID }, {
    async provideHover(doc, position) {
      const result = await service.get(doc);
      const model = result.model;
      if (!model) return undefined;
      const step = stepAtLine(model, position.line);
      if (!step) return undefined;
      const kw = toRange(step.keywordRange);
      if (!kw.contains(position)) return undefined;
      const md = new vscode.MarkdownString(hoverMarkdown(model, step) + (await layerHoverSection(doc, model, step)));
      md.supportHtml = false;
      md.isTrusted = false;
      addConceptLink(md, step.keyword); // "Learn: <concept>" (trusts only the open-concept command)
      return new vscode.Hover(md, kw);
    },
  }));
}
