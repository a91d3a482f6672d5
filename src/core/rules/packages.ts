/**
 * Package-manager helpers shared by the package rules (apt-get, apk, pip, npm, yarn, gem, go, yum, dnf, microdnf,
 * zypper). They read the simple commands of a RUN from the shell parse (`./pkgShell.ts` adapts `../shell.ts`) and
 * answer questions such as "which words of this `apt-get install` are packages, and which are flags or flag
 * values?" — never by matching the command text with regular expressions.
 */
import type { DockerfileModel, Mount, Stage, Step } from '../model';
import { memoized } from '../model';
import type { RuleContext } from '../rule';
import type { Range, TextEdit } from '../types';
import { MANAGER_MENTIONS, MANAGER_NEEDLES, mayMention, PkgCommand, PkgWord, runCommands } from './pkgShell';

export type { PkgCommand, PkgWord };
export { MANAGER_NEEDLES, mayMention, runCommands };

/** How a command line's options are read: which options take a value as the next word. */
export interface OptionSpec {
  /** Single-letter options that take a value (`-o X`, `-oX`). */
  shortValue?: string;
  /** Long options (without `--`) that take a value (`--name X` or `--name=X`). */
  longValue?: readonly string[];
  /** Go style: options are written with one dash and take a value as the next word (`-ldflags X`). */
  goStyle?: readonly string[];
  /** Operands stop option parsing (POSIX `getopt` without permutation); false for GNU style (the default). */
  posix?: boolean;
}

export interface ParsedOption {
  /** Name without dashes: `y`, `no-install-recommends`. A cluster `-qy` yields `q` and `y`. */
  name: string;
  /** True for `--name`, false for `-n`. */
  long: boolean;
  value?: string;
  /** The word that holds the option. */
  word: PkgWord;
  /** The word that holds the value when it was given as the next word. */
  valueWord?: PkgWord;
}

export interface ParsedArgs {
  options: ParsedOption[];
  /** Words that are neither options nor option values, in order. */
  operands: PkgWord[];
}

/** Splits the words into options (with their values) and operands. Non-literal words are operands. */
export function parseOptions(words: readonly PkgWord[], spec: OptionSpec): ParsedArgs {
  const options: ParsedOption[] = [];
  const operands: PkgWord[] = [];
  // Arrays, not Sets: most command lines have few long options, and building Sets per call cost more.
  const longValue = spec.longValue ?? [];
  const goStyle = spec.goStyle ?? [];
  const shortValue = spec.shortValue ?? '';
  let onlyOperands = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const v = w.value;
    if (onlyOperands || v === undefined || !v.startsWith('-') || v === '-') {
      operands.push(w);
      if (spec.posix && !onlyOperands) onlyOperands = true;
      continue;
    }
    if (v === '--') {
      onlyOperands = true;
      continue;
    }
    if (spec.goStyle) {
      const body = v.replace(/^--?/, '');
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      if (eq >= 0) options.push({ name, long: true, value: body.slice(eq + 1), word: w });
      else if (goStyle.includes(name) && i + 1 < words.length) {
        const vw = words[++i];
        options.push({ name, long: true, value: vw.value, word: w, valueWord: vw });
      } else options.push({ name, long: true, word: w });
      continue;
    }
    if (v.startsWith('--')) {
      const eq = v.indexOf('=');
      const name = v.slice(2, eq < 0 ? undefined : eq);
      if (eq >= 0) options.push({ name, long: true, value: v.slice(eq + 1), word: w });
      else if (longValue.includes(name) && i + 1 < words.length) {
        const vw = words[++i];
        options.push({ name, long: true, value: vw.value, word: w, valueWord: vw });
      } else options.push({ name, long: true, word: w });
      continue;
    }
    // A cluster of short options: `-qy`, `-oDpkg::Options::=x`, `-o X`.
    for (let k = 1; k < v.length; k++) {
      const c = v[k];
      if (shortValue.includes(c)) {
        const rest = v.slice(k + 1);
        if (rest) options.push({ name: c, long: false, value: rest, word: w });
        else if (i + 1 < words.length) {
          const vw = words[++i];
          options.push({ name: c, long: false, value: vw.value, word: w, valueWord: vw });
        } else options.push({ name: c, long: false, word: w });
        break;
      }
      options.push({ name: c, long: false, word: w });
    }
  }
  return { options, operands };
}

export function hasOption(p: ParsedArgs, ...names: string[]): boolean {
  return p.options.some((o) => names.includes(o.name));
}

export function optionValues(p: ParsedArgs, ...names: string[]): Array<string | undefined> {
  return p.options.filter((o) => names.includes(o.name)).map((o) => o.value);
}

// ---------------------------------------------------------------------------------------------------------------
// Per-manager command lines

export type Manager = 'apt-get' | 'apt' | 'apk' | 'yum' | 'dnf' | 'microdnf' | 'zypper' | 'pip' | 'npm' | 'yarn' | 'gem' | 'go';

/** One package-manager invocation: the manager, its subcommand word and the rest of the line read as options. */
export interface ManagerCall {
  manager: Manager;
  cmd: PkgCommand;
  /** The subcommand (`install`, `add`, `update`, ...), lower-case; '' when there is none. */
  sub: string;
  subWord?: PkgWord;
  /** The last word of the subcommand (`install` of `module install`); the name word when there is no subcommand. */
  subEnd: PkgWord;
  /** Options and operands of the whole line (global options before the subcommand included). */
  args: ParsedArgs;
  /** Operands after the subcommand. */
  operands: PkgWord[];
}

const SPECS: Record<Manager, OptionSpec> = {
  'apt-get': { shortValue: 'octa', longValue: ['option', 'config-file', 'target-release', 'default-release', 'host-architecture'] },
  apt: { shortValue: 'octa', longValue: ['option', 'config-file', 'target-release', 'default-release', 'host-architecture'] },
  apk: {
    shortValue: 'Xtp',
    longValue: ['repository', 'virtual', 'root', 'arch', 'keys-dir', 'cache-dir', 'repositories-file', 'wait', 'cache-max-age', 'timeout', 'from'],
  },
  yum: {
    shortValue: 'cdexR',
    longValue: ['config', 'releasever', 'installroot', 'enablerepo', 'disablerepo', 'repo', 'repoid', 'exclude', 'setopt', 'forcearch', 'downloaddir', 'destdir', 'color', 'rpmverbosity', 'debuglevel', 'errorlevel', 'disableexcludes', 'disableplugin', 'enableplugin', 'repofrompath', 'advisory', 'bz', 'cve', 'sec-severity'],
  },
  dnf: {
    shortValue: 'cdexR',
    longValue: ['config', 'releasever', 'installroot', 'enablerepo', 'disablerepo', 'repo', 'repoid', 'exclude', 'setopt', 'forcearch', 'downloaddir', 'destdir', 'color', 'rpmverbosity', 'debuglevel', 'errorlevel', 'disableexcludes', 'disableplugin', 'enableplugin', 'repofrompath', 'advisory', 'bz', 'cve', 'sec-severity', 'use-host-config'],
  },
  microdnf: { longValue: ['config', 'releasever', 'installroot', 'enablerepo', 'disablerepo', 'setopt', 'setopt', 'exclude'] },
  zypper: {
    shortValue: 'cRDtrx',
    longValue: ['config', 'root', 'reposd-dir', 'cache-dir', 'raw-cache-dir', 'solv-cache-dir', 'pkg-cache-dir', 'type', 'repo', 'from', 'download', 'auto-agree-with-product-licenses'],
  },
  pip: {
    shortValue: 'rceiftbC',
    longValue: [
      'requirement', 'constraint', 'editable', 'index-url', 'extra-index-url', 'find-links', 'target', 'prefix', 'root', 'src',
      'upgrade-strategy', 'platform', 'python-version', 'implementation', 'abi', 'progress-bar', 'proxy', 'trusted-host', 'cert',
      'client-cert', 'cache-dir', 'log', 'timeout', 'retries', 'exists-action', 'no-binary', 'only-binary', 'config-settings',
      'global-option', 'install-option', 'build', 'report', 'python', 'use-feature', 'use-deprecated', 'keyring-provider',
      'root-user-action', 'group',
    ],
  },
  npm: { shortValue: 'w', longValue: ['registry', 'prefix', 'cache', 'tag', 'omit', 'include', 'userconfig', 'globalconfig', 'loglevel', 'workspace', 'install-strategy', 'before', 'fetch-retries', 'fetch-timeout'] },
  yarn: { longValue: ['cache-folder', 'modules-folder', 'network-timeout', 'mutex', 'registry', 'cwd', 'global-folder', 'link-folder', 'network-concurrency', 'preferred-cache-folder', 'use-yarnrc', 'proxy', 'https-proxy'] },
  gem: { shortValue: 'vinsPg', longValue: ['version', 'install-dir', 'bindir', 'source', 'platform', 'trust-policy', 'build-root', 'file', 'target-rbconfig'] },
  go: {
    goStyle: ['C', 'p', 'asmflags', 'buildmode', 'compiler', 'gccgoflags', 'gcflags', 'installsuffix', 'ldflags', 'mod', 'modfile', 'overlay', 'pgo', 'pkgdir', 'tags', 'toolexec', 'o', 'exec', 'covermode', 'coverpkg'],
  },
};

/** Global zypper options that come before the command and make it non-interactive. */
export const ZYPPER_NON_INTERACTIVE = ['n', 'non-interactive'];

function basename(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? name : name.slice(i + 1);
}

/** The manager a command runs, if any (`pip3.12`, `python3 -m pip` and `/usr/bin/apt-get` included). */
export function managerOf(cmd: PkgCommand): { manager: Manager; rest: PkgWord[] } | undefined {
  const name = basename(cmd.name);
  if (name === 'apt-get' || name === 'apt' || name === 'apk' || name === 'yum' || name === 'dnf' || name === 'microdnf' || name === 'zypper'
    || name === 'npm' || name === 'yarn' || name === 'gem' || name === 'go') {
    return { manager: name, rest: cmd.args };
  }
  if (name === 'dnf5' || name === 'dnf-3') return { manager: 'dnf', rest: cmd.args };
  // tonistiigi/xx's cross-compilation wrappers take the same arguments.
  if (name === 'xx-apt-get' || name === 'xx-apt') return { manager: 'apt-get', rest: cmd.args };
  if (name === 'xx-apk') return { manager: 'apk', rest: cmd.args };
  if (!name.startsWith('p')) return undefined; // most commands: no regexp test below
  if (/^pip(\d+(\.\d+)?)?$/.test(name)) return { manager: 'pip', rest: cmd.args };
  if (/^python(\d+(\.\d+)?)?$/.test(name)) {
    const rest = cmd.args;
    // python [-opts] -m pip ...
    for (let i = 0; i + 1 < rest.length; i++) {
      const v = rest[i].value;
      if (v === '-m') return rest[i + 1].value === 'pip' ? { manager: 'pip', rest: rest.slice(i + 2) } : undefined;
      if (v === undefined || !v.startsWith('-')) return undefined;
      if (v.startsWith('-m') && v.length > 2) return v.slice(2) === 'pip' ? { manager: 'pip', rest: rest.slice(i + 1) } : undefined;
    }
  }
  return undefined;
}

/** Reads a command as a package-manager call, or undefined when it runs something else. */
export function asManagerCall(cmd: PkgCommand): ManagerCall | undefined {
  // Memoised per command: managerCalls and several rules read the same commands.
  return memoized(cmd, callOf, readManagerCall, cmd, undefined);
}

const callOf = Symbol('callOf');

function readManagerCall(cmd: PkgCommand): ManagerCall | undefined {
  const m = managerOf(cmd);
  if (!m) return undefined;
  const args = parseOptions(m.rest, SPECS[m.manager]);
  let sub = '';
  let subWord: PkgWord | undefined;
  let subEnd: PkgWord = cmd.nameWord;
  let operands = args.operands;
  if (m.manager !== 'go' || args.operands.length) {
    const first = args.operands[0];
    if (first && first.value !== undefined) {
      sub = first.value.toLowerCase();
      subWord = first;
      subEnd = first;
      operands = args.operands.slice(1);
    }
  }
  if (m.manager === 'go' && sub === 'mod' && operands[0]?.value) {
    sub = `mod ${operands[0].value}`;
    subEnd = operands[0];
    operands = operands.slice(1);
  }
  // `dnf module install x`, `yum module install x`: the module subcommand and its own subcommand.
  if ((m.manager === 'dnf' || m.manager === 'yum' || m.manager === 'microdnf') && sub === 'module' && operands[0]?.value) {
    sub = `module ${operands[0].value.toLowerCase()}`;
    subEnd = operands[0];
    operands = operands.slice(1);
  }
  return { manager: m.manager, cmd, sub, subWord, subEnd, args, operands };
}

const callsCache = Symbol('callsCache');

/** Every package-manager call of a RUN, in script order (memoised per step: a dozen rules ask for them). */
export function managerCalls(model: DockerfileModel, step: Step): ManagerCall[] {
  return memoized(step, callsCache, readManagerCalls, model, step);
}

function readManagerCalls(model: DockerfileModel, step: Step): ManagerCall[] {
  const out: ManagerCall[] = [];
  // No manager name in the text: no call, and no shell parse.
  if (mayMention(step, MANAGER_MENTIONS)) {
    for (const c of runCommands(model, step)) {
      const call = asManagerCall(c);
      if (call) out.push(call);
    }
  }
  return out;
}

export const APT = new Set<Manager>(['apt-get', 'apt']);
export const RPM = new Set<Manager>(['yum', 'dnf', 'microdnf']);

/** Subcommands that install packages, per manager. */
export function isInstall(call: ManagerCall): boolean {
  switch (call.manager) {
    case 'apt-get':
    case 'apt':
      return call.sub === 'install';
    case 'apk':
      return call.sub === 'add';
    case 'yum':
    case 'dnf':
    case 'microdnf':
      return call.sub === 'install' || call.sub === 'module install';
    case 'zypper':
      return call.sub === 'install' || call.sub === 'in';
    case 'pip':
      return call.sub === 'install';
    case 'npm':
      return call.sub === 'install' || call.sub === 'i' || call.sub === 'ci' || call.sub === 'add';
    case 'yarn':
      return isYarnInstall(call) || call.sub === 'add';
    case 'gem':
      return call.sub === 'install' || call.sub === 'i';
    case 'go':
      return call.sub === 'install' || call.sub === 'get' || call.sub === 'mod download' || call.sub === 'build';
  }
}

/** A dry run that changes nothing: `apt-get install -s`, `dnf install --assumeno`, `zypper install --dry-run`. */
export function isDryRun(call: ManagerCall): boolean {
  const names = APT.has(call.manager) ? ['s', 'simulate', 'just-print', 'dry-run', 'recon', 'no-act']
    : call.manager === 'zypper' ? ['D', 'dry-run']
      : call.manager === 'yum' || call.manager === 'dnf' ? ['assumeno']
        : call.manager === 'pip' || call.manager === 'npm' ? ['dry-run']
          : call.manager === 'apk' ? ['s', 'simulate'] : [];
  return call.args.options.some((o) => names.includes(o.name));
}

/** `yarn` with no command runs `yarn install`, unless it only prints its version or help. */
export function isYarnInstall(call: ManagerCall): boolean {
  if (call.manager !== 'yarn') return false;
  if (call.sub === 'install') return true;
  return call.sub === '' && !call.args.options.some((o) => ['version', 'v', 'help', 'h'].includes(o.name));
}

// ---------------------------------------------------------------------------------------------------------------
// Stages and mounts

/** The stages whose layers end up in the target image: the target and the stages it is built FROM, in order. */
export function imageStages(ctx: RuleContext): Stage[] {
  const out: Stage[] = [];
  let s = ctx.target;
  const seen = new Set<number>();
  while (s && !seen.has(s.index)) {
    seen.add(s.index);
    out.unshift(s);
    s = s.baseKind === 'stage' && s.baseStage !== undefined ? ctx.model.stages[s.baseStage] : undefined;
  }
  return out;
}

/** RUN steps of the given stages, with `ONBUILD RUN` triggers (they run in the images built from this one). */
export function runSteps(stages: readonly Stage[]): Step[] {
  const out: Step[] = [];
  for (const st of stages) {
    for (const s of st.steps) {
      if (s.keyword === 'RUN') out.push(s);
      else if (s.keyword === 'ONBUILD' && s.trigger?.keyword === 'RUN') out.push(s.trigger);
    }
  }
  return out;
}

/** Every stage of the model (fragments included). */
export function allStages(ctx: RuleContext): Stage[] {
  return ctx.model.stages;
}

/** The range of a call's command word through its subcommand (`apt-get install`, `python3 -m pip install`). */
export function callRange(call: ManagerCall): Range {
  return { start: call.cmd.nameWord.range.start, end: call.subEnd.range.end };
}

/** The manager as the user wrote it, for messages: `apt-get install`, `pip3 install`. */
export function callText(call: ManagerCall): string {
  const name = call.cmd.name.slice(call.cmd.name.lastIndexOf('/') + 1);
  const pre = call.manager === 'pip' && !/^pip/.test(name) ? `${name} -m pip` : name;
  return call.sub ? `${pre} ${call.sub}` : pre;
}

/** Normalises a mount target for comparison: no trailing slash. */
function normDir(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/**
 * The cache or tmpfs mount of a RUN whose target is one of `dirs` (exactly, or a directory above it), if any.
 * Entries of `dirs` that start with `~/` match any home directory (`/root/.cache/pip`, `/home/app/.cache/pip`).
 */
export function cacheMountOn(step: Step, dirs: readonly string[]): Mount | undefined {
  for (const m of step.mounts) {
    if ((m.type !== 'cache' && m.type !== 'tmpfs') || !m.target) continue;
    const t = normDir(m.target);
    for (const d of dirs) {
      if (d.startsWith('~/')) {
        const tail = d.slice(1);
        if (t.endsWith(tail) || t.endsWith(normDir(tail))) return m;
      } else if (t === normDir(d) || normDir(d).startsWith(t + '/')) return m;
    }
  }
  return undefined;
}

/** True when a later command of the same RUN is `rm` of one of the paths (or a directory above one). */
export function removesPath(cmds: readonly PkgCommand[], after: number, paths: readonly string[]): boolean {
  for (const c of cmds) {
    if (c.index <= after || basename(c.name) !== 'rm') continue;
    for (const w of c.args) {
      if (w.value === undefined || w.value.startsWith('-')) continue;
      const v = normDir(w.value.replace(/\/\*$/, '').replace(/\*$/, ''));
      for (const p of paths) {
        const pn = normDir(p);
        if (v === pn || pn.startsWith(v + '/')) return true;
      }
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Fixes

/** An edit inserting ` text` right after a word. */
export function insertAfterWord(word: PkgWord, text: string): TextEdit {
  return { range: { start: word.range.end, end: word.range.end }, newText: ' ' + text };
}

/**
 * An edit appending ` && <command>` at the end of a RUN's script, or undefined when that is not safe: exec form,
 * heredocs, or a script that ends in an operator, a line continuation or a background `&`.
 */
export function appendToRun(model: DockerfileModel, step: Step, command: string): TextEdit | undefined {
  if (step.json || step.heredocs.length || !step.argsRange) return undefined;
  const text = step.argsText.trimEnd();
  if (!text) return undefined;
  if (/(&&|\|\||[|&\\(]|\bthen|\bdo|\belse)$/.test(text)) return undefined;
  // A shell comment on the last line would swallow the appended command.
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  if (/(^|\s)#/.test(lastLine)) return undefined;
  const end = step.range.end;
  const sep = text.endsWith(';') ? ' ' : ' && ';
  return { range: { start: end, end }, newText: sep + command };
}

/** The text of a word's range as written. */
export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
