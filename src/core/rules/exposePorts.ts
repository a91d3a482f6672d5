/** The port specs of EXPOSE instructions, shared by the expose-* rules. */
import type { DockerfileModel, Step } from '../model';
import { expand } from '../variables';
import { dequote, SourceWord, stepWords } from './words';

export interface PortSpec {
  step: Step;
  word: SourceWord;
  /** The spec as written, quotes removed, variables not expanded. */
  written: string;
  /** After variable expansion; undefined when a variable has no known value. */
  value?: string;
  /** Parsed from `value`: port or range and protocol (as written, not lower-cased). */
  from?: number;
  to?: number;
  proto?: string;
  /** Set when `value` is not `port[-port][/proto]`: a host mapping (`:`), a non-number, ... */
  malformed?: 'mapping' | 'not-a-number';
}

export function exposeSpecs(model: DockerfileModel, step: Step): PortSpec[] {
  const out: PortSpec[] = [];
  for (const word of stepWords(model, step)) {
    const written = dequote(word.raw, model.escapeChar);
    const ex = expand(word.raw, step.scope, model.escapeChar);
    const spec: PortSpec = { step, word, written };
    out.push(spec);
    if (ex.unresolved.length) continue;
    const value = dequote(ex.value, '\u0000');
    spec.value = value;
    if (value.includes(':')) {
      spec.malformed = 'mapping';
      continue;
    }
    const slash = value.lastIndexOf('/');
    const port = slash >= 0 ? value.slice(0, slash) : value;
    if (slash >= 0) spec.proto = value.slice(slash + 1);
    const m = /^(\d+)(?:-(\d+))?$/.exec(port);
    if (!m) {
      spec.malformed = 'not-a-number';
      continue;
    }
    spec.from = Number(m[1]);
    spec.to = m[2] !== undefined ? Number(m[2]) : spec.from;
  }
  return out;
}

/** Every EXPOSE step of the file, ONBUILD triggers excluded. */
export function exposeSteps(model: DockerfileModel): Step[] {
  return model.steps.filter((s) => s.keyword === 'EXPOSE' && s.stage >= 0);
}
