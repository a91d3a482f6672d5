/**
 * Helpers shared by the rules that read the shell script of RUN (sudo-in-run, cd-in-run, pipe-without-pipefail,
 * tls-verification-disabled, ...): which RUN steps to look at, a cheap text pre-check before parsing, and
 * option/operand reading for a parsed simple command (GNU getopt style, as hadolint reads flags).
 */
import type { DockerfileModel, Step } from '../model';
import { memoized } from '../model';
import { parseRunScript, ShellCommand, ShellScript, ShellWord } from '../shell';
import type { TextEdit } from '../types';
import { foundIn, Needles } from './util';

/** Memo slots (on the model) of its RUN steps with and without ONBUILD triggers. */
const runStepsCache = Symbol('runStepsCache');
const runStepsNoTriggersCache = Symbol('runStepsNoTriggersCache');

/**
 * Every RUN step of every stage in order; ONBUILD RUN triggers too when `triggers` is true. Memoised per model
 * (a model does not change once built, and some twenty rules ask): the array is shared, do not modify it.
 */
export function runSteps(model: DockerfileModel, triggers = true): Step[] {
  return memoized(model, triggers ? runStepsCache : runStepsNoTriggersCache, collectRunSteps, model, triggers);
}

function collectRunSteps(model: DockerfileModel, triggers: boolean): Step[] {
  const out: Step[] = [];
  for (const s of model.steps) {
    if (s.stage < 0) continue;
    if (s.keyword === 'RUN') out.push(s);
    else if (triggers && s.trigger && s.trigger.keyword === 'RUN') out.push(s.trigger);
  }
  return out;
}

/**
 * The step's parsed script, or undefined when its text contains none of `needles` (then no command can match,
 * and the parse is skipped: parsing is lazy and only happens for RUNs a rule can hit) or it was not parsed
 * (PowerShell/cmd, a non-shell heredoc script).
 */
export function scriptIf(model: DockerfileModel, step: Step, needles: readonly string[] | Needles): ShellScript | undefined {
  if (!foundIn(step.argsText, needles)) return undefined;
  const s = parseRunScript(model, step);
  return s.skipped ? undefined : s;
}

export interface CommandOption {
  /** Without dashes: `k` for `-k` (also inside a cluster such as `-fsSLk`), `insecure` for `--insecure`. */
  name: string;
  long: boolean;
  /** The option's value: `--name=value`, `-ovalue`, or the next word for options that take one. */
  value?: string;
  word: ShellWord;
  valueWord?: ShellWord;
}

export interface OptionSyntax {
  /** Short options that take a value (`-o FILE`, `-oFILE`). */
  shortWithValue?: string;
  /** Long options (without `--`) that take a value as the next word when written without `=`. */
  longWithValue?: readonly string[];
}

/**
 * Reads the options of a command the way GNU getopt does (options may follow operands; `--` ends them). A word
 * with an expansion is read as an operand.
 */
export function readOptions(cmd: ShellCommand, syntax: OptionSyntax = {}): { options: CommandOption[]; operands: ShellWord[] } {
  const options: CommandOption[] = [];
  const operands: ShellWord[] = [];
  const args = cmd.args;
  const shortValue = syntax.shortWithValue ?? '';
  const longValue = syntax.longWithValue ?? [];
  let ended = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const v = w.value;
    if (ended || w.hasExpansion || v === '-' || !v.startsWith('-')) {
      operands.push(w);
      continue;
    }
    if (v === '--') {
      ended = true;
      continue;
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = eq < 0 ? v.slice(2) : v.slice(2, eq);
      if (eq >= 0) options.push({ name, long: true, value: v.slice(eq + 1), word: w });
      else if (longValue.includes(name) && i + 1 < args.length) {
        options.push({ name, long: true, value: args[i + 1].value, word: w, valueWord: args[i + 1] });
        i++;
      } else options.push({ name, long: true, word: w });
      continue;
    }
    for (let k = 1; k < v.length; k++) {
      const c = v[k];
      if (shortValue.includes(c)) {
        const rest = v.slice(k + 1);
        if (rest) options.push({ name: c, long: false, value: rest, word: w });
        else if (i + 1 < args.length) {
          options.push({ name: c, long: false, value: args[i + 1].value, word: w, valueWord: args[i + 1] });
          i++;
        } else options.push({ name: c, long: false, word: w });
        break;
      }
      options.push({ name: c, long: false, word: w });
    }
  }
  return { options, operands };
}

/** True when the command has one of the short (single letters) or long options. */
export function hasOption(cmd: ShellCommand, short: string, long: readonly string[], syntax: OptionSyntax = {}): boolean {
  return readOptions(cmd, syntax).options.some((o) => (o.long ? long.includes(o.name) : short.includes(o.name)));
}

/**
 * Programs that run the command given as their arguments (`sudo apt-get ...`, `env A=1 make`), each with its short
 * options that take a value. A Map, not an object literal: a command named `toString` or `constructor` must not
 * find Object.prototype's members.
 */
const WRAPPERS = new Map<string, string>([
  ['sudo', 'ugCDhprtUT'],
  ['env', 'uCS'],
  ['exec', 'a'],
  ['command', ''],
  ['nice', 'n'],
  ['nohup', ''],
  ['time', ''],
  ['stdbuf', 'ioe'],
  ['xargs', 'adEeILlnPs'],
]);

/**
 * The program a command runs, looking through wrappers: `sudo -E apt-get` → `apt-get`, `env A=1 sh` → `sh`.
 * Returns the command's own program when it is not a wrapper, '' when the wrapped program is not literal.
 */
export function effectiveProgram(cmd: ShellCommand): { program: string; index: number } {
  let program = cmd.program;
  let index = -1; // index in cmd.args of the effective program word, -1 for the command name itself
  for (let guard = 0; guard < 4; guard++) {
    const valueOpts = WRAPPERS.get(program);
    if (valueOpts === undefined) return { program, index };
    let k = index + 1;
    const a = cmd.args;
    while (k < a.length) {
      const v = a[k].value;
      if (a[k].hasExpansion) return { program: '', index: k };
      if (program === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
        k++;
        continue;
      }
      if (v === '--') {
        k++;
        break;
      }
      if (v.startsWith('-') && v.length > 1) {
        const last = v[v.length - 1];
        k += !v.startsWith('--') && valueOpts.includes(last) ? 2 : 1;
        continue;
      }
      break;
    }
    if (k >= a.length) return { program, index };
    const w = a[k].value;
    program = w.slice(w.lastIndexOf('/') + 1);
    index = k;
  }
  return { program, index };
}

/** An edit that inserts `text` right after a word. */
export function insertAfterWord(w: ShellWord, text: string): TextEdit {
  return { range: { start: w.range.end, end: w.range.end }, newText: text };
}
