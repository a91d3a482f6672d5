/**
 * Turns the analysis model of a Dockerfile into what the live diagram draws: the stage graph (stages and the
 * images they use as nodes; FROM, COPY --from and RUN --mount=from as edges; the target's path marked) and each
 * stage's layer stack (base layers, one block per filesystem step with the layer preview's predicted size,
 * metadata-only steps as annotations). No `vscode` import: the unit tests run it in Node.
 */
import { DockerfileModel, effectText, INSTRUCTIONS, Stage, Step, t } from '../../core';
import { formatBytes, LayerPreview, layerKind, StepLayer } from '../../core/layers';
import { layerHint, leftoverText } from '../../core/layerText';
import type { DockerfileDiagram, GraphEdge, GraphNode, StackEntry, StageStack } from '../../webview/protocol';

export interface DiagramOptions {
  uri: string;
  version: number;
  fileName: string;
  /**
   * The layer preview (src/core/layers.ts, computed with `allStages: true`): which steps make a layer, their
   * layer numbers and, with a build context, the bytes each COPY/ADD takes. Without it (or without a context),
   * sizes are unknown and block heights follow the kind of step.
   */
  preview?: LayerPreview;
}

/**
 * What the layer preview predicts for the size of one step's layer, if anything: the bytes a COPY/ADD takes from
 * the build context (for `--from` a stage, the context files traced into it), 0 for an empty WORKDIR layer.
 * These are the numbers the inlay hints show (core/layerText.ts layerHint).
 */
export function predictedBytes(sl: StepLayer | undefined, preview: LayerPreview | undefined): number | undefined {
  if (!sl || sl.kind !== 'layer') return undefined;
  if (sl.emptyLayer) return 0;
  const copy = sl.copy;
  if (!copy || copy.remote.length) return undefined;
  if (copy.from !== undefined) return copy.traced === 'none' ? undefined : copy.bytes ?? undefined;
  if (!preview?.context || copy.sources.some((s) => s.missing)) return undefined;
  return copy.bytes ?? undefined; // null: an archive ADD unpacks whose size could not be read
}

/** Whether the predicted size is only a lower bound (files traced through a stage whose RUN steps add more). */
function lowerBound(sl: StepLayer | undefined): boolean {
  return sl?.copy?.from !== undefined && sl.copy.traced === 'partial';
}

/** What the layer preview knows about a step beyond its hint: what a RUN installs or leaves behind. */
function previewNote(sl: StepLayer | undefined): string {
  if (!sl) return '';
  const parts: string[] = [];
  if (lowerBound(sl)) parts.push(t('Plus whatever the RUN steps of {0} made there.', sl.copy?.from ?? ''));
  if (sl.copy?.remote.length) parts.push(t('Downloads {0} at build time: its size is not known here.', sl.copy.remote.join(', ')));
  if (sl.run) {
    for (const i of sl.run.installs) parts.push(t('Installs with {0}: {1}.', i.manager, i.packages.join(' ')));
    for (const l of sl.run.leftovers) parts.push(l.size ? t('Leaves {0} in {1} (about {2}).', leftoverText(l.what), l.path, l.size) : t('Leaves {0} in {1}.', leftoverText(l.what), l.path));
    parts.push(t('A RUN layer holds whatever the command writes: its size is known only after the build.'));
  }
  return parts.join(' ');
}

/** Whether a step writes a filesystem layer, as the layer preview decides (RUN, COPY, ADD, WORKDIR not `/`). */
export function makesLayer(model: DockerfileModel, step: Step): boolean {
  return layerKind(model, step) === 'layer';
}

/** One line of display text for an instruction. */
export function instructionText(step: Step, max = 72): string {
  const flags = step.flags.map((f) => (f.value === null ? `--${f.name}` : `--${f.name}=${f.value}`)).join(' ');
  const args = step.argsText.replace(/\s+/g, ' ').trim();
  const text = [step.keyword, flags, args].filter(Boolean).join(' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function stageLabel(stage: Stage): string {
  return stage.name ?? `#${stage.index}`;
}

function baseText(model: DockerfileModel, stage: Stage): string {
  if (stage.baseKind === 'scratch') return 'scratch';
  if (stage.baseKind === 'stage' && stage.baseStage !== undefined) return stageLabel(model.stages[stage.baseStage]);
  return stage.base || '?';
}

/** The stage graph and the layer stacks of every stage of `model`. */
export function dockerfileDiagram(model: DockerfileModel, opts: DiagramOptions): DockerfileDiagram {
  const required = new Set(model.requiredStages);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const images = new Map<string, GraphNode>();

  const imageNode = (ref: string, line: number, detail: string, needed: boolean): GraphNode => {
    let n = images.get(ref);
    if (!n) {
      n = { id: `i${images.size}`, kind: ref.toLowerCase() === 'scratch' ? 'scratch' : 'image', label: ref, detail, line, required: needed, target: false };
      images.set(ref, n);
      nodes.push(n);
    } else if (needed) n.required = true;
    return n;
  };

  for (const stage of model.stages) {
    const needed = required.has(stage.index);
    const fromLine = stage.from.range.start.line;
    nodes.push({
      id: `s${stage.index}`,
      kind: 'stage',
      label: stageLabel(stage),
      detail: model.fragment && stage.index === 0 && !stage.base ? t('no FROM (a fragment)') : `FROM ${baseText(model, stage)}`,
      stage: stage.index,
      line: fromLine,
      required: needed,
      target: stage.index === model.target,
    });
  }
  for (const stage of model.stages) {
    const needed = required.has(stage.index);
    const to = `s${stage.index}`;
    const fromLine = stage.from.range.start.line;
    if ((stage.baseKind === 'image' || stage.baseKind === 'unknown') && stage.base) {
      const n = imageNode(stage.base, fromLine, t('base image'), needed);
      edges.push({ from: n.id, to, kind: 'from', line: fromLine, required: needed });
    }
    for (const e of stage.edges) {
      const line = model.steps[e.step]?.range.start.line ?? fromLine;
      if (e.stage !== undefined) {
        edges.push({ from: `s${e.stage}`, to, kind: e.kind, line, required: needed });
      } else if (e.kind !== 'from' && e.ref) {
        const n = imageNode(e.ref, line, e.kind === 'copy-from' ? t('image (COPY --from)') : t('image (RUN --mount from)'), needed);
        edges.push({ from: n.id, to, kind: e.kind, line, required: needed });
      }
    }
  }

  const preview = opts.preview;
  const stacks: StageStack[] = model.stages.map((stage) => stageStack(model, stage, preview));
  const sized = !!preview?.context;

  return {
    uri: opts.uri,
    version: opts.version,
    fileName: opts.fileName,
    nodes,
    edges,
    target: model.target,
    stacks,
    sizeSource: sized ? 'layer-preview' : 'by-kind',
    sizeNote: sized
      ? t('Sizes are the layer preview\'s: the bytes each COPY and ADD takes from the build context. A RUN layer is drawn by kind: its size is known only after a build. Heights grow with the logarithm of the size.')
      : t('The build context was not read: block heights only show the kind of step (RUN tall, COPY and ADD medium, WORKDIR small).'),
  };
}

function stageStack(model: DockerfileModel, stage: Stage, preview: LayerPreview | undefined): StageStack {
  const fromLine = stage.from.range.start.line;
  let baseDetail: string;
  if (stage.baseKind === 'scratch') baseDetail = t('scratch: an empty filesystem, no base layers.');
  else if (stage.baseKind === 'stage' && stage.baseStage !== undefined) {
    const parent = model.stages[stage.baseStage];
    baseDetail = t('The layers of stage {0}: its base and its {1} filesystem layer(s), shared, read-only.', stageLabel(parent), parent.steps.filter((s) => makesLayer(model, s)).length);
  } else if (model.fragment && !stage.base) baseDetail = t('No FROM: the base image is unknown.');
  else baseDetail = t('The layers of {0}: pulled once, read-only, shared by every image built on it.', stage.base || '?');
  const entries: StackEntry[] = [{
    kind: 'base',
    keyword: 'FROM',
    text: model.fragment && !stage.base ? t('(no FROM)') : baseText(model, stage),
    line: fromLine,
    endLine: stage.from.range.end.line,
    size: '',
    detail: baseDetail,
  }];
  let total = 0;
  let known = 0;
  let unknown = 0;
  for (const step of stage.steps) {
    const line = step.range.start.line;
    const endLine = step.range.end.line;
    const text = instructionText(step);
    const sl = preview?.byStep.get(step.index);
    if ((sl?.kind ?? layerKind(model, step)) === 'layer') {
      const bytes = predictedBytes(sl, preview);
      if (bytes === undefined || lowerBound(sl)) unknown++;
      if (bytes !== undefined) {
        known++;
        total += bytes;
      }
      const parts = [effectText('layer')];
      const hint = sl ? layerHint(sl) : undefined;
      if (hint) parts.push(`(${hint})`);
      const note = previewNote(sl);
      if (note) parts.push(note);
      const size = bytes === undefined ? '' : lowerBound(sl) ? t('{0}+', formatBytes(bytes)) : formatBytes(bytes);
      entries.push({ kind: 'layer', keyword: step.keyword, text, line, endLine, bytes, size, detail: parts.join(' ') });
    } else {
      const effect = INSTRUCTIONS[step.keyword]?.effect;
      const detail = step.keyword === 'WORKDIR' ? t('WORKDIR / makes no layer: the directory is already there.')
        : effect ? effectText(effect) : t('Unknown instruction: Docker will refuse to build this file.');
      entries.push({ kind: 'meta', keyword: step.keyword, text, line, endLine, size: '', detail });
    }
  }
  const totalText = !preview?.context || known === 0 ? '' : unknown ? t('at least {0}', formatBytes(total)) : formatBytes(total);
  return { stage: stage.index, entries, total: totalText };
}
