import type { DockerfileModel, Step } from '../model';
import type { Rule } from '../rule';
import type { Finding, Fix } from '../types';
import { t } from '../l10n';
import { parseRunScript } from '../shell';
import { allStages } from './packages';

/** The flags of a RUN as one comparable string (`--mount=...`, `--network=...`, in order). */
function flagKey(step: Step): string {
  return step.flags.map((f) => `${f.name}=${f.value ?? ''}`).join(' ');
}

/** Number of commands hadolint counts in a RUN (every simple command of the script, nested ones included). */
function commandCount(model: DockerfileModel, step: Step): number {
  return parseRunScript(model, step).commands.length;
}

export const consecutiveRun: Rule = {
  id: 'consecutive-run',
  category: 'size',
  severity: 'info',
  aliases: { hadolint: ['DL3059'] },
  title: 'Consecutive RUN instructions with the same flags that could be one RUN (one layer)',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    const model = ctx.model;
    for (const stage of allStages(ctx)) {
      let prev: Step | undefined;
      for (const step of stage.steps) {
        // Only the instruction right before counts; comments are not steps, so they do not separate RUNs.
        if (step.keyword !== 'RUN') {
          prev = undefined;
          continue;
        }
        if (prev && flagKey(prev) === flagKey(step) && commandCount(model, prev) <= 2 && commandCount(model, step) <= 2) {
          const fix = mergeFix(model, prev, step);
          out.push({
            ruleId: 'consecutive-run',
            message: t('This RUN follows the RUN on line {0} with the same flags: each RUN makes a layer, and files one deletes stay in the layer of the other. Consider joining them with "&&".', String(prev.range.start.line + 1)),
            range: step.keywordRange,
            aliases: { hadolint: 'DL3059' },
            fixes: fix ? [fix] : undefined,
          });
        }
        prev = step;
      }
    }
    return out;
  },
};

/**
 * Joins the two RUNs as `first && second` — only for two single-line shell-form RUNs right after each other
 * (no line, comment or blank line between), without heredocs, and a first script that does not end in an operator.
 */
function mergeFix(model: DockerfileModel, first: Step, second: Step): Fix | undefined {
  for (const s of [first, second]) {
    if (s.json || s.heredocs.length || !s.argsRange || s.range.start.line !== s.range.end.line) return undefined;
    const script = parseRunScript(model, s);
    if (script.skipped || script.error || script.kind !== 'shell') return undefined;
    if (s.argsText.includes('#')) return undefined;
  }
  if (second.range.start.line !== first.range.end.line + 1) return undefined;
  const a = first.argsText.trim();
  if (!a || /(&&|\|\||[|&;\\(])$/.test(a)) return undefined;
  return {
    title: t('Join it to the RUN on line {0}', String(first.range.start.line + 1)),
    edits: [{ range: { start: first.range.end, end: second.argsRange!.start }, newText: ' && ' }],
  };
}
