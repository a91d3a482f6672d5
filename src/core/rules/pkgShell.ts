/**
 * The simple commands of a RUN as the package rules read them: a thin adapter over `parseRunScript`
 * (../shell.ts) that skips command wrappers (`sudo`, `env`, `xargs`, `exec`, `command`, `nice`, `nohup`,
 * `stdbuf`), so `sudo -E apt-get install x` is read as `apt-get install x`.
 */
import type { DockerfileModel, Step } from '../model';
import { memoized, Memoizing } from '../model';
import { parseRunScript, ShellCommand, ShellWord } from '../shell';
import type { Range } from '../types';
import { foundIn, Needles } from './util';

export interface PkgWord {
  /** The word's value with quotes and escapes removed; undefined when the shell expands part of it. */
  value: string | undefined;
  range: Range;
}

export interface PkgCommand extends Memoizing {
  /** The command word's value (after wrappers). */
  name: string;
  nameWord: PkgWord;
  args: PkgWord[];
  /** `NAME=value` prefixes (and `env NAME=value`); value undefined when it has an expansion. */
  assignments: Array<{ name: string; value: string | undefined }>;
  /** Position among the RUN's commands, in source order. */
  index: number;
}

const commandsMemo = Symbol('pkgCommands');

/** The names of every package manager `managerOf` (./packages.ts) recognises contain one of these. */
export const MANAGER_NEEDLES: readonly string[] = ['apt', 'apk', 'yum', 'dnf', 'zypper', 'npm', 'yarn', 'gem', 'go', 'pip'];
/** MANAGER_NEEDLES prepared for mayMention. */
export const MANAGER_MENTIONS = new Needles(MANAGER_NEEDLES);

/** Per step: its text without blanks, quotes, escapes and comment lines (see mayMention). */
const squeezedText = Symbol('squeezedText');

/**
 * False only when no simple command of this RUN can be named by a word containing one of `needles` (a cheap text
 * test that lets a rule skip the shell parse). Conservative: a needle split by quotes, escapes, line continuations
 * or comment lines (`ap"t-get"`, `apt\-get`) still counts, and JSON-form and heredoc RUNs are always parsed.
 */
export function mayMention(step: Step, needles: readonly string[] | Needles): boolean {
  if (step.keyword !== 'RUN') return false;
  const text = step.argsText;
  if (foundIn(text, needles)) return true;
  if (step.json || step.heredocs.length > 0 || text.includes("$'")) return true;
  // Characters the shell removes inside a word (quotes, escapes) and line breaks with comment lines between
  // continuations: drop them all (and all blanks, which can only add matches) and look again.
  return foundIn(memoized(step, squeezedText, squeeze, text, undefined), needles);
}

function squeeze(text: string): string {
  return text.replace(/^[ \t]*#.*$/gm, '').replace(/[\s\\'"`]/g, '');
}

/**
 * A PkgWord over a shell word. The Dockerfile range is mapped only when a rule reports or fixes this word (mapping
 * every word is costly); a class keeps that getter on the prototype, cheaper to create than an object literal
 * with its own getter for every word of every command.
 */
class ShellPkgWord implements PkgWord {
  readonly value: string | undefined;
  private readonly w: ShellWord;
  constructor(w: ShellWord) {
    this.value = w.hasExpansion ? undefined : w.value;
    this.w = w;
  }
  get range(): Range {
    return this.w.range;
  }
}

function word(w: ShellWord): PkgWord {
  return new ShellPkgWord(w);
}

/**
 * A PkgCommand over a simple command of the shell parse. Its arguments and assignments are adapted on first
 * access: most commands of a RUN are no package manager, and the rules never read their words.
 */
class ShellPkgCommand implements PkgCommand {
  readonly name: string;
  readonly nameWord: PkgWord;
  private words: PkgWord[] | undefined = undefined;
  private assigned: PkgCommand['assignments'] | undefined = undefined;
  memo: Record<symbol, unknown> | undefined = undefined;
  constructor(
    private readonly c: ShellCommand,
    readonly index: number,
  ) {
    this.name = (c.name as ShellWord).value;
    this.nameWord = word(c.name as ShellWord);
  }

  get args(): PkgWord[] {
    return (this.words ??= this.c.args.map(word));
  }

  get assignments(): PkgCommand['assignments'] {
    return (this.assigned ??= this.c.assignments.map((a) => ({ name: a.name, value: a.value?.hasExpansion ? undefined : a.valueText })));
  }
}

/** The RUN's simple commands in source order (nested ones included: `sh -c '...'`, `$(...)`, if/for bodies). */
export function runCommands(model: DockerfileModel, step: Step): PkgCommand[] {
  return memoized(step, commandsMemo, readRunCommands, model, step);
}

function readRunCommands(model: DockerfileModel, step: Step): PkgCommand[] {
  const cmds: PkgCommand[] = [];
  if (step.keyword === 'RUN') {
    for (const c of parseRunScript(model, step).commands) {
      if (!c.name || c.name.hasExpansion) continue;
      const cmd = unwrap(new ShellPkgCommand(c, cmds.length));
      if (cmd) cmds.push(cmd);
    }
  }
  return cmds;
}

/** Command wrappers and their options that take a value (a Map: `toString` must not find Object.prototype's). */
const WRAPPERS = new Map<string, string[]>([
  ['sudo', ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T']],
  ['env', ['-u', '-C', '-S']],
  ['xargs', ['-a', '-d', '-E', '-e', '-I', '-i', '-L', '-l', '-n', '-P', '-s']],
  ['exec', ['-a']],
  ['command', []],
  ['nice', ['-n']],
  ['nohup', []],
  ['stdbuf', ['-i', '-o', '-e']],
]);

/** Skips command wrappers; returns the command itself when it is none (or the wrapped command is unknown). */
function unwrap(cmd: PkgCommand): PkgCommand {
  for (let guard = 0; guard < 4; guard++) {
    const base = cmd.name.slice(cmd.name.lastIndexOf('/') + 1);
    const valueOpts = WRAPPERS.get(base);
    if (valueOpts === undefined) return cmd;
    const a = cmd.args;
    let k = 0;
    const assignments = [...cmd.assignments];
    while (k < a.length) {
      const v = a[k].value;
      if (v === undefined) return cmd;
      if (base === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
        assignments.push({ name: v.slice(0, v.indexOf('=')), value: v.slice(v.indexOf('=') + 1) });
        k++;
        continue;
      }
      if (v === '--') {
        k++;
        break;
      }
      if (!v.startsWith('-') || v === '-') break;
      k += valueOpts.includes(v) ? 2 : 1;
    }
    if (k >= a.length || a[k].value === undefined) return cmd;
    cmd = { name: a[k].value as string, nameWord: a[k], args: a.slice(k + 1), assignments, index: cmd.index, memo: undefined };
  }
  return cmd;
}
