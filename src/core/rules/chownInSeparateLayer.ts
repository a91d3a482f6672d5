import type { Rule } from '../rule';
import type { DockerfileModel, Stage, Step } from '../model';
import { resolvePath } from '../model';
import type { Finding, Fix } from '../types';
import { t } from '../l10n';
import { expand } from '../variables';
import { parseRunScript, ShellCommand, ShellScript, ShellWord } from '../shell';
import { deleteStepLines } from './util';
import { readOptions } from './runScripts';
import { dequote, stepWords } from './words';

interface CopyDest {
  step: Step;
  path: string;
}

/** Where a COPY/ADD puts its files, resolved against the WORKDIR in effect; undefined when not known. */
function copyDestination(model: DockerfileModel, step: Step): string | undefined {
  let raw: string | undefined;
  if (step.json) raw = step.json[step.json.length - 1];
  else {
    const words = stepWords(model, step);
    if (words.length < 2) return undefined;
    raw = dequote(words[words.length - 1].raw, model.escapeChar);
  }
  if (raw === undefined) return undefined;
  const ex = expand(raw, step.scope, model.escapeChar);
  if (ex.unresolved.length || !ex.value) return undefined;
  // A relative destination with no WORKDIR set resolves against the base image's WORKDIR; "/" is the best guess.
  return resolvePath(step.workdir.value, ex.value);
}

function overlaps(a: string, b: string): boolean {
  return a === b || a === '/' || b === '/' || b.startsWith(a + '/') || a.startsWith(b + '/');
}

/** The path operands of a recursive chown, resolved; undefined entries for paths we cannot resolve. */
function chownTargets(step: Step, script: ShellScript, cmd: ShellCommand): { owner?: ShellWord; paths: Array<{ word: ShellWord; path: string }> } | undefined {
  const { options, operands } = readOptions(cmd, { longWithValue: ['reference', 'from'] });
  if (!options.some((o) => (o.long ? o.name === 'recursive' : o.name === 'R'))) return undefined;
  const reference = options.some((o) => o.long && o.name === 'reference');
  const owner = reference ? undefined : operands[0];
  const pathWords = reference ? operands : operands.slice(1);
  // A `cd` earlier in the script moves relative paths somewhere we do not follow.
  const cdBefore = script.commands.some((c) => c.program === 'cd' && c.start < cmd.start);
  const paths: Array<{ word: ShellWord; path: string }> = [];
  for (const w of pathWords) {
    let v = w.value;
    if (w.hasExpansion) {
      const ex = expand(v, step.scope, '\\');
      if (ex.unresolved.length) continue;
      v = ex.value.replace(/^["']|["']$/g, '');
    }
    if (/[*?[]/.test(v)) continue;
    if (!v.startsWith('/') && cdBefore) continue;
    paths.push({ word: w, path: resolvePath(step.workdir.value, v) });
  }
  return { owner, paths };
}

export const chownInSeparateLayer: Rule = {
  id: 'chown-in-separate-layer',
  category: 'size',
  severity: 'warning',
  aliases: {},
  title: 'RUN chown -R over files an earlier COPY/ADD of the stage added: the layer stores a second copy of them; use COPY --chown',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      const copies: CopyDest[] = [];
      for (const step of stage.steps) {
        if (step.keyword === 'COPY' || step.keyword === 'ADD') {
          const path = copyDestination(model, step);
          if (path) copies.push({ step, path });
          continue;
        }
        if (step.keyword !== 'RUN' || !copies.length || !step.argsText.includes('chown')) continue;
        const script = parseRunScript(model, step);
        if (script.skipped) continue;
        for (const cmd of script.commands) {
          if (cmd.program !== 'chown') continue;
          const targets = chownTargets(step, script, cmd);
          if (!targets) continue;
          for (const { word, path } of targets.paths) {
            const copy = [...copies].reverse().find((c) => overlaps(c.path, path));
            if (!copy) continue;
            const owner = targets.owner && !targets.owner.hasExpansion ? targets.owner.value : undefined;
            const finding: Finding = {
              ruleId: 'chown-in-separate-layer',
              message: owner
                ? t('chown -R {0} changes files that {1} on line {2} added: the files are stored again in this layer, with the new owner (copy-on-write). Use {1} --chown={3} instead.', path, copy.step.keyword, copy.step.range.start.line + 1, owner)
                : t('chown -R {0} changes files that {1} on line {2} added: the files are stored again in this layer, with the new owner (copy-on-write). Set the owner with {1} --chown instead.', path, copy.step.keyword, copy.step.range.start.line + 1),
              range: word.range,
              aliases: {},
            };
            const fix = owner ? copyChownFix(model, stage, step, script, cmd, copy, path, owner) : undefined;
            if (fix) finding.fixes = [fix];
            out.push(finding);
            break;
          }
        }
      }
    }
    return out;
  },
};

/**
 * `COPY src /app` + `RUN chown -R app /app` → `COPY --chown=app src /app`, when the RUN is nothing but that chown,
 * the COPY comes right before it, its destination is the chown's only path, and it has no --chown yet. Not
 * preferred: `chown -R` also changes files that were in /app before the COPY, and `--chown` does not.
 */
function copyChownFix(model: DockerfileModel, stage: Stage, run: Step, script: ShellScript, cmd: ShellCommand, copy: CopyDest, path: string, owner: string): Fix | undefined {
  const pos = stage.steps.indexOf(run);
  if (pos < 1 || stage.steps[pos - 1] !== copy.step || copy.path !== path) return undefined;
  if (script.commands.length !== 1 || script.pipelines.length !== 1 || script.commands[0] !== cmd) return undefined;
  if (cmd.args.filter((a) => !a.value.startsWith('-')).length !== 2) return undefined;
  if (copy.step.flags.some((f) => f.name.toLowerCase() === 'chown')) return undefined;
  if (!/^[A-Za-z0-9_.$:{}-]+$/.test(owner)) return undefined;
  const at = copy.step.keywordRange.end;
  return {
    title: t('Use {0} --chown={1} and remove this RUN', copy.step.keyword, owner),
    edits: [{ range: { start: at, end: at }, newText: ` --chown=${owner}` }, deleteStepLines(model, run)],
    isPreferred: false,
  };
}
