import type { DockerfileModel, Step } from '../model';
import type { Rule } from '../rule';
import type { Finding, Fix } from '../types';
import { t } from '../l10n';
import { allStages, asManagerCall, MANAGER_NEEDLES, mayMention, hasOption, optionValues, parseOptions, PkgCommand, runCommands } from './packages';
import { deleteStepLines, eolOf, Needles } from './util';
import { copyArgs, PathArg } from './words';

/** The dependency managers whose install this rule reads. */
type DepManager = 'npm' | 'yarn' | 'pnpm' | 'pip' | 'poetry' | 'uv' | 'bundle' | 'go' | 'cargo' | 'mvn' | 'gradle' | 'composer';

interface DepInstall {
  manager: DepManager;
  cmd: PkgCommand;
  /** The manifest files to copy first, when the install can run with only them (undefined: no quick fix). */
  manifests?: string[];
}

function basename(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** Literal non-option words of a command (undefined for a word with an expansion). */
function plainOperands(cmd: PkgCommand): Array<string | undefined> {
  return cmd.args.map((w) => w.value).filter((v) => v === undefined || !v.startsWith('-'));
}

/** The dependency install a command runs, if it is one (an install from the project's manifests). */
export function depInstallOf(cmd: PkgCommand): DepInstall | undefined {
  const name = basename(cmd.name);
  const call = asManagerCall(cmd);
  if (call?.manager === 'npm') {
    if (!['ci', 'install', 'i', 'clean-install', 'isntall'].includes(call.sub)) return undefined;
    if (call.operands.length || hasOption(call.args, 'g', 'global')) return undefined;
    return { manager: 'npm', cmd, manifests: ['package*.json'] };
  }
  if (call?.manager === 'yarn') {
    if (call.sub !== '' && call.sub !== 'install') return undefined;
    if (call.operands.length) return undefined;
    return { manager: 'yarn', cmd, manifests: ['package.json', 'yarn.lock'] };
  }
  if (call?.manager === 'pip') {
    if (call.sub !== 'install') return undefined;
    const files = optionValues(call.args, 'r', 'requirement');
    if (!files.length) return undefined;
    const simple = files.every((f) => f !== undefined && /^(\.\/)?[A-Za-z0-9._-]+$/.test(f));
    return { manager: 'pip', cmd, manifests: simple ? [...new Set(files.map((f) => f!.replace(/^\.\//, '')))] : undefined };
  }
  if (call?.manager === 'go') {
    return call.sub === 'mod download' ? { manager: 'go', cmd, manifests: ['go.mod', 'go.sum'] } : undefined;
  }
  const ops = plainOperands(cmd);
  switch (name) {
    case 'pnpm':
      if ((ops[0] === 'install' || ops[0] === 'i') && ops.length === 1 && !cmd.args.some((w) => w.value === '-g' || w.value === '--global')) {
        return { manager: 'pnpm', cmd, manifests: ['package.json', 'pnpm-lock.yaml'] };
      }
      return undefined;
    case 'poetry': {
      if (ops[0] !== 'install') return undefined;
      // Without --no-root, poetry installs the project itself, which needs its sources.
      const noRoot = cmd.args.some((w) => w.value === '--no-root' || w.value === '--only-root');
      if (cmd.args.some((w) => w.value === '--only-root')) return undefined;
      return { manager: 'poetry', cmd, manifests: noRoot ? ['pyproject.toml', 'poetry.lock'] : undefined };
    }
    case 'uv': {
      if (ops[0] === 'sync') {
        const noProject = cmd.args.some((w) => w.value === '--no-install-project');
        return { manager: 'uv', cmd, manifests: noProject ? ['pyproject.toml', 'uv.lock'] : undefined };
      }
      if (ops[0] === 'pip' && ops[1] === 'install') {
        const p = parseOptions(cmd.args.slice(2), { shortValue: 'rc', longValue: ['requirement', 'constraint'] });
        const files = optionValues(p, 'r', 'requirement');
        if (!files.length) return undefined;
        const simple = files.every((f) => f !== undefined && /^(\.\/)?[A-Za-z0-9._-]+$/.test(f));
        return { manager: 'uv', cmd, manifests: simple ? [...new Set(files.map((f) => f!.replace(/^\.\//, '')))] : undefined };
      }
      return undefined;
    }
    case 'bundle':
    case 'bundler':
      return ops[0] === 'install' ? { manager: 'bundle', cmd, manifests: ['Gemfile', 'Gemfile.lock'] } : undefined;
    case 'cargo':
      // Building the dependencies alone needs a stub crate: no mechanical fix.
      return ops[0] === 'build' || ops[0] === 'fetch' ? { manager: 'cargo', cmd } : undefined;
    case 'mvn':
    case 'mvnw': {
      if (ops.some((o) => o === 'dependency:go-offline' || o === 'dependency:resolve')) {
        return { manager: 'mvn', cmd, manifests: ['pom.xml'] };
      }
      return ops.some((o) => o === 'package' || o === 'install' || o === 'verify') ? { manager: 'mvn', cmd } : undefined;
    }
    case 'gradle':
    case 'gradlew':
      return ops.length ? { manager: 'gradle', cmd } : undefined;
    case 'composer':
      if (ops[0] !== 'install') return undefined;
      // Composer's scripts and autoloader read the sources; only `--no-scripts --no-autoloader` runs with the manifests alone.
      return {
        manager: 'composer',
        cmd,
        manifests: cmd.args.some((w) => w.value === '--no-scripts') && cmd.args.some((w) => w.value === '--no-autoloader') ? ['composer.json', 'composer.lock'] : undefined,
      };
    default:
      return undefined;
  }
}

/** Every command `depInstallOf` recognises has a name containing one of these. */
const DEP_NEEDLES = new Needles([...MANAGER_NEEDLES, 'poetry', 'uv', 'bundle', 'cargo', 'mvn', 'gradle', 'composer']);

/** The dependency installs of a RUN, in script order. */
function depInstalls(model: DockerfileModel, step: Step): DepInstall[] {
  const out: DepInstall[] = [];
  // No installer name in the text: nothing to find, and no shell parse.
  if (!mayMention(step, DEP_NEEDLES)) return out;
  for (const c of runCommands(model, step)) {
    const d = depInstallOf(c);
    if (d) out.push(d);
  }
  return out;
}

/** Sources that are the whole build context. */
const WHOLE_CONTEXT = new Set(['.', './', './.', '*', './*']);

function isContextCopy(step: Step): boolean {
  return (step.keyword === 'COPY' || step.keyword === 'ADD') && !step.flags.some((f) => f.name === 'from') && step.heredocs.length === 0;
}

function broadSource(model: DockerfileModel, step: Step): PathArg | undefined {
  if (!isContextCopy(step)) return undefined;
  return copyArgs(model, step).sources.find((s) => !s.heredoc && WHOLE_CONTEXT.has(s.value));
}

/** Steps that cannot change what a RUN sees (moving a RUN across them is safe). */
const METADATA = new Set(['LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER']);

/** Commands an install RUN may also hold and still move before the sources: cleanup only. */
function isCleanup(cmd: PkgCommand): boolean {
  const name = basename(cmd.name);
  const first = cmd.args[0]?.value;
  if (name === 'rm') return true;
  if ((name === 'npm' || name === 'yarn' || name === 'pnpm') && (first === 'cache' || first === 'store')) return true;
  if ((name === 'pip' || name === 'pip3' || name === 'uv' || name === 'poetry') && first === 'cache') return true;
  return false;
}

function normDir(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

export const broadCopyBeforeInstall: Rule = {
  id: 'broad-copy-before-install',
  category: 'cache',
  severity: 'warning',
  aliases: {},
  title: 'The whole build context is copied before the dependency install: any source edit reruns the install',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    const model = ctx.model;
    for (const stage of allStages(ctx)) {
      const steps = stage.steps;
      // Managers whose install already ran in this stage (the dependency layer is then cached separately).
      const installed = new Set<DepManager>();
      for (let i = 0; i < steps.length; i++) {
        const step = steps[i];
        if (step.keyword === 'RUN') {
          for (const d of depInstalls(model, step)) installed.add(d.manager);
          continue;
        }
        const src = broadSource(model, step);
        if (!src) continue;
        // The first later RUN of the stage with an install of a manager not installed before the copy.
        let hit: { run: Step; dep: DepInstall; between: Step[] } | undefined;
        for (let j = i + 1; j < steps.length && !hit; j++) {
          const run = steps[j];
          if (run.keyword !== 'RUN') continue;
          const dep = depInstalls(model, run).find((d) => !installed.has(d.manager));
          if (dep) hit = { run, dep, between: steps.slice(i + 1, j) };
        }
        if (!hit) continue;
        const { run, dep } = hit;
        const installText = [dep.cmd.name, ...dep.cmd.args.slice(0, 3).map((w) => w.value ?? '…')].join(' ');
        const fix = moveFix(model, step, run, dep, hit.between);
        out.push({
          ruleId: 'broad-copy-before-install',
          message: dep.manifests
            ? t('"{0}" copies the whole build context before "{1}" (line {2}): any edit to any source file changes this layer, so the install reruns on every such build. Copy {3} first, install, then copy the rest.',
              `${step.keyword} ${src.value}`, installText, String(run.range.start.line + 1), dep.manifests.join(' '))
            : t('"{0}" copies the whole build context before "{1}" (line {2}): any edit to any source file changes this layer, so the install reruns on every such build. Copy the dependency manifests first and install the dependencies alone, then copy the rest.',
              `${step.keyword} ${src.value}`, installText, String(run.range.start.line + 1)),
          range: src.range,
          aliases: {},
          fixes: fix ? [fix] : undefined,
        });
      }
    }
    return out;
  },
};

/**
 * Inserts `COPY <manifests> <dest>` and the install RUN before the broad COPY, and deletes the RUN where it was.
 * Only when the RUN holds nothing but the install (and cleanup), every step in between is metadata, the RUN works in
 * the COPY's destination, and the COPY has no flags other than --chown / --chmod / --link.
 */
function moveFix(model: DockerfileModel, copy: Step, run: Step, dep: DepInstall, between: Step[]): Fix | undefined {
  if (!dep.manifests || copy.isTrigger || copy.json) return undefined;
  if (run.isTrigger || run.heredocs.length || run.json) return undefined;
  if (between.some((s) => !METADATA.has(s.keyword))) return undefined;
  if (copy.flags.some((f) => !['chown', 'chmod', 'link'].includes(f.name))) return undefined;
  const cmds = runCommands(model, run);
  if (!cmds.length || !cmds.every((c) => depInstallOf(c)?.manager === dep.manager || isCleanup(c))) return undefined;
  if (cmds.some((c) => depInstallOf(c) && !depInstallOf(c)!.manifests)) return undefined;
  const args = copyArgs(model, copy);
  if (!args.dest || args.dest.value.includes('$') || args.sources.length !== 1) return undefined;
  const dest = args.dest.value;
  const workdir = run.workdir.value;
  const destDir = dest === '.' || dest === './' ? workdir : normDir(dest);
  if (!destDir.startsWith('/') || normDir(destDir) !== normDir(workdir ?? '')) return undefined;
  const manifests = new Set<string>();
  for (const c of cmds) for (const m of depInstallOf(c)?.manifests ?? []) manifests.add(m);
  const flags = copy.flags.map((f) => (f.value === null ? `--${f.name}` : `--${f.name}=${f.value}`)).join(' ');
  const eol = eolOf(model);
  const copyLine = ['COPY', flags, ...manifests, dest === '.' ? './' : args.dest.raw.endsWith('/') ? args.dest.raw : `${args.dest.raw}/`].filter(Boolean).join(' ');
  const runStart = model.lineStarts[run.range.start.line];
  const runEnd = model.lineStarts[run.range.end.line] + run.range.end.character;
  const runText = model.text.slice(runStart, runEnd);
  const at = { line: copy.range.start.line, character: 0 };
  return {
    title: t('Copy {0} and install before copying the sources', [...manifests].join(' ')),
    edits: [
      { range: { start: at, end: at }, newText: copyLine + eol + runText + eol },
      deleteStepLines(model, run),
    ],
    isPreferred: true,
  };
}
