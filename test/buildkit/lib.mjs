// Helpers for the real-BuildKit suite: a small Dockerfile reader (independent of src/core, on purpose: the suite
// must not share the parser it is checking), the `--progress=plain` reader, the step mapping and the comparison.
// Plain Node, no dependencies.
import { spawn } from 'node:child_process';

/** Instructions that BuildKit (dockerfile frontend of Docker 20.10) turns into a build vertex after FROM. */
export const VERTEX_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/**
 * Reads a Dockerfile the way Docker's parser splits it: parser directives (only `escape` matters here), comment
 * lines, line continuations (comment and empty lines inside a continuation are dropped), one instruction per
 * logical line. Returns the stages with their RUN/COPY/ADD/WORKDIR steps and the line (1-based) each starts on;
 * `vertex` is false for a WORKDIR that resolves to "/" (BuildKit makes no step for it).
 * @returns {{ stages: { index: number, name: string | undefined, line: number, base: string,
 *   steps: { line: number, keyword: string, text: string }[] }[], instructions: { line: number, keyword: string, text: string }[] }}
 */
export function readDockerfile(text) {
  const lines = text.split(/\r\n|\r|\n/);
  let escape = '\\';
  let i = 0;
  // parser directives: only at the very top, `# key=value`, stop at the first line that is not one
  for (; i < lines.length; i++) {
    const m = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/.exec(lines[i]);
    if (!m) break;
    if (m[1].toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const instructions = [];
  while (i < lines.length) {
    const raw = lines[i];
    if (/^\s*$/.test(raw) || /^\s*#/.test(raw)) { i++; continue; }
    const start = i + 1;
    let joined = '';
    let cur = raw;
    for (;;) {
      const t = cur.replace(/\s+$/, '');
      if (t.endsWith(escape)) {
        joined += t.slice(0, -1);
        i++;
        // skip comment lines and empty lines inside the continuation
        while (i < lines.length && (/^\s*#/.test(lines[i]) || /^\s*$/.test(lines[i]))) i++;
        if (i >= lines.length) break;
        cur = lines[i];
        continue;
      }
      joined += cur;
      i++;
      break;
    }
    const body = joined.trim();
    const m = /^(\S+)\s*([\s\S]*)$/.exec(body);
    instructions.push({ line: start, keyword: m[1].toUpperCase(), text: m[2] });
  }
  const stages = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.text.split(/\s+/).filter((w) => !w.startsWith('--'));
      const asIdx = words.findIndex((w) => w.toLowerCase() === 'as');
      const base = words[0] ?? '';
      // FROM <earlier stage>: BuildKit makes no FROM vertex for it, the stage's steps are numbered from 1
      const parent = stages.find((s) => s.name !== undefined && s.name.toLowerCase() === base.toLowerCase());
      stages.push({ index: stages.length, name: asIdx > 0 ? words[asIdx + 1] : undefined, line: ins.line, base,
        fromStage: !!parent, parent, workdir: parent ? parent.workdir : '/', body: [], steps: [] });
    } else if (stages.length) stages[stages.length - 1].body.push(ins);
    if (ins.keyword !== 'FROM' && stages.length && VERTEX_INSTRUCTIONS.has(ins.keyword)) {
      const st = stages[stages.length - 1];
      let vertex = true;
      if (ins.keyword === 'WORKDIR') {
        // BuildKit 0.8 makes no mkdir vertex when the resolved directory is "/" (but still counts the command in n)
        const arg = ins.text.trim().replace(/^"(.*)"$/, '$1');
        if (/\$/.test(arg)) st.workdir = undefined; // a variable: unknown, assume not "/"
        else if (arg.startsWith('/')) st.workdir = normalize(arg);
        else st.workdir = st.workdir === undefined ? undefined : normalize(`${st.workdir}/${arg}`);
        vertex = st.workdir !== '/';
      }
      st.steps.push({ ...ins, vertex });
    }
  }
  return { stages, instructions };
}

/**
 * What makes two steps the same build vertex, roughly: the same base and the same instructions (metadata ones
 * included) from FROM down to the step. BuildKit merges such steps of two stages into one vertex and prints it
 * once, under one of the stages' names.
 */
export function chainKey(stage, line) {
  const base = stage.parent ? `stage:${chainKey(stage.parent, Infinity)}` : stage.base.toLowerCase();
  const body = stage.body.filter((i) => i.line <= line).map((i) => `${i.keyword} ${i.text.replace(/\s+/g, ' ').trim()}`);
  return JSON.stringify([base, ...body]);
}

function normalize(p) {
  const out = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop(); else out.push(part);
  }
  return `/${out.join('/')}`;
}

/**
 * Reads `docker build --progress=plain` output. Returns the vertices that name a Dockerfile step,
 * `#N [stage i/n] TEXT` (stage prefix absent for single-stage files), with `CACHED` / `DONE` / `ERROR`.
 * @returns {{ vertex: number, stage: string | undefined, index: number, total: number, text: string, status: 'cached'|'rebuilt'|'error'|'unknown' }[]}
 */
export function readProgress(output) {
  const byVertex = new Map();
  const status = new Map();
  for (const line of output.split(/\r?\n/)) {
    let m = /^#(\d+) \[(?:(?:[a-z0-9]+\/[a-z0-9]+(?:\/[a-z0-9]+)? )?(\S+) )?(\d+)\/(\d+)\] (.*)$/.exec(line);
    if (m) {
      const v = Number(m[1]);
      if (!byVertex.has(v)) byVertex.set(v, { vertex: v, stage: m[2], index: Number(m[3]), total: Number(m[4]), text: m[5] });
      continue;
    }
    m = /^#(\d+) (CACHED|DONE\b|ERROR\b)/.exec(line);
    if (m) {
      const v = Number(m[1]);
      const s = m[2] === 'CACHED' ? 'cached' : m[2] === 'ERROR' ? 'error' : 'rebuilt';
      // CACHED wins over a later DONE line of the same vertex (never seen, but be strict about errors)
      if (status.get(v) !== 'error' && status.get(v) !== 'cached') status.set(v, s);
    }
  }
  return [...byVertex.values()].map((x) => ({ ...x, status: status.get(x.vertex) ?? 'unknown' }));
}

/**
 * Maps BuildKit's vertices onto Dockerfile lines. BuildKit prints the instruction text after expansion, not the
 * line, so a vertex `[stage i/n]` is the (i-1)-th vertex-producing instruction after that stage's FROM.
 * Checks that BuildKit's n agrees with this reader's step count for the stage, and that every step of a stage
 * BuildKit built shows up (a missing one means BuildKit merged identical steps of two stages).
 * @returns {{ steps: { line: number, stage: string|number, keyword: string, status: string }[], problems: string[] }}
 */
/**
 * The stages BuildKit builds for TARGET (name; default the last stage): the target and, recursively, the stages
 * it builds on (FROM <stage>), copies from (COPY/ADD --from=<name or index>) or mounts (RUN --mount=...,from=).
 * @returns {Set<number>} stage indexes
 */
export function neededStages(df, target) {
  const find = (ref) => {
    if (ref === undefined) return undefined;
    const r = ref.replace(/^["']|["']$/g, '');
    if (/^\d+$/.test(r)) return df.stages[Number(r)];
    return df.stages.find((s) => s.name !== undefined && s.name.toLowerCase() === r.toLowerCase());
  };
  const start = target ? find(target) : df.stages[df.stages.length - 1];
  const need = new Set();
  const visit = (st) => {
    if (!st || need.has(st.index)) return;
    need.add(st.index);
    if (st.parent) visit(st.parent);
    for (const ins of st.body) {
      for (const m of ins.text.matchAll(/(?:^|\s)--from=(\S+)/g)) visit(find(m[1]));
      if (ins.keyword === 'RUN') for (const m of ins.text.matchAll(/--mount=(\S+)/g)) visit(find(/(?:^|,)from=([^,]+)/.exec(m[1])?.[1]));
    }
  };
  visit(start);
  return need;
}

export function mapProgress(df, vertices, target) {
  const problems = [];
  const steps = [];
  const seen = new Map(); // stage index -> Set(step index)
  const multi = df.stages.length > 1;
  for (const v of vertices) {
    let stage;
    if (v.stage === undefined) {
      if (multi) { problems.push(`vertex #${v.vertex} has no stage prefix in a multi-stage Dockerfile`); continue; }
      stage = df.stages[0];
    } else {
      const sm = /^stage-(\d+)$/.exec(v.stage);
      stage = df.stages.find((s) => s.name && s.name.toLowerCase() === v.stage.toLowerCase())
        ?? (sm ? df.stages[Number(sm[1])] : undefined);
    }
    if (!stage) { problems.push(`vertex #${v.vertex} names stage "${v.stage}", not in the Dockerfile`); continue; }
    const offset = stage.fromStage ? 0 : 1; // vertex 1 is the FROM, unless the stage builds on another stage
    if (v.total !== stage.steps.length + offset) {
      problems.push(`stage ${stage.name ?? stage.index}: BuildKit counts ${v.total - offset} steps after FROM, this reader ${stage.steps.length}`);
    }
    if (v.index <= offset) continue; // FROM
    const step = stage.steps.filter((x) => x.vertex)[v.index - 1 - offset];
    if (!step) { problems.push(`vertex #${v.vertex} [${v.stage} ${v.index}/${v.total}] has no matching step`); continue; }
    if (!seen.has(stage.index)) seen.set(stage.index, new Set());
    seen.get(stage.index).add(step.line);
    const kw = /^(\S+)/.exec(v.text)?.[1]?.toUpperCase();
    if (kw !== step.keyword) problems.push(`vertex #${v.vertex} "${v.text}" mapped to line ${step.line} (${step.keyword})`);
    steps.push({ line: step.line, stage: stage.name ?? stage.index, keyword: step.keyword, status: v.status, key: chainKey(stage, step.line) });
  }
  // A step of a built stage that BuildKit did not print was merged with an identical step of another stage
  // (same base, same instructions before it): it shares that vertex's status. A stage none of whose steps was
  // printed is either not needed for the target or entirely merged; the latter is found the same way.
  const need = neededStages(df, target);
  for (const si of seen.keys()) if (!need.has(si)) problems.push(`BuildKit built stage ${df.stages[si].name ?? si}, which this reader thinks the target does not need`);
  for (const st of df.stages) {
    if (!need.has(st.index)) continue;
    const set = seen.get(st.index);
    for (const s of st.steps) {
      if (!s.vertex || set?.has(s.line)) continue;
      const key = chainKey(st, s.line);
      const twin = steps.find((x) => x.key === key && !x.merged);
      if (twin) steps.push({ line: s.line, stage: st.name ?? st.index, keyword: s.keyword, status: twin.status, key, merged: twin.line });
      else problems.push(`line ${s.line} (${s.keyword}) of stage ${st.name ?? st.index} missing from BuildKit's output`);
    }
  }
  steps.sort((a, b) => a.line - b.line);
  return { steps, problems: [...new Set(problems)] };
}

/** `{ cached: [..], rebuilt: [..] }` → Map(line → status) */
export function expectationMap(expect) {
  const m = new Map();
  for (const l of expect.cached ?? []) m.set(l, 'cached');
  for (const l of expect.rebuilt ?? []) m.set(l, 'rebuilt');
  return m;
}

export function statusMap(steps) {
  return new Map(steps.map((s) => [s.line, s.status]));
}

/** A short signature: "3C 4C 6R" (C cached, R rebuilt, E error, ? unknown). */
export function signature(map) {
  const letter = { cached: 'C', rebuilt: 'R', error: 'E', unknown: '?' };
  return [...map.entries()].sort((a, b) => a[0] - b[0]).map(([l, s]) => `${l}${letter[s] ?? '?'}`).join(' ') || '(no steps)';
}

/** Differences between two line→status maps, as readable lines; [] when they agree. */
export function diffMaps(actualName, actual, otherName, other, instructionAt) {
  const lines = [...new Set([...actual.keys(), ...other.keys()])].sort((a, b) => a - b);
  const out = [];
  for (const l of lines) {
    const a = actual.get(l) ?? '(not a step)';
    const b = other.get(l) ?? '(not a step)';
    if (a !== b) out.push(`line ${l} ${instructionAt(l)}: ${actualName} ${a}, ${otherName} ${b}`);
  }
  return out;
}

/**
 * Runs a program (argument array, no shell). Resolves { code, stdout, stderr }; never rejects on a non-zero exit.
 */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    const out = [];
    const err = [];
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => err.push(d));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}
