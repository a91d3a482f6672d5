/** The layer and cache part of an instruction's hover (called by hover.ts). */
import * as vscode from 'vscode';
import { cacheInputs, DockerfileModel, isVertex, layerHoverMarkdown, Step } from '../../core';
import { layerService } from './layerService';

/** Markdown to append to the hover of `step` ('' when there is nothing to add). */
export async function layerHoverSection(doc: vscode.TextDocument, model: DockerfileModel, step: Step): Promise<string> {
  const service = layerService();
  if (!service || step.stage < 0 || step.keyword === 'FROM') return '';
  try {
    const preview = await service.layers(doc, model);
    const sl = preview.byStep.get(step.index);
    const vertex = isVertex(model, step);
    const md = layerHoverMarkdown(model, step, sl, vertex ? cacheInputs(model, step) : undefined, vertex);
    return md ? `\n\n---\n\n${md}` : '';
  } catch {
    return '';
  }
}
