/** User-facing text for the layer preview and the cache inputs (inlay hints, hovers), localised with t(). */
import type { DockerfileModel, Step } from './model';
import type { StepLayer } from './layers';
import { formatBytes } from './layers';
import type { CacheInputs, Prediction } from './cache';
import { t } from './l10n';

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';

/** The translated name of a RUN leftover (the names come from layers.ts). */
export function leftoverText(what: string): string {
  switch (what) {
    case 'apt package lists': return t('apt package lists');
    case 'apk package index cache': return t('apk package index cache');
    case 'dnf/yum metadata and package cache': return t('dnf/yum metadata and package cache');
    case 'zypper package cache': return t('zypper package cache');
    case 'pip download cache': return t('pip download cache');
    case 'npm cache': return t('npm cache');
    case 'yarn cache': return t('yarn cache');
    case 'gem documentation and cache': return t('gem documentation and cache');
    case 'Go build and module caches': return t('Go build and module caches');
    case 'downloaded archive': return t('downloaded archive');
    default: return what;
  }
}

/** Short text for an inlay hint after the instruction. */
export function layerHint(sl: StepLayer): string | undefined {
  if (sl.kind === 'none') return undefined;
  if (sl.kind === 'metadata') return t('metadata only');
  const n = sl.imageLayer !== undefined ? String(sl.imageLayer) : t('base+{0}', sl.layer ?? 0);
  if (sl.copy) {
    if (sl.copy.from !== undefined) {
      if (sl.copy.traced === 'none' || sl.copy.bytes === null) return t('layer {0} · from {1}', n, sl.copy.from);
      return t('layer {0} · from {1} · {2} files, {3}', n, sl.copy.from, sl.copy.files, formatBytes(sl.copy.bytes));
    }
    if (sl.copy.sources.some((s) => s.missing)) return t('layer {0} · source not in the build context', n);
    if (sl.copy.bytes === null) return t('layer {0}', n); // an archive ADD unpacks whose size could not be read
    return t('layer {0} · {1} files, {2}', n, sl.copy.files, formatBytes(sl.copy.bytes));
  }
  if (sl.emptyLayer) return t('layer {0} · empty (creates the directory)', n);
  if (sl.run?.leftovers.length) return t('layer {0} · leaves {1} (estimate)', n, sl.run.leftovers.map((l) => leftoverText(l.what)).join(', '));
  return t('layer {0}', n);
}

/** Markdown added to the hover of a step: the layer and what invalidates its cache. */
export function layerHoverMarkdown(model: DockerfileModel, step: Step, sl: StepLayer | undefined, inputs: CacheInputs | undefined, vertex: boolean): string {
  const out: string[] = [];
  if (sl && sl.kind === 'layer') {
    const n = sl.imageLayer !== undefined ? t('layer {0} of the image', sl.imageLayer) : t('layer {0} above the base image', sl.layer ?? 0);
    out.push(`**${t('Layer')}:** ${n}`);
    if (sl.copy) {
      if (sl.copy.from !== undefined) {
        out.push(t('Copies from {0}.', code(sl.copy.from)) + (sl.copy.traced !== 'none' && sl.copy.bytes !== null ? ' ' + t('Traced back to {0} context files, {1}{2}.', sl.copy.files, formatBytes(sl.copy.bytes), sl.copy.traced === 'partial' ? t(' (plus what its RUN steps made)') : '') : ''));
      } else {
        if (sl.copy.bytes !== null) out.push(t('Takes {0} files, {1} from the build context.', sl.copy.files, formatBytes(sl.copy.bytes)));
        for (const s of sl.copy.sources) {
          if (s.missing) out.push('- ' + t('{0}: nothing in the build context matches (the build fails)', code(s.source)));
          else if (s.sample.length) out.push(`- ${code(s.source)}: ${s.sample.slice(0, 5).map(code).join(', ')}${s.files > 5 ? ` ${t('and {0} more', s.files - 5)}` : ''}`);
        }
        if (sl.copy.remote.length) out.push('- ' + t('downloaded: {0}', sl.copy.remote.map(code).join(', ')));
      }
    }
    if (sl.run) {
      for (const i of sl.run.installs) out.push('- ' + t('installs (estimate): {0} with {1}', i.packages.map(code).join(' '), i.manager));
      for (const l of sl.run.leftovers) out.push('- ' + t('leaves behind (estimate): {0} in {1}{2}', leftoverText(l.what), code(l.path), l.size ? ` (~${l.size})` : ''));
    }
  } else if (sl && sl.kind === 'metadata') out.push(`**${t('Layer')}:** ${t('none: this instruction only changes the image configuration')}`);
  if (inputs && vertex) {
    const parts: string[] = [];
    for (const f of inputs.files) parts.push(f === '.' ? t('any file in the build context') : t('a file under {0}', code(f)));
    for (const m of inputs.mounts) parts.push(t('a file under {0} (bind mount)', code(m)));
    for (const a of inputs.args) parts.push(t('ARG {0}', code(a)));
    for (const i of inputs.images) parts.push(t('the image {0}', code(i)));
    for (const o of inputs.stageOutputs) parts.push(t('what stage {0} leaves at {1}', code(o.stage), code(o.path)));
    for (const r of inputs.remote) parts.push(t('the download {0}', code(r)));
    parts.push(t('the text of line {0}', inputs.lines.join(', ')));
    out.push('', `**${t('Rebuilds when')}:** ${parts.join(' · ')} ${t('changes')}.`);
    out.push('', t('_Context files count by content and mode, not by modification time._'));
  }
  void model;
  return out.join('\n\n').replace(/\n\n- /g, '\n- ');
}

/** One line per Dockerfile for the "what rebuilds" answer. */
export function predictionSummary(p: Prediction): string {
  const n = p.steps.filter((s) => s.status === 'rebuilt').length;
  if (p.firstRebuiltLine === null) return t('every step is served from the build cache');
  const first = p.steps.find((s) => s.line === p.firstRebuiltLine)!;
  return t('{0} of {1} steps rebuild, starting at line {2} ({3})', n, p.steps.length, p.firstRebuiltLine, first.instruction);
}
