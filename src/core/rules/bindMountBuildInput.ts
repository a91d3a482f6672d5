import type { Step } from '../model';
import { resolvePath } from '../model';
import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { effectiveProgram, scriptIf } from './runScripts';
import { addSources } from './addSources';
import { copyArgs } from './words';

function basename(p: string): string {
  const s = p.replace(/\/+$/, '');
  return s.slice(s.lastIndexOf('/') + 1);
}

/**
 * A context file COPYed in only to be used and deleted by a later RUN (`COPY requirements.txt /tmp/` then
 * `RUN pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt`): the file stays in the COPY's layer
 * (deleting it later only hides it) and the COPY is one more step in the cache chain. A bind mount gives the RUN the
 * file without a layer: `RUN --mount=type=bind,source=requirements.txt,target=/tmp/requirements.txt pip install …`.
 * Only the clear case is reported: a single plain source, and a later RUN of the stage that removes exactly it.
 */
export const bindMountBuildInput: Rule = {
  id: 'bind-mount-build-input',
  category: 'cache',
  severity: 'info',
  aliases: {},
  title: 'A file is COPYed only for a RUN that deletes it afterwards: a bind mount avoids the layer',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      // Paths in the image that a COPY of one context file put there, waiting for a RUN that deletes them.
      const pending = new Map<string, { step: Step; source: string; target: string }>();
      for (const step of stage.steps) {
        if (step.keyword === 'COPY' && !step.flags.some((f) => f.name.toLowerCase() === 'from') && !step.heredocs.length) {
          const sources = addSources(model, step);
          const dest = copyArgs(model, step).dest;
          if (sources.length !== 1 || !dest || sources[0].kind !== 'local' || !sources[0].value || /[*?[$]/.test(sources[0].value + dest.value)) continue;
          const source = sources[0].value;
          const into = resolvePath(step.workdir.value, dest.value);
          const target = dest.value.endsWith('/') || dest.value === '.' ? resolvePath(into, basename(source)) : into;
          pending.set(target, { step, source, target });
          continue;
        }
        if (step.keyword !== 'RUN' || !pending.size) continue;
        const script = scriptIf(model, step, ['rm']);
        if (!script) continue;
        for (const cmd of script.commands) {
          if (effectiveProgram(cmd).program !== 'rm') continue;
          for (const w of cmd.args) {
            if (w.hasExpansion || w.value.startsWith('-')) continue;
            const hit = pending.get(resolvePath(step.workdir.value, w.value));
            if (!hit) continue;
            pending.delete(hit.target);
            out.push({
              ruleId: 'bind-mount-build-input',
              message: t('"{0}" is copied into a layer only for the RUN on line {1}, which deletes it: the file stays in this COPY\'s layer (deleting it later only hides it) and the COPY is one more step in the cache chain. Mount it for that RUN instead: RUN --mount=type=bind,source={0},target={2} …', hit.source, String(step.range.start.line + 1), hit.target),
              range: hit.step.range.start.line === hit.step.range.end.line ? hit.step.range : { start: hit.step.range.start, end: hit.step.keywordRange.end },
              aliases: {},
            });
          }
        }
      }
    }
    return out;
  },
};
