/**
 * Inline configuration comments:
 *  - ours:      `# dockerfile-insight ignore=rule-id,DL3008` (next instruction) and `# dockerfile-insight global ignore=...`
 *  - hadolint:  `# hadolint ignore=DL3008,DL3015` (next instruction) and `# hadolint global ignore=DL3008`
 *  - BuildKit:  the `# check=skip=A,B;error=true` parser directive (whole file; `skip=all` skips every check)
 * Ids may be our rule ids or any tool's code; matching is case-insensitive.
 */
import type { DockerfileModel, Step } from './model';
import { stepAtLine } from './model';
import type { Finding } from './types';

export interface Pragmas {
  /** Lower-cased ids/codes ignored in the whole file. */
  global: Set<string>;
  /** Line of an instruction's first line → lower-cased ids/codes ignored for that instruction. */
  byStepLine: Map<number, Set<string>>;
  /** BuildKit check directive: skipped check names (lower-case), 'all', and error=true. */
  checkSkip: Set<string>;
  checkError: boolean;
}

const IGNORE_RE = /^(dockerfile-insight|hadolint)\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9_,\-\s]+?)\s*$/i;

export function parsePragmas(model: DockerfileModel): Pragmas {
  const global = new Set<string>();
  const byStepLine = new Map<number, Set<string>>();
  for (const c of model.comments) {
    const m = IGNORE_RE.exec(c.text.trim());
    if (!m) continue;
    const ids = m[3].split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (m[2]) {
      for (const id of ids) global.add(id);
      continue;
    }
    const next = nextStepAfter(model, c.line);
    if (!next) continue;
    const line = next.range.start.line;
    let set = byStepLine.get(line);
    if (!set) byStepLine.set(line, (set = new Set()));
    for (const id of ids) set.add(id);
  }
  const checkSkip = new Set<string>();
  let checkError = false;
  if (model.check) {
    for (const part of model.check.value.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      const key = part.slice(0, eq).trim().toLowerCase();
      const val = part.slice(eq + 1).trim();
      if (key === 'skip') for (const s of val.split(',')) if (s.trim()) checkSkip.add(s.trim().toLowerCase());
      if (key === 'error') checkError = val.toLowerCase() === 'true';
    }
  }
  return { global, byStepLine, checkSkip, checkError };
}

/** The first instruction that starts after the comment's line (other comments and blank lines may lie between). */
function nextStepAfter(model: DockerfileModel, line: number): Step | undefined {
  // Binary search over steps by start line.
  const steps = model.steps;
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid].range.start.line <= line) lo = mid + 1;
    else hi = mid;
  }
  const candidate = steps[lo];
  if (!candidate) return undefined;
  // A comment inside a multi-line instruction belongs to that instruction, not the next one.
  const containing = stepAtLine(model, line);
  if (containing && containing !== candidate && containing.range.end.line >= line) return undefined;
  return candidate;
}

/** Normalises tool codes so `DS002`, `ds-0002` and `DS-0002` all match. */
export function codeKeys(code: string): string[] {
  const lower = code.toLowerCase();
  const m = /^(ds|avd-ds-)-?0*(\d+)$/.exec(lower);
  if (m) return [lower, `ds-${m[2].padStart(4, '0')}`];
  return [lower];
}

function matches(ids: Set<string>, f: Finding): boolean {
  if (ids.has(f.ruleId)) return true;
  for (const code of Object.values(f.aliases)) {
    if (!code) continue;
    for (const k of codeKeys(code)) if (ids.has(k)) return true;
  }
  return false;
}

function normalise(ids: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const id of ids) for (const k of codeKeys(id)) out.add(k);
  return out;
}

/** Whether an inline pragma suppresses this finding. */
export function isSuppressed(p: Pragmas, f: Finding, model: DockerfileModel): boolean {
  if (p.global.size && matches(normalise(p.global), f)) return true;
  if (f.aliases.buildkit && (p.checkSkip.has('all') || p.checkSkip.has(f.aliases.buildkit.toLowerCase()))) return true;
  if (p.byStepLine.size) {
    const step = stepAtLine(model, f.range.start.line);
    const set = step && p.byStepLine.get(step.range.start.line);
    if (set && matches(normalise(set), f)) return true;
  }
  return false;
}
