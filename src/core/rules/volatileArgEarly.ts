import type { DockerfileModel, Step } from '../model';
import { offsetAt } from '../model';
import type { Rule } from '../rule';
import type { Finding, Fix } from '../types';
import { t } from '../l10n';
import { parseRunScript } from '../shell';
import { allStages, runCommands } from './packages';
import { deleteStepLines, eolOf } from './util';
import { keyValueArgs, variableRefs } from './words';

/**
 * Names of build arguments whose value is meant to change on every build (a date, a commit, a CI build number).
 * Matched against the whole name, case-insensitively, with an optional prefix (`APP_`, `CI_`, ...).
 */
const VOLATILE_NAME = /^(?:[A-Z0-9]+_)*(?:BUILD_?(?:DATE|TIME|TIMESTAMP|NUMBER|NUM|ID|URL)|BUILDTIME|BUILDDATE|(?:GIT|VCS|SCM|SOURCE)_?(?:SHA|COMMIT|HASH|REF|REVISION|BRANCH|DESCRIBE)|GIT_?COMMIT_?(?:SHA|HASH|ID)|COMMIT(?:_?(?:SHA|HASH|ID|REF))?|REVISION|TIMESTAMP|CACHE_?BUST(?:ER)?|RUN_?NUMBER|PIPELINE_?ID|JOB_?ID)$/i;
/** Version-like names that are volatile only without a default (then the value comes from `--build-arg` in CI). */
const VERSION_NAME = /^(?:(?:APP|BUILD|RELEASE|IMAGE|PROJECT)_)?(?:VERSION|TAG)$/i;

/**
 * Programs a RUN may run and still not read a build argument from its environment without naming it: moving the
 * ARG below such RUNs cannot change what they do. Anything else (make, a script, npm run) may read it.
 */
const ENV_BLIND = new Set([
  'apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'zypper', 'rm', 'mkdir', 'ln', 'chmod', 'chown', 'chgrp', 'useradd', 'groupadd',
  'adduser', 'addgroup', 'usermod', 'cp', 'mv', 'touch', 'echo', 'printf', 'true', 'set', 'update-ca-certificates', 'tar', 'unzip',
  'gzip', 'gunzip', 'curl', 'wget', 'dpkg', 'rpm', 'locale-gen', 'localedef', 'ldconfig', 'sed', 'cat', 'tee', 'install', 'test', '[',
  'grep', 'ls', 'id', 'getent', 'groupmod', 'passwd', 'chpasswd', 'dpkg-reconfigure', 'ln', 'sha256sum', 'sha512sum', 'md5sum', 'which', 'command',
]);

interface Volatile {
  step: Step;
  name: string;
  keyword: 'ARG' | 'ENV';
}

/** The volatile variables a step declares (ARG by name, ENV by a value that expands a volatile ARG). */
function volatileDecls(model: DockerfileModel, step: Step, volatileArgs: Set<string>): Volatile[] {
  if (step.keyword !== 'ARG' && step.keyword !== 'ENV') return [];
  const out: Volatile[] = [];
  const { pairs } = keyValueArgs(model, step);
  for (const p of pairs) {
    if (step.keyword === 'ARG') {
      if (VOLATILE_NAME.test(p.key) || (VERSION_NAME.test(p.key) && !p.hasValue)) out.push({ step, name: p.key, keyword: 'ARG' });
      continue;
    }
    if (!p.valueRange) continue;
    const from = offsetAt(model, p.valueRange.start.line, p.valueRange.start.character);
    const to = offsetAt(model, p.valueRange.end.line, p.valueRange.end.character);
    if (variableRefs(model, from, to).some((r) => volatileArgs.has(r.name))) out.push({ step, name: p.key, keyword: 'ENV' });
  }
  return out;
}

/** Whether a step names the variable: `$NAME` in its text (RUN: in the parsed script, or its flags). */
function uses(model: DockerfileModel, step: Step, name: string): boolean {
  if (step.keyword === 'RUN') {
    const s = parseRunScript(model, step);
    if (!s.skipped && !s.error) {
      for (const c of s.commands) {
        if (c.words.some((w) => w.params.includes(name))) return true;
        if (c.assignments.some((a) => a.value?.params.includes(name))) return true;
        if (c.redirects.some((r) => r.target?.params.includes(name))) return true;
      }
      // Flags (`--mount=...,id=$NAME`) are outside the script.
      const start = offsetAt(model, step.keywordRange.end.line, step.keywordRange.end.character);
      const end = step.argsRange ? offsetAt(model, step.argsRange.start.line, step.argsRange.start.character) : start;
      return variableRefs(model, start, end).some((r) => r.name === name);
    }
  }
  if ((step.keyword === 'ARG' || step.keyword === 'ENV') && keyValueArgs(model, step).pairs.some((p) => p.key === name)) return true;
  const start = offsetAt(model, step.keywordRange.end.line, step.keywordRange.end.character);
  const end = offsetAt(model, step.range.end.line, step.range.end.character);
  return variableRefs(model, start, end).some((r) => r.name === name);
}

export const volatileArgEarly: Rule = {
  id: 'volatile-arg-early',
  category: 'cache',
  severity: 'info',
  aliases: {},
  title: 'A build argument that changes on every build (date, commit) is declared before RUN steps that do not use it',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    const model = ctx.model;
    for (const stage of allStages(ctx)) {
      const steps = stage.steps;
      const volatileArgs = new Set<string>();
      for (let i = 0; i < steps.length; i++) {
        const step = steps[i];
        const decls = volatileDecls(model, step, volatileArgs);
        for (const d of decls) if (d.keyword === 'ARG') volatileArgs.add(d.name);
        for (const d of decls) {
          // The RUN steps before the first step that names the variable.
          const skipped: Step[] = [];
          let user: Step | undefined;
          for (let j = i + 1; j < steps.length; j++) {
            if (uses(model, steps[j], d.name)) {
              user = steps[j];
              break;
            }
            if (steps[j].keyword !== 'RUN') continue;
            // A RUN that runs a program which may read it from its environment (make, a script) may be its user.
            if (!envBlind(model, steps[j])) {
              user = steps[j];
              break;
            }
            skipped.push(steps[j]);
          }
          if (!skipped.length) continue;
          const lines = skipped.map((s) => String(s.range.start.line + 1)).join(', ');
          const fix = user ? moveFix(model, step, decls, user, d.name) : undefined;
          const pair = keyValueArgs(model, step).pairs.find((p) => p.key === d.name)!;
          out.push({
            ruleId: 'volatile-arg-early',
            message: user
              ? t('{0} {1} looks like it changes on every build, and the RUN steps on lines {2} come after it without naming it: each has the value in its cache key, so they all rerun whenever it changes. Declare it just before line {3}, the first step that uses it or may read it.',
                d.keyword, d.name, lines, String(user.range.start.line + 1))
              : t('{0} {1} looks like it changes on every build, and the RUN steps on lines {2} come after it without naming it: each has the value in its cache key, so they all rerun whenever it changes. Declare it later in the stage, just before the step that needs it.',
                d.keyword, d.name, lines),
            range: pair.keyRange,
            aliases: {},
            fixes: fix ? [fix] : undefined,
          });
        }
      }
    }
    return out;
  },
};

/** True when every command of the RUN is a program that does not read an unnamed build argument from its environment. */
function envBlind(model: DockerfileModel, run: Step): boolean {
  const s = parseRunScript(model, run);
  if (s.skipped || s.error || s.kind === 'exec') return false;
  const cmds = runCommands(model, run);
  if (cmds.length !== s.commands.filter((c) => c.name).length) return false;
  return cmds.every((c) => ENV_BLIND.has(c.name.slice(c.name.lastIndexOf('/') + 1)));
}

/**
 * Moves the declaration down to just before its first (possible) user: only when the declaration holds one
 * variable (the RUN steps it moves across all run programs that cannot read it unnamed).
 */
function moveFix(model: DockerfileModel, decl: Step, decls: Volatile[], user: Step, name: string): Fix | undefined {
  if (decl.isTrigger || user.isTrigger) return undefined;
  const pairs = keyValueArgs(model, decl).pairs;
  if (pairs.length !== 1 || decls.length !== 1 || pairs[0].key !== name) return undefined;
  // Steps in between that are not RUN must not name it either (they don't: `user` is the first that does).
  const start = model.lineStarts[decl.range.start.line];
  const end = model.lineStarts[decl.range.end.line] + decl.range.end.character;
  const text = model.text.slice(start, end);
  const eol = eolOf(model);
  const at = { line: user.range.start.line, character: 0 };
  return {
    title: t('Move it down to line {0}, before the first step that may use it', String(user.range.start.line + 1)),
    edits: [deleteStepLines(model, decl), { range: { start: at, end: at }, newText: text + eol }],
    isPreferred: true,
  };
}
