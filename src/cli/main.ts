/**
 * dockerfile-insight: the command-line front end over the analysis core.
 *
 *   dockerfile-insight lint [--format text|json|sarif] [--config FILE] [--failure-threshold error|warning|info|none] PATH...
 *   dockerfile-insight rules [--format text|json]
 *   dockerfile-insight --version | --help
 *
 * Exit codes: 0 clean, 1 findings at or over the threshold, 2 usage error or unreadable input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../core/analyze';
import { ConfigError, ConfigLayer, parseProjectConfig, PROJECT_CONFIG_FILE } from '../core/config';
import { HADOLINT_CONFIG_FILES, parseHadolintConfig } from '../core/hadolintConfig';
import { RULES } from '../core/registry';
import { docsPath } from '../core/rule';
import { SEVERITY_ORDER, Severity, Diagnostic } from '../core/types';
import { toSarif } from './sarif';
import { ContextUsageError, layersCommand, rebuildCommand } from './contextCommands';
import { isDockerfileName } from '../core/fileNames';
import { ContextIndex, resolveContextDir, scanContext } from '../core/context';
import { NodeFileSystem } from './nodeFs';
import pkg from '../../package.json';

export const VERSION: string = pkg.version;

export class UsageError extends Error {}

export interface FileResult {
  file: string;
  diagnostics: Diagnostic[];
  skipped?: string;
  /** The failure threshold of the project file that applied to this file, if it set one. */
  threshold?: Severity | 'none';
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => string;
  cwd: string;
}

const HELP = `dockerfile-insight ${VERSION}: explains and lints Dockerfiles

Usage:
  dockerfile-insight lint [options] PATH...   lint Dockerfiles (a directory is searched; - reads stdin)
  dockerfile-insight rules [--format text|json]
  dockerfile-insight layers DOCKERFILE [--context DIR] [--target STAGE] [--build-arg NAME=VALUE]...
                            [--format text|json]
      the layer each step makes, and the context files and bytes each COPY/ADD takes
  dockerfile-insight rebuild DOCKERFILE [--context DIR] [--target STAGE] [--build-arg NAME=VALUE]...
                             [--changed PATH]... [--changed-build-arg NAME[=NEW]]...
                             [--base-changed[=layers|config|env,user,workdir,shell]]
                             [--previous DIR] [--previous-dockerfile FILE] [--format text|json]
      which steps BuildKit serves from cache and which it executes again after the change: --changed paths
      (relative to the context) changed content, --changed-build-arg gives NAME another (or the NEW) value,
      --base-changed means new base image layers (=config: only the image configuration changed; =env, =user,
      =workdir, =shell: only those parts), --previous is a copy of the whole context before the change
  dockerfile-insight --version | --help

lint options:
  --format text|json|sarif          output format (default: text)
  --config FILE                     project config (default: nearest ${PROJECT_CONFIG_FILE} above each file;
                                    the nearest .hadolint.yaml / .hadolint.yml is read too, below it)
  --failure-threshold LEVEL         error|warning|info|hint|none: exit 1 when a finding is at or over it
                                    (default: the project file's failureThreshold, else the nearest
                                    .hadolint.yaml's failure-threshold, else info)
  --target STAGE                    the build target stage (default: the last stage)
  --build-arg NAME=VALUE            a build argument value, as for docker build (repeatable)

Exit status: 0 no findings at or over the threshold, 1 findings, 2 usage error or unreadable input.
`;

interface LintOptions {
  format: 'text' | 'json' | 'sarif';
  config?: string;
  /** From --failure-threshold; when absent, the project file's failureThreshold, else 'info'. */
  threshold?: Severity | 'none';
  target?: string;
  buildArgs: Record<string, string>;
  paths: string[];
}

function takeValue(args: string[], i: number, flag: string): [string, number] {
  const a = args[i];
  const eq = a.indexOf('=');
  if (a.startsWith('--') && eq > 0) return [a.slice(eq + 1), i];
  if (i + 1 >= args.length) throw new UsageError(`${flag} needs a value`);
  return [args[i + 1], i + 1];
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value as T;
}

function parseLintArgs(args: string[]): LintOptions {
  const o: LintOptions = { format: 'text', buildArgs: {}, paths: [] };
  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (optionsEnded) {
      o.paths.push(a);
      continue;
    }
    if (a === '--') {
      optionsEnded = true;
      continue;
    }
    const name = a.startsWith('--') ? a.split('=')[0] : a;
    let v: string;
    switch (name) {
      case '--format':
        [v, i] = takeValue(args, i, name);
        o.format = oneOf(name, v, ['text', 'json', 'sarif'] as const);
        break;
      case '--config':
        [v, i] = takeValue(args, i, name);
        o.config = v;
        break;
      case '--failure-threshold':
        [v, i] = takeValue(args, i, name);
        o.threshold = oneOf(name, v, ['error', 'warning', 'info', 'hint', 'none'] as const);
        break;
      case '--target':
        [v, i] = takeValue(args, i, name);
        o.target = v;
        break;
      case '--build-arg': {
        [v, i] = takeValue(args, i, name);
        const eq = v.indexOf('=');
        if (eq <= 0) throw new UsageError(`--build-arg needs NAME=VALUE, not "${v}"`);
        o.buildArgs[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        o.paths.push(a);
    }
  }
  if (o.paths.length === 0) throw new UsageError('lint needs at least one PATH (a Dockerfile, a directory, or - for stdin)');
  return o;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.tools', '.vscode-test']);

/** Lists Dockerfiles under a directory (sorted, not following symlinks). */
export function findDockerfiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 32) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(p, depth + 1);
      } else if (isDockerfileName(e.name) && (e.isFile() || (e.isSymbolicLink() && isFileTarget(p)))) out.push(p);
    }
  };
  walk(dir, 0);
  return out;
}

interface LoadedConfig {
  layer: ConfigLayer;
  threshold?: Severity | 'none';
}

function isFileTarget(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const { config, problems } = parseProjectConfig(file, text);
    if (problems.length) throw new UsageError(problems.join('\n'));
    return { layer: { source: file, rules: config.rules, options: config.options }, threshold: config.failureThreshold };
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}

/** The nearest .hadolint.yaml (or .hadolint.yml) at or above a directory. */
function findHadolintConfig(startDir: string): string | undefined {
  let d = path.resolve(startDir);
  for (;;) {
    for (const name of HADOLINT_CONFIG_FILES) {
      const p = path.join(d, name);
      if (isFileTarget(p)) return p;
    }
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/** A hadolint configuration file as a layer below the project file; any problem in it is a usage error. */
function loadHadolintFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read hadolint config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const { config, problems } = parseHadolintConfig(file, text);
    if (problems.length) throw new UsageError(problems.join('\n'));
    return { layer: config.layer, threshold: config.failureThreshold };
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}

function findProjectConfig(startDir: string): string | undefined {
  let d = path.resolve(startDir);
  for (;;) {
    const p = path.join(d, PROJECT_CONFIG_FILE);
    if (fs.existsSync(p)) return p;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

function isBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}

/** One text to lint; `context` is its walked build context (absent for stdin: context rules stay silent). */
export interface LintInput {
  file: string;
  text: string;
  configDir: string;
  context?: ContextIndex;
}

export function lintTexts(inputs: LintInput[], o: LintOptions): FileResult[] {
  const explicit = o.config ? loadConfigFile(o.config) : undefined;
  const cache = new Map<string, LoadedConfig>();
  const hadolintCache = new Map<string, LoadedConfig>();
  return inputs.map(({ file, text, configDir, context }) => {
    // The nearest .hadolint.yaml applies below the project file (ours wins where both say something).
    const hadolintFile = findHadolintConfig(configDir);
    if (hadolintFile && !hadolintCache.has(hadolintFile)) hadolintCache.set(hadolintFile, loadHadolintFile(hadolintFile));
    const hadolint = hadolintFile ? hadolintCache.get(hadolintFile) : undefined;
    let cfg = explicit;
    if (!cfg) {
      const found = findProjectConfig(configDir);
      if (found) {
        if (!cache.has(found)) cache.set(found, loadConfigFile(found));
        cfg = cache.get(found);
      }
    }
    const threshold = cfg?.threshold ?? hadolint?.threshold;
    if (isBinary(text)) return { file, diagnostics: [], skipped: 'binary content (NUL bytes): not a Dockerfile', threshold };
    const layers = [hadolint?.layer, cfg?.layer].filter((l): l is ConfigLayer => l !== undefined);
    const res = analyze(text, { layers, buildArgs: o.buildArgs, target: o.target, context });
    if (o.target && res.model && !res.model.stages.some((s) => s.name?.toLowerCase() === o.target?.toLowerCase())) {
      throw new UsageError(`${file}: --target ${o.target}: no stage is named "${o.target}" (stages: ${res.model.stages.map((s) => s.name ?? String(s.index)).join(', ') || 'none'})`);
    }
    for (const err of res.ruleErrors) process.stderr.write(`dockerfile-insight: internal error in rule ${err.ruleId} on ${file}: ${err.error}\n`);
    return { file, diagnostics: res.diagnostics, skipped: res.skipped, threshold };
  });
}

function formatText(results: FileResult[]): string {
  const lines: string[] = [];
  let count = 0;
  for (const r of results) {
    if (r.skipped) lines.push(`${r.file}: skipped: ${r.skipped}`);
    for (const d of r.diagnostics) {
      count++;
      const codes = Object.values(d.aliases).filter(Boolean);
      lines.push(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} [${[d.ruleId, ...codes].join(', ')}] ${d.message}`);
    }
  }
  lines.push(`${count} finding${count === 1 ? '' : 's'} in ${results.length} file${results.length === 1 ? '' : 's'}`);
  return lines.join('\n') + '\n';
}

export function toJson(results: FileResult[]): unknown[] {
  const out: unknown[] = [];
  for (const r of results) {
    for (const d of r.diagnostics) {
      out.push({
        file: r.file,
        ruleId: d.ruleId,
        aliases: { ...d.aliases },
        severity: d.severity,
        category: d.category,
        message: d.message,
        range: { start: { ...d.range.start }, end: { ...d.range.end } },
      });
    }
  }
  return out;
}

function rulesCommand(args: string[], io: Io): number {
  let format: 'text' | 'json' = 'text';
  for (let i = 0; i < args.length; i++) {
    const name = args[i].split('=')[0];
    if (name === '--format') {
      let v: string;
      [v, i] = takeValue(args, i, name);
      format = oneOf(name, v, ['text', 'json'] as const);
    } else throw new UsageError(`unknown argument for rules: ${args[i]}`);
  }
  const list = RULES.map((r) => ({
    id: r.id,
    category: r.category,
    severity: r.severity,
    aliases: r.aliases,
    fixable: r.fixable,
    /** False for a rule that only runs when configuration turns it on. */
    defaultEnabled: r.defaultEnabled !== false,
    title: r.title,
    docs: docsPath(r.id),
  }));
  if (format === 'json') io.stdout(JSON.stringify(list, null, 2) + '\n');
  else {
    for (const r of list) {
      const aliases = Object.entries(r.aliases).map(([tool, codes]) => `${tool}: ${(codes as string[]).join(', ')}`).join('; ');
      io.stdout(`${r.id.padEnd(26)} ${r.category.padEnd(12)} ${(r.defaultEnabled ? r.severity : 'off').padEnd(8)} ${r.fixable ? 'fix' : '   '}  ${r.title}${aliases ? `  (${aliases})` : ''}\n`);
    }
  }
  return 0;
}

function lintCommand(args: string[], io: Io): Promise<number> {
  const o = parseLintArgs(args);
  const inputs: LintInput[] = [];
  const onDisk: Array<{ input: LintInput; path: string }> = [];
  for (const p of o.paths) {
    if (p === '-') {
      inputs.push({ file: '<stdin>', text: io.readStdin(), configDir: io.cwd });
      continue;
    }
    const abs = path.resolve(io.cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
    const files = st.isDirectory() ? findDockerfiles(abs) : [abs];
    if (st.isDirectory() && files.length === 0) throw new UsageError(`no Dockerfiles found in ${p}`);
    for (const f of files) {
      let text: string;
      try {
        text = fs.readFileSync(f, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read ${path.relative(io.cwd, f) || f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const input: LintInput = { file: path.relative(io.cwd, f) || f, text: text.replace(/^\uFEFF/, ''), configDir: path.dirname(f) };
      inputs.push(input);
      onDisk.push({ input, path: f });
    }
  }
  return attachContexts(onDisk, io.cwd).then(
    () => finishLint(inputs, o, io),
    (e: unknown) => {
      io.stderr(`dockerfile-insight: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      return 2;
    },
  ).catch((e: unknown) => {
    if (e instanceof UsageError) {
      io.stderr(`dockerfile-insight: ${e.message}\n`);
      return 2;
    }
    io.stderr(`dockerfile-insight: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 2;
  });
}

/** COPY/ADD at the start of a line: only then is the build context worth walking. */
const COPIES = /^[ \t]*(?:onbuild[ \t]+)?(?:copy|add)[ \t]/im;

/**
 * Walks the build context of each Dockerfile on disk (resolved as `layers` does; one walk per context directory and
 * ignore file) so the context rules can run. A context that cannot be walked is left out (its rules stay silent).
 */
async function attachContexts(onDisk: Array<{ input: LintInput; path: string }>, cwd: string): Promise<void> {
  const nodeFs = new NodeFileSystem();
  const walks = new Map<string, Promise<ContextIndex | undefined>>();
  await Promise.all(onDisk.map(async ({ input, path: dockerfile }) => {
    if (!COPIES.test(input.text)) return;
    try {
      const inside = dockerfile.startsWith(cwd.endsWith(path.sep) ? cwd : cwd + path.sep);
      const dir = (await resolveContextDir(nodeFs, dockerfile, { stopAt: inside ? cwd : undefined })).dir;
      // `<Dockerfile>.dockerignore` makes the walk specific to this Dockerfile
      const own = fs.existsSync(`${dockerfile}.dockerignore`);
      const key = own ? `${dir}|${dockerfile}` : dir;
      let walk = walks.get(key);
      if (!walk) {
        walk = scanContext(nodeFs, dir, dockerfile).catch(() => undefined);
        walks.set(key, walk);
      }
      input.context = await walk;
    } catch {
      input.context = undefined;
    }
  }));
}

function finishLint(inputs: LintInput[], o: LintOptions, io: Io): number {
  const results = lintTexts(inputs, o);
  // Text output lists skipped files inline; JSON/SARIF keep stdout machine-readable, so say it on stderr.
  if (o.format !== 'text') for (const r of results) if (r.skipped) io.stderr(`dockerfile-insight: ${r.file}: skipped: ${r.skipped}\n`);
  if (o.format === 'json') io.stdout(JSON.stringify(toJson(results), null, 2) + '\n');
  else if (o.format === 'sarif') io.stdout(JSON.stringify(toSarif(results, VERSION), null, 2) + '\n');
  else io.stdout(formatText(results));
  const failing = results.some((r) => {
    const threshold = o.threshold ?? r.threshold ?? 'info';
    return threshold !== 'none' && r.diagnostics.some((d) => SEVERITY_ORDER[d.severity] >= SEVERITY_ORDER[threshold]);
  });
  return failing ? 1 : 0;
}

/** Runs the CLI; returns the exit code (never throws). */
export function run(argv: string[], io: Io): number | Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      io.stdout(HELP);
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === '--version' || cmd === '-v') {
      io.stdout(VERSION + '\n');
      return 0;
    }
    if ((cmd === 'lint' || cmd === 'rules' || cmd === 'layers' || cmd === 'rebuild') && (rest.includes('--help') || rest.includes('-h'))) {
      io.stdout(HELP);
      return 0;
    }
    if (cmd === 'lint') return lintCommand(rest, io);
    if (cmd === 'layers' || cmd === 'rebuild') {
      const command = cmd === 'layers' ? layersCommand : rebuildCommand;
      return command(rest, io).catch((e: unknown) => {
        if (e instanceof ContextUsageError) {
          io.stderr(`dockerfile-insight: ${e.message}\n`);
          return 2;
        }
        io.stderr(`dockerfile-insight: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        return 2;
      });
    }
    if (cmd === 'rules') return rulesCommand(rest, io);
    throw new UsageError(`unknown command "${cmd}" (try --help)`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`dockerfile-insight: ${e.message}\n`);
      return 2;
    }
    io.stderr(`dockerfile-insight: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  // A closed pipe (`dockerfile-insight lint . | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const code = run(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: () => {
      try {
        return fs.readFileSync(0, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read stdin: ${(e as Error).message}`);
      }
    },
    cwd: process.cwd(),
  });
  if (typeof code === 'number') process.exitCode = code;
  else void code.then((c) => (process.exitCode = c));
}
