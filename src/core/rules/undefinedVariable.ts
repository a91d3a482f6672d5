import type { Rule } from '../rule';
import type { Finding } from '../types';
import type { DockerfileModel, Stage, Step } from '../model';
import { offsetAt } from '../model';
import { t } from '../l10n';
import { parseImageRef } from '../imageRef';
import { expand, PLATFORM_ARGS, unquote, VarBinding, VarScope } from '../variables';
import { editDistance, insertLineAfter } from './util';
import { dequote, keyValueArgs, stepWords, variableRefs, VarRef } from './words';

/** Instructions whose words BuildKit expands (FROM is checked on its own; RUN, CMD, ENTRYPOINT are not expanded). */
const EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ARG']);

/** Values the platform ARGs take in a typical build, for checking what FROM becomes with defaults. */
const PLATFORM_PLACEHOLDERS: Record<string, string> = {
  BUILDPLATFORM: 'linux/amd64', BUILDOS: 'linux', BUILDARCH: 'amd64', BUILDVARIANT: '',
  TARGETPLATFORM: 'linux/amd64', TARGETOS: 'linux', TARGETARCH: 'amd64', TARGETVARIANT: '', TARGETSTAGE: '',
};

/** Docker's reference grammar (distribution/reference), enough to tell a usable image name from a broken one. */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

export function isValidReference(ref: string): boolean {
  return REFERENCE.test(ref) && parseImageRef(ref) !== undefined;
}

/** The closest name (case-insensitive edit distance) among candidates, if close enough to be a typo. */
export function suggestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.min(2, Math.max(1, Math.floor(name.length / 3))) ? best : undefined;
}

/** Where the variable references of a step are (the words BuildKit expands). */
function stepRefs(model: DockerfileModel, step: Step): VarRef[] {
  const out: VarRef[] = [];
  // No `$` anywhere in the instruction, no reference (the common case; a slice of the text copies nothing).
  const { start, end } = step.range;
  if (!model.text.slice(offsetAt(model, start.line, start.character), offsetAt(model, end.line, end.character)).includes('$')) return out;
  for (const w of stepWords(model, step, false)) {
    // --from is not expanded (copy-from-unknown-stage reports variables there).
    if (/^--from=/i.test(w.raw)) continue;
    out.push(...variableRefs(model, w.start, w.end));
  }
  return out;
}

/** The global ARGs with only their default values (no --build-arg), as BuildKit's check evaluates FROM. */
function defaultsScope(model: DockerfileModel): VarScope {
  const scope = new Map<string, VarBinding>();
  for (const name of PLATFORM_ARGS) scope.set(name, { name, kind: 'predefined', value: PLATFORM_PLACEHOLDERS[name] ?? '', step: -1 });
  for (const step of model.globalArgs) {
    for (const p of keyValueArgs(model, step).pairs) {
      const value = p.hasValue ? unquote(expand(p.rawValue, scope, model.escapeChar).value) : scope.get(p.key)?.kind === 'predefined' ? scope.get(p.key)?.value : undefined;
      scope.set(p.key, { name: p.key, kind: 'arg', value, step: step.index });
    }
  }
  return scope;
}

function rootOf(model: DockerfileModel, stage: Stage): Stage {
  let s = stage;
  while (s.baseKind === 'stage' && s.baseStage !== undefined) s = model.stages[s.baseStage];
  return s;
}

export const undefinedVariable: Rule = {
  id: 'undefined-variable',
  category: 'correctness',
  severity: 'warning',
  aliases: { buildkit: ['UndefinedVar', 'UndefinedArgInFrom', 'InvalidDefaultArgInFrom'] },
  title: 'A variable is used where no ARG or ENV declares it (or only a global ARG does), so it expands to an empty string',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    const globalNames = new Set<string>();
    for (const s of model.globalArgs) for (const p of keyValueArgs(model, s).pairs) globalNames.add(p.key);
    // Built only for a FROM with a variable in its image (rare).
    let defaults: VarScope | undefined;

    for (const stage of model.stages) {
      const from = stage.from;
      // FROM sees only the global scope: ARGs before the first FROM and the platform ARGs.
      const fromWords = stepWords(model, from, false).filter((w) => !w.raw.startsWith('--') || /^--platform=/i.test(w.raw));
      const baseWord = fromWords.find((w) => !w.raw.startsWith('--'));
      for (const w of fromWords) {
        if (!w.raw.includes('$')) continue;
        const seen = new Set<string>();
        for (const ref of variableRefs(model, w.start, w.end)) {
          if (model.globalScope.has(ref.name) || seen.has(ref.name)) continue;
          seen.add(ref.name);
          const suggestion = suggestName(ref.name, model.globalScope.keys());
          const inStage = model.steps.some((s) => s.stage >= 0 && s.keyword === 'ARG' && keyValueArgs(model, s).pairs.some((p) => p.key === ref.name));
          out.push({
            ruleId: 'undefined-variable',
            message: inStage
              ? t('FROM uses ${0}, but only ARGs declared before the first FROM are visible to FROM; the ARG {0} inside a stage is not. Move "ARG {0}" above the first FROM.', ref.name)
              : suggestion
                ? t('FROM uses ${0}, which no ARG before the first FROM declares (did you mean ${1}?): it expands to an empty string.', ref.name, suggestion)
                : t('FROM uses ${0}, which no ARG before the first FROM declares: it expands to an empty string.', ref.name),
            range: ref.range,
            aliases: { buildkit: 'UndefinedArgInFrom' },
          });
        }
      }
      if (baseWord && baseWord.raw.includes('$')) {
        const value = dequote(expand(baseWord.raw, (defaults ??= defaultsScope(model)), model.escapeChar).value, '\u0000');
        const isStage = model.stages.some((s) => s.index < stage.index && s.name?.toLowerCase() === value.toLowerCase());
        if (value.toLowerCase() !== 'scratch' && !isStage && !isValidReference(value)) {
          out.push({
            ruleId: 'undefined-variable',
            message: value
              ? t('With the default values of its ARGs, FROM {0} becomes "{1}", which is not a valid image reference: the build fails unless --build-arg supplies a value. Give the ARG a usable default.', baseWord.raw, value)
              : t('With the default values of its ARGs, FROM {0} is empty: the build fails unless --build-arg supplies a value. Give the ARG a usable default.', baseWord.raw),
            range: baseWord.range,
            aliases: { buildkit: 'InvalidDefaultArgInFrom' },
          });
        }
      }

      // The other instructions. Variables the base image sets are unknown here, so a name is only reported when
      // the evidence says it is a mistake: the stage is built on scratch, the name is a global ARG not re-declared
      // in the stage, it is declared later in the stage, or it is a near-miss of a declared name.
      const fromScratch = rootOf(model, stage).baseKind === 'scratch';
      const declaredAt = new Map<string, number>();
      for (const s of stage.steps) {
        if (s.keyword !== 'ARG' && s.keyword !== 'ENV') continue;
        for (const p of keyValueArgs(model, s).pairs) if (!declaredAt.has(p.key)) declaredAt.set(p.key, s.index);
      }
      const reported = new Set<string>();
      for (const step of stage.steps) {
        if (!EXPANDED.has(step.keyword)) continue;
        for (const ref of stepRefs(model, step)) {
          const name = ref.name;
          if (step.scope.has(name) || name === 'PATH') continue;
          const key = `${step.index}:${name}`;
          if (reported.has(key)) continue;
          const later = declaredAt.get(name);
          // Set by this same ENV: env-self-reference explains that case.
          if (later === step.index && step.keyword === 'ENV') continue;
          const laterLine = later !== undefined && later > step.index ? model.steps[later].range.start.line + 1 : undefined;
          let message: string | undefined;
          let fix: Finding['fixes'];
          if (globalNames.has(name)) {
            message = t('${0} is declared by an ARG before the first FROM, which a stage does not see unless it repeats "ARG {0}": here it expands to an empty string.', name);
            fix = [{ title: t('Add "ARG {0}" after FROM', name), edits: [insertLineAfter(model, stage.from, `${keywordCase(step.written, 'ARG')} ${name}`)], isPreferred: true }];
          } else if (laterLine !== undefined) {
            message = t('${0} is used before line {1} declares it: here it expands to an empty string.', name, laterLine);
          } else {
            const suggestion = suggestName(name, new Set([...step.scope.keys(), ...declaredAt.keys()]));
            if (suggestion) message = t('${0} is not declared in this Dockerfile (did you mean ${1}?): unless the base image sets it, it expands to an empty string.', name, suggestion);
            else if (fromScratch) message = t('${0} is not declared, and this stage is built on scratch, so nothing else sets it: it expands to an empty string.', name);
          }
          if (!message) continue;
          reported.add(key);
          out.push({ ruleId: 'undefined-variable', message, range: ref.range, aliases: { buildkit: 'UndefinedVar' }, fixes: fix });
        }
      }
    }
    return out;
  },
};

function keywordCase(written: string, keyword: string): string {
  return written === written.toLowerCase() ? keyword.toLowerCase() : keyword;
}
