/**
 * The Dockerfile model: parse once with dockerfile-ast, then derive everything rules, hovers, the layer
 * preview and the cache analysis read — directives, stages, steps with flags and exact ranges, variable
 * scopes, the USER / WORKDIR / SHELL in effect at each step, and the stage graph.
 */
import { DockerfileParser, Instruction } from 'dockerfile-ast';
import type { Position, Range } from './types';
import { ImageRef, parseImageRef } from './imageRef';
import {
  expand, ExpandResult, PLATFORM_ARGS, PROXY_ARGS, unquote, VarBinding, VarScope,
} from './variables';

export interface Word {
  value: string;
  range: Range;
}

export interface FlagOptionModel {
  name: string;
  value: string | null;
}

export interface StepFlag {
  name: string;
  /** null for a flag written without `=` (e.g. `--link`). */
  value: string | null;
  range: Range;
  nameRange: Range;
  valueRange: Range | null;
  options: FlagOptionModel[];
}

export interface Mount {
  type: string; // bind (default), cache, tmpfs, secret, ssh
  target?: string;
  source?: string;
  from?: string;
  id?: string;
  options: Record<string, string | null>;
  flag: StepFlag;
}

export interface HeredocModel {
  name: string;
  /** Range of the body (between the `<<NAME` line and the delimiter), null when empty. */
  contentRange: Range | null;
  content: string;
}

/** A value in effect at a step, with where it came from. */
export interface InEffect<T> {
  value: T;
  /** 'default': Docker's default (root, /, /bin/sh -c) unless the base image sets it; 'inherited': from the
   * stage named in FROM; 'step': set by an instruction of this stage (see `step`). */
  source: 'default' | 'inherited' | 'step';
  step?: number;
}

export interface Step extends Memoizing {
  /** Index in `model.steps`. */
  index: number;
  /** Upper-case instruction keyword, e.g. `RUN`. */
  keyword: string;
  /** The keyword as written (e.g. `run`). */
  written: string;
  range: Range;
  keywordRange: Range;
  /** Arguments after the flags, as the parser splits them (computed on first access). */
  readonly args: Word[];
  /** The argument text with line continuations joined and embedded comments removed (flags excluded). */
  argsText: string;
  /** Range of argsText's source (first argument to end of instruction), null when there are no arguments. */
  readonly argsRange: Range | null;
  flags: StepFlag[];
  mounts: Mount[];
  /** For ARG, ENV and LABEL: the `name[=value]` pairs, values as written (quotes and escapes kept), null when a
   * name has no value (`ARG NAME`). The legacy `ENV name value` form gives one pair. */
  properties?: Array<{ name: string; raw: string | null }>;
  /** For instructions with an exec (JSON array) form, the parsed array; undefined for shell form. */
  json?: string[];
  heredocs: HeredocModel[];
  /** Stage index, or -1 for instructions before the first FROM (global ARGs, stray instructions). */
  stage: number;
  user: InEffect<string>;
  workdir: InEffect<string>;
  shell: InEffect<string[]>;
  /** Variables in scope when this step runs (before its own declaration takes effect). */
  scope: VarScope;
  /** For ONBUILD: the trigger instruction as its own step (not part of `steps`). */
  trigger?: Step;
  /** True for a step parsed from an ONBUILD trigger. */
  isTrigger?: boolean;
}

/**
 * `compute(a, b)`, kept in `holder`'s slot `key` and returned from there on later calls (the arguments are passed
 * through so that a call needs no closure). This is how derived data (the shell parse, word lists, ...) is kept
 * with a step, a model or a package command for its life.
 *
 * A slot on the object rather than a WeakMap keyed by it: WeakMap entries are ephemerons, which V8's garbage
 * collector has to trace specially, and on the corpus any WeakMap keyed by steps or models made every scavenge
 * costlier: a single rule memoising its RUN list in one doubled the GC time of an analysis, and the shell parse's
 * WeakMap cost 15 % of building a model and parsing its RUN scripts.
 */
export function memoized<T, A, B>(holder: Memoizing, key: symbol, compute: (a: A, b: B) => T, a: A, b: B): T {
  const memo = (holder.memo ??= {});
  // `in`, not a test of the value: undefined is a result too.
  if (key in memo) return memo[key] as T;
  const value = compute(a, b);
  memo[key] = value;
  return value;
}

/** Something with memo slots (see memoized): a step, a model, a package command of the rules. */
export interface Memoizing {
  memo?: Record<symbol, unknown>;
}

export type StageEdgeKind = 'from' | 'copy-from' | 'mount-from';

export interface StageEdge {
  kind: StageEdgeKind;
  /** The stage this one depends on (index), or undefined when the reference is an external image. */
  stage?: number;
  /** The reference as written (expanded). */
  ref: string;
  step: number;
  range: Range;
}

export interface Stage {
  index: number;
  /** Name as written after AS, if any. */
  name?: string;
  nameRange?: Range;
  /** The `AS` keyword as written and its range, if present. */
  asKeyword?: Word;
  from: Step;
  /** Base reference after variable expansion. */
  base: string;
  baseRange: Range | null;
  /** Unresolved variables in the base reference (its value is then a guess). */
  baseUnresolved: string[];
  baseKind: 'image' | 'scratch' | 'stage' | 'unknown';
  baseStage?: number;
  image?: ImageRef;
  platform?: string;
  steps: Step[];
  range: Range;
  /** Dependencies on earlier stages or external images. */
  edges: StageEdge[];
}

export interface Directive {
  name: string;
  value: string;
  range: Range;
  nameRange: Range;
  valueRange: Range;
}

export interface CommentModel {
  text: string; // content after '#', trimmed
  line: number;
  range: Range;
}

export interface ParseProblem {
  /** English message template with `{0}` placeholders (translated when reported). */
  message: string;
  args: string[];
  range: Range;
  kind: 'unknown-instruction' | 'missing-arguments' | 'before-from' | 'invalid-json' | 'no-from' | 'invalid-reference';
}

export interface ModelOptions {
  /** Values of --build-arg. */
  buildArgs?: Record<string, string>;
  /** Build target (stage name); the last stage when absent. */
  target?: string;
}

export interface DockerfileModel extends Memoizing {
  text: string;
  lineCount: number;
  escapeChar: string;
  directives: Directive[];
  syntax?: Directive;
  escape?: Directive;
  check?: Directive;
  comments: CommentModel[];
  /** Every top-level instruction in order (ONBUILD triggers hang off their ONBUILD step). */
  steps: Step[];
  /** ARGs before the first FROM. */
  globalArgs: Step[];
  globalScope: VarScope;
  stages: Stage[];
  /** Index of the target stage, -1 when there is no stage. */
  target: number;
  /** Stages the target needs (including itself), in index order. */
  requiredStages: number[];
  /** True when the text has no FROM and was analysed as a fragment (one implicit stage). */
  fragment: boolean;
  problems: ParseProblem[];
  options: ModelOptions;
  /** Line start offsets into `text` (for slicing by range). */
  lineStarts: number[];
}

export const KNOWN_INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** Instructions whose arguments Docker expands with build variables. */
export const EXPANDED_INSTRUCTIONS = new Set([
  'ADD', 'COPY', 'ENV', 'EXPOSE', 'FROM', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ONBUILD',
]);

const JSON_FORM_INSTRUCTIONS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME']);
const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);
const PROPERTY_INSTRUCTIONS = new Set(['ARG', 'ENV', 'LABEL']);
const FLAG_INSTRUCTIONS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);
/** Instructions whose words the model itself reads while building. */
const EAGER_WORDS = new Set(['FROM', 'ONBUILD']);

/** Splits `--name=value` (the value may hold comma-separated `key=value` options, as --mount does). */
function parseFlag(text: string, range: Range): StepFlag {
  const eq = text.indexOf('=');
  const name = text.slice(2, eq < 0 ? undefined : eq);
  const sameLine = range.start.line === range.end.line;
  const at = (n: number) => ({ line: range.start.line, character: range.start.character + n });
  const nameRange = sameLine ? { start: at(2), end: eq < 0 ? range.end : at(eq) } : range;
  if (eq < 0) return { name, value: null, range, nameRange, valueRange: null, options: [] };
  const value = text.slice(eq + 1);
  const valueRange = sameLine ? { start: at(eq + 1), end: range.end } : range;
  const options: FlagOptionModel[] = [];
  if (value.includes('=')) {
    for (const part of value.split(',')) {
      if (!part) continue;
      const i = part.indexOf('=');
      options.push(i < 0 ? { name: part, value: null } : { name: part.slice(0, i), value: part.slice(i + 1) });
    }
  }
  return { name, value, range, nameRange, valueRange, options };
}

export const DEFAULT_SHELL = ['/bin/sh', '-c'];

const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The 0-based position of an offset into the model's text (binary search over line starts). */
export function positionAtOffset(model: Pick<DockerfileModel, 'lineStarts'>, offset: number): Position {
  const ls = model.lineStarts;
  let lo = 0;
  let hi = ls.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ls[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - ls[lo] };
}

/** The stage at the bottom of a `FROM <stage>` chain: the one that names an image (or scratch). */
export function rootStage(model: DockerfileModel, stage: Stage): Stage {
  const seen = new Set<number>();
  let s = stage;
  while (s.baseKind === 'stage' && s.baseStage !== undefined && !seen.has(s.index)) {
    seen.add(s.index);
    s = model.stages[s.baseStage];
  }
  return s;
}

export function offsetAt(model: Pick<DockerfileModel, 'lineStarts' | 'text'>, line: number, character: number): number {
  const ls = model.lineStarts;
  if (line >= ls.length) return model.text.length;
  return Math.min(ls[line] + character, line + 1 < ls.length ? ls[line + 1] : model.text.length);
}

export function sliceRange(model: Pick<DockerfileModel, 'lineStarts' | 'text'>, r: Range): string {
  return model.text.slice(offsetAt(model, r.start.line, r.start.character), offsetAt(model, r.end.line, r.end.character));
}

function parseMount(flag: StepFlag): Mount {
  const options: Record<string, string | null> = {};
  for (const o of flag.options) options[o.name.toLowerCase()] = o.value;
  if (flag.options.length === 0 && flag.value) {
    for (const part of flag.value.split(',')) {
      const eq = part.indexOf('=');
      if (eq < 0) options[part.toLowerCase()] = null;
      else options[part.slice(0, eq).toLowerCase()] = part.slice(eq + 1);
    }
  }
  const get = (...names: string[]) => {
    for (const n of names) if (options[n] != null) return options[n] as string;
    return undefined;
  };
  return {
    type: (get('type') ?? 'bind').toLowerCase(),
    target: get('target', 'dst', 'destination'),
    source: get('source', 'src'),
    from: get('from'),
    id: get('id'),
    options,
    flag,
  };
}

interface RawFlagHost {
  getHeredocs?: () => Array<{ getName(): string; getContentRange(): Range | null }>;
}

/**
 * The words of one instruction, tokenised on first use: dockerfile-ast tokenises the arguments afresh on every
 * getArguments()/getFlags() call (twice for instructions with flags), and most steps never need the words.
 */
class StepTokens {
  #ins: Instruction;
  #keyword: string;
  #words: { args: Word[]; flags: StepFlag[] } | undefined;
  constructor(ins: Instruction, keyword: string) {
    this.#ins = ins;
    this.#keyword = keyword;
  }

  get(): { args: Word[]; flags: StepFlag[] } {
    if (this.#words) return this.#words;
    const all = Instruction.prototype.getArguments.call(this.#ins);
    const flags: StepFlag[] = [];
    let first = 0;
    if (FLAG_INSTRUCTIONS.has(this.#keyword)) {
      while (first < all.length && all[first].getValue().startsWith('--')) {
        flags.push(parseFlag(all[first].getValue(), all[first].getRange()));
        first++;
      }
    }
    const args: Word[] = [];
    for (let i = first; i < all.length; i++) args.push({ value: all[i].getValue(), range: all[i].getRange() });
    return (this.#words = { args, flags });
  }
}

/** A step of the model (a class, so that the lazy `args`/`argsRange` getters live on one shared prototype). */
class ModelStep implements Step {
  user: InEffect<string> = { value: 'root', source: 'default' };
  workdir: InEffect<string> = { value: '/', source: 'default' };
  shell: InEffect<string[]> = { value: DEFAULT_SHELL, source: 'default' };
  properties: Array<{ name: string; raw: string | null }> | undefined = undefined;
  trigger: Step | undefined = undefined;
  memo: Record<symbol, unknown> | undefined = undefined;
  #tokens: StepTokens;
  constructor(
    public index: number,
    public keyword: string,
    public written: string,
    public range: Range,
    public keywordRange: Range,
    tokens: StepTokens,
    public argsText: string,
    public flags: StepFlag[],
    public mounts: Mount[],
    public json: string[] | undefined,
    public heredocs: HeredocModel[],
    public stage: number,
    public scope: VarScope,
    public isTrigger: boolean | undefined,
  ) {
    this.#tokens = tokens;
  }

  get args(): Word[] {
    return this.#tokens.get().args;
  }

  get argsRange(): Range | null {
    const a = this.#tokens.get().args;
    return a.length ? { start: a[0].range.start, end: this.range.end } : null;
  }
}

/** Parses Dockerfile text into the model. Never throws for any input text. */
export function buildModel(text: string, options: ModelOptions = {}): DockerfileModel {
  const lineStarts = computeLineStarts(text);
  const problems: ParseProblem[] = [];
  const df = DockerfileParser.parse(text);
  const escapeChar = df.getEscapeCharacter() || '\\';
  const base = { lineStarts, text };

  // Docker reads parser directives only while each top line is a known directive (syntax, escape, check); the
  // first other line ends them, and what dockerfile-ast took for a directive after that is an ordinary comment.
  const directives: Directive[] = [];
  const comments: CommentModel[] = [];
  let directivesOpen = true;
  for (const d of df.getDirectives()) {
    const name = d.getName().toLowerCase();
    if (directivesOpen && KNOWN_DIRECTIVES.has(name) && d.getRange().start.line === directives.length) {
      directives.push({ name, value: d.getValue(), range: d.getRange(), nameRange: d.getNameRange(), valueRange: d.getValueRange() });
      continue;
    }
    directivesOpen = false;
    const r = d.getRange();
    const line = sliceRange(base, { start: { line: r.start.line, character: 0 }, end: { line: r.start.line + 1, character: 0 } });
    comments.push({ text: line.replace(/^\s*#/, '').trim(), line: r.start.line, range: r });
  }
  for (const c of df.getComments()) {
    comments.push({ text: c.getContent() ?? '', line: c.getRange().start.line, range: c.getRange() });
  }
  comments.sort((a, b) => a.line - b.line);

  const buildArgs = options.buildArgs ?? {};
  const steps: Step[] = [];
  const stages: Stage[] = [];
  const globalArgs: Step[] = [];

  // Global scope: predefined platform ARGs plus ARGs before the first FROM.
  let globalScope: VarScope = predefinedScope(PLATFORM_ARGS, buildArgs);
  // Every stage starts from the proxy ARGs; built once, shared until a step changes the scope (copy on write).
  const stageInitialScope = predefinedScope(PROXY_ARGS, buildArgs);

  const makeStep = (ins: Instruction, stage: number, scope: VarScope, isTrigger = false): Step => {
    const keyword = ins.getKeyword();
    const host = ins as unknown as RawFlagHost;
    const range = ins.getRange();
    const keywordRange = ins.getInstructionRange();
    // dockerfile-ast tokenises the arguments afresh on every getArguments()/getFlags() call (twice for
    // instructions with flags). Most steps never need the words, only the text, so tokenise lazily: eagerly only
    // for instructions whose words the model reads (FROM, ARG, ENV), with leading `--flags`, or with heredocs.
    const rest = sliceRange(base, { start: keywordRange.end, end: range.end });
    const restText = joinContinuations(rest, escapeChar).trim();
    const needsWords = EAGER_WORDS.has(keyword)
      || (FLAG_INSTRUCTIONS.has(keyword) && restText.startsWith('--'))
      || (HEREDOC_INSTRUCTIONS.has(keyword) && restText.includes('<<'));
    const tokens = new StepTokens(ins, keyword);
    const flags = needsWords ? tokens.get().flags : [];
    let argsText = restText;
    const heredocs: HeredocModel[] = [];
    if (needsWords) {
      const { args } = tokens.get();
      const raw = args.length ? sliceRange(base, { start: args[0].range.start, end: args[args.length - 1].range.end }) : '';
      if (HEREDOC_INSTRUCTIONS.has(keyword) && raw.includes('<<') && typeof host.getHeredocs === 'function') {
        for (const h of host.getHeredocs()) {
          const cr = h.getContentRange();
          heredocs.push({ name: h.getName(), contentRange: cr, content: cr ? sliceRange(base, cr) : '' });
        }
      }
      argsText = heredocs.length ? raw : joinContinuations(raw, escapeChar);
    }
    let json: string[] | undefined;
    if (JSON_FORM_INSTRUCTIONS.has(keyword)) {
      const trimmed = argsText.trim();
      if (trimmed.startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(trimmed);
          if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) json = parsed as string[];
        } catch {
          // Not valid JSON: Docker then runs it in shell form.
        }
      }
    }
    const step = new ModelStep(
      isTrigger ? -1 : steps.length,
      keyword,
      ins.getInstruction(),
      range,
      keywordRange,
      tokens,
      argsText,
      flags,
      keyword === 'RUN' ? flags.filter((f) => f.name.toLowerCase() === 'mount').map(parseMount) : [],
      json,
      heredocs,
      stage,
      scope,
      isTrigger || undefined,
    );
    if (PROPERTY_INSTRUCTIONS.has(keyword)) {
      const props = (ins as unknown as { getProperties?: () => Array<{ getName(): string; getUnescapedValue(): string | null }> }).getProperties?.();
      step.properties = (props ?? []).map((p) => ({ name: p.getName(), raw: p.getUnescapedValue() }));
    }
    if (keyword === 'ONBUILD') {
      const trig = (ins as unknown as { getTriggerInstruction?: () => Instruction | null }).getTriggerInstruction?.();
      if (trig) step.trigger = makeStep(trig, stage, scope, true);
    }
    return step;
  };

  const instructions = df.getInstructions();
  const hasFrom = instructions.some((i) => i.getKeyword() === 'FROM');
  const fragment = !hasFrom && instructions.length > 0;

  let current: Stage | undefined;
  let scope: VarScope = globalScope;
  let user: InEffect<string> = { value: 'root', source: 'default' };
  let workdir: InEffect<string> = { value: '/', source: 'default' };
  let shell: InEffect<string[]> = { value: DEFAULT_SHELL, source: 'default' };
  // End-of-stage state, for stages that build FROM an earlier stage.
  const stageEnd: Array<{ user: InEffect<string>; workdir: InEffect<string>; shell: InEffect<string[]>; env: VarBinding[] }> = [];
  const stageByName = new Map<string, number>();

  const closeStage = () => {
    if (!current) return;
    const env = [...scope.values()].filter((b) => b.kind === 'env');
    stageEnd[current.index] = { user, workdir, shell, env };
    const lastStep = current.steps[current.steps.length - 1] ?? current.from;
    current.range = { start: current.from.range.start, end: lastStep.range.end };
  };

  const startStage = (step: Step, implicit: boolean) => {
    closeStage();
    const index = stages.length;
    let baseText = '';
    let baseRange: Range | null = null;
    let name: string | undefined;
    let nameRange: Range | undefined;
    let asKeyword: Word | undefined;
    let baseUnresolved: string[] = [];
    if (!implicit) {
      const a = step.args;
      if (a.length >= 1) {
        baseRange = a[0].range;
        const ex = expand(a[0].value, globalScope, escapeChar);
        baseText = ex.value;
        baseUnresolved = ex.unresolved;
      }
      if (a.length >= 3 && a[1].value.toLowerCase() === 'as') {
        asKeyword = a[1];
        name = a[2].value;
        nameRange = a[2].range;
      }
      if (a.length === 0) {
        problems.push({ kind: 'missing-arguments', message: 'FROM requires a base image (or scratch).', args: [], range: step.range });
      }
    }
    const platformFlag = step.flags.find((f) => f.name.toLowerCase() === 'platform');
    let baseKind: Stage['baseKind'] = implicit ? 'unknown' : 'image';
    let baseStage: number | undefined;
    let image: ImageRef | undefined;
    const lower = baseText.toLowerCase();
    if (!implicit) {
      if (lower === 'scratch') baseKind = 'scratch';
      else if (stageByName.has(lower)) {
        baseKind = 'stage';
        baseStage = stageByName.get(lower);
      } else if (baseText) {
        image = parseImageRef(baseText);
        if (!image) {
          baseKind = 'unknown';
          if (baseUnresolved.length === 0) {
            problems.push({ kind: 'invalid-reference', message: '"{0}" is not a valid image reference.', args: [baseText], range: baseRange ?? step.range });
          }
        }
      } else baseKind = 'unknown';
    }
    const stage: Stage = {
      index,
      name,
      nameRange,
      asKeyword,
      from: step,
      base: implicit ? '' : baseText,
      baseRange,
      baseUnresolved,
      baseKind,
      baseStage,
      image,
      platform: platformFlag?.value ?? undefined,
      steps: [],
      range: step.range,
      edges: [],
    };
    if (baseStage !== undefined) {
      stage.edges.push({ kind: 'from', stage: baseStage, ref: baseText, step: step.index, range: baseRange ?? step.range });
    }
    stages.push(stage);
    if (name) stageByName.set(name.toLowerCase(), index);
    current = stage;
    // New stage scope: global ARGs are NOT visible unless re-declared; ENV of a parent stage is inherited.
    let s: VarScope = stageInitialScope;
    if (baseStage !== undefined) {
      const parent = stageEnd[baseStage];
      s = withBindings(s, parent?.env ?? []);
      user = parent ? { value: parent.user.value, source: 'inherited', step: parent.user.step } : { value: 'root', source: 'default' };
      workdir = parent ? { value: parent.workdir.value, source: 'inherited', step: parent.workdir.step } : { value: '/', source: 'default' };
      shell = parent ? { value: parent.shell.value, source: 'inherited', step: parent.shell.step } : { value: DEFAULT_SHELL, source: 'default' };
    } else {
      user = { value: 'root', source: 'default' };
      workdir = { value: '/', source: 'default' };
      shell = { value: DEFAULT_SHELL, source: 'default' };
    }
    scope = s;
    step.scope = globalScope;
    step.stage = index;
    // The FROM step shows the state the stage starts with.
    step.user = user;
    step.workdir = workdir;
    step.shell = shell;
  };

  for (const ins of instructions) {
    const keyword = ins.getKeyword();
    const step = makeStep(ins, current ? current.index : -1, scope);
    steps.push(step);
    if (!KNOWN_INSTRUCTIONS.has(keyword)) {
      problems.push({ kind: 'unknown-instruction', message: 'Unknown instruction "{0}": Docker will refuse to build this file.', args: [ins.getInstruction()], range: step.keywordRange });
    } else if (keyword !== 'FROM' && step.argsText.length === 0 && step.flags.length === 0) {
      problems.push({ kind: 'missing-arguments', message: '{0} requires at least one argument.', args: [keyword], range: step.range });
    }
    if (keyword === 'FROM') {
      startStage(step, false);
      continue;
    }
    if (!current) {
      if (keyword === 'ARG') {
        globalArgs.push(step);
        globalScope = withBindings(globalScope, argBindings(step, buildArgs, undefined, escapeChar));
        scope = globalScope;
        continue;
      }
      if (hasFrom) {
        problems.push({ kind: 'before-from', message: '{0} before the first FROM: only ARG may come before FROM.', args: [keyword], range: step.keywordRange });
        continue;
      }
      // A fragment with no FROM: analyse it as one implicit stage.
      startStage(step, true);
      step.stage = 0;
      step.scope = scope;
    }
    const st = current as Stage;
    step.stage = st.index;
    step.user = user;
    step.workdir = workdir;
    step.shell = shell;
    step.scope = scope;
    st.steps.push(step);
    applyStepEffects(step);
  }
  closeStage();

  function applyStepEffects(step: Step) {
    const st = current as Stage;
    switch (step.keyword) {
      case 'ARG':
        scope = withBindings(scope, argBindings(step, buildArgs, globalScope, escapeChar), (b, current) => current.get(b.name)?.kind !== 'env'); // ENV always wins over ARG
        break;
      case 'ENV':
        scope = withBindings(scope, envBindings(step, scope, escapeChar));
        break;
      case 'USER': {
        const v = expand(step.argsText.trim(), scope, escapeChar).value;
        user = { value: v, source: 'step', step: step.index };
        break;
      }
      case 'WORKDIR': {
        const v = expand(step.argsText.trim(), scope, escapeChar).value;
        workdir = { value: resolvePath(workdir.value, unquote(v)), source: 'step', step: step.index };
        break;
      }
      case 'SHELL':
        if (step.json && step.json.length) shell = { value: step.json, source: 'step', step: step.index };
        break;
      case 'COPY':
      case 'ADD': {
        const from = step.flags.find((f) => f.name.toLowerCase() === 'from');
        if (from && from.value) {
          const ref = expand(from.value, scope, escapeChar).value;
          st.edges.push({ kind: 'copy-from', ref, step: step.index, range: from.valueRange ?? from.range });
        }
        break;
      }
      case 'RUN':
        for (const m of step.mounts) {
          if (m.from) {
            const ref = expand(m.from, scope, escapeChar).value;
            st.edges.push({ kind: 'mount-from', ref, step: step.index, range: m.flag.range });
          }
        }
        break;
    }
  }

  /** Resolved after all stages are known, so a reference to a later stage resolves too (BuildKit rejects it:
   * a stage must be defined before the stage that copies from it; the rule reports it). Numbers only count
   * backwards. */
  function resolveStageRef(ref: string, from: number): number | undefined {
    if (/^\d+$/.test(ref)) {
      const n = Number(ref);
      return n < from ? n : undefined;
    }
    const idx = stageByName.get(ref.toLowerCase());
    return idx !== undefined && idx !== from ? idx : undefined;
  }
  for (const st of stages) {
    for (const e of st.edges) if (e.kind !== 'from') e.stage = resolveStageRef(e.ref, st.index);
  }

  if (hasFrom && stages.length === 0) {
    problems.push({ kind: 'no-from', message: 'The Dockerfile has instructions but no FROM.', args: [], range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  }

  let target = stages.length - 1;
  if (options.target) {
    const idx = stageByName.get(options.target.toLowerCase());
    if (idx !== undefined) target = idx;
  }
  const requiredStages = computeRequired(stages, target);

  const directive = (n: string) => directives.find((d) => d.name === n);
  return {
    text,
    lineCount: lineStarts.length,
    escapeChar,
    directives,
    syntax: directive('syntax'),
    escape: directive('escape'),
    check: directive('check'),
    comments,
    steps,
    globalArgs,
    globalScope,
    stages,
    target,
    requiredStages,
    fragment,
    problems,
    options,
    lineStarts,
    memo: undefined,
  };
}

/**
 * Joins continuation lines as Docker does: an escape character at the end of a line (trailing blanks allowed)
 * joins it with the next, unless it is itself escaped (BuildKit's line-continuation regex); comment lines and
 * empty lines inside a continued instruction are dropped.
 */
export function joinContinuations(raw: string, escapeChar: string): string {
  if (!raw.includes('\n') && !raw.includes('\r')) return raw;
  const lines = raw.split(/\r\n|\r|\n/);
  let out = '';
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (i > 0 && continued && (/^\s*#/.test(line) || /^\s*$/.test(line))) continue;
    const body = line.trimEnd();
    // BuildKit: `([^E])E[ \t]*$|^E[ \t]*$` — an escaped escape character at the end does not continue the line.
    const continues = body.endsWith(escapeChar) && (body.length === 1 || body[body.length - 2] !== escapeChar);
    if (continues && i < lines.length - 1) {
      out += body.slice(0, -1);
      continued = true;
    } else {
      out += line;
      if (i < lines.length - 1) out += '\n';
      continued = false;
    }
  }
  return out;
}

/**
 * The scope with the bindings added in order, each seeing the ones before it (`keep` decides per binding). One
 * copy of the map for all of them instead of one per binding (`withBinding`); the same scope when none is added.
 */
function withBindings(scope: VarScope, bindings: readonly VarBinding[], keep?: (b: VarBinding, current: VarScope) => boolean): VarScope {
  let next: Map<string, VarBinding> | undefined;
  for (const b of bindings) {
    if (keep && !keep(b, next ?? scope)) continue;
    (next ??= new Map(scope)).set(b.name, b);
  }
  return next ?? scope;
}

function predefinedScope(names: readonly string[], buildArgs: Record<string, string>): VarScope {
  const m = new Map<string, VarBinding>();
  for (const name of names) m.set(name, { name, kind: 'predefined', value: buildArgs[name], step: -1 });
  return m;
}

function computeRequired(stages: Stage[], target: number): number[] {
  if (target < 0) return [];
  const seen = new Set<number>();
  const stack = [target];
  while (stack.length) {
    const s = stack.pop() as number;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const e of stages[s].edges) if (e.stage !== undefined && !seen.has(e.stage)) stack.push(e.stage);
  }
  return [...seen].sort((a, b) => a - b);
}

/** Bindings declared by an ARG step. `global` is the global scope when the ARG is inside a stage. */
function argBindings(step: Step, buildArgs: Record<string, string>, global: VarScope | undefined, escapeChar: string): VarBinding[] {
  const out: VarBinding[] = [];
  for (const p of step.properties ?? []) {
    const name = p.name;
    if (!name) continue;
    let value: string | undefined;
    if (name in buildArgs) value = buildArgs[name];
    // A default is expanded with the variables declared before this ARG (Docker allows `ARG B=${A}`).
    else if (p.raw !== null) value = expandValue(p.raw, step.scope, escapeChar);
    else if (global) value = global.get(name)?.value; // re-declared global ARG takes the global value
    out.push({ name, kind: 'arg', value, step: step.index });
  }
  return out;
}

/** Expands a value and removes its quotes; undefined when it uses a variable whose value is unknown. */
function expandValue(raw: string, scope: VarScope, escapeChar: string): string | undefined {
  const ex = expand(raw, scope, escapeChar, true);
  return ex.unresolved.length ? undefined : ex.value;
}

/**
 * Bindings declared by an ENV step (`ENV a=b c=d` or legacy `ENV a b c`). Every value is expanded with the
 * variables as they were before this instruction: in `ENV B=1 C=$B`, C gets the old B, as in Docker.
 */
function envBindings(step: Step, scope: VarScope, escapeChar: string): VarBinding[] {
  return (step.properties ?? [])
    .filter((p) => p.name)
    .map((p) => ({ name: p.name, kind: 'env' as const, value: p.raw === null ? '' : expandValue(p.raw, scope, escapeChar), step: step.index }));
}

/** Joins a WORKDIR-style path onto the current directory (POSIX semantics; Windows drive paths kept). */
export function resolvePath(cwd: string, p: string): string {
  if (!p) return cwd;
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\')) return normalizePosix(p);
  return normalizePosix(`${cwd.endsWith('/') ? cwd : cwd + '/'}${p}`);
}

function normalizePosix(p: string): string {
  if (/^[A-Za-z]:/.test(p)) return p;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** Expands a step's argument text with the variables in scope at that step. */
export function expandAt(model: DockerfileModel, step: Step, text: string): ExpandResult {
  return expand(text, step.scope, model.escapeChar);
}

/** The stage index that contains a line, or -1. */
export function stageAtLine(model: DockerfileModel, line: number): number {
  for (let i = model.stages.length - 1; i >= 0; i--) {
    if (model.stages[i].from.range.start.line <= line) return i;
  }
  return -1;
}

/** The step whose range contains the line, if any. */
export function stepAtLine(model: DockerfileModel, line: number): Step | undefined {
  let lo = 0;
  let hi = model.steps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = model.steps[mid];
    if (line < s.range.start.line) hi = mid - 1;
    else if (line > s.range.end.line) lo = mid + 1;
    else return s;
  }
  return undefined;
}
