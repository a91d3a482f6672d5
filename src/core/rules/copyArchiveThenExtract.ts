import type { Step } from '../model';
import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import type { ShellCommand } from '../shell';
import { addSources, isArchiveName } from './addSources';
import { allStages } from './packages';
import { effectiveProgram, readOptions, scriptIf } from './runScripts';
import type { PathArg } from './words';

/** tar's single-letter options that take a value. */
const TAR_SHORT_VALUE = 'fCbTXgHKNVIL';
const TAR_LONG_VALUE = ['file', 'directory', 'exclude', 'transform', 'xform', 'owner', 'group', 'mode', 'use-compress-program', 'files-from',
  'exclude-from', 'to-command', 'newer', 'after-date', 'blocking-factor', 'format', 'label', 'strip-components'];

function basename(p: string): string {
  const s = p.replace(/\/+$/, '');
  return s.slice(s.lastIndexOf('/') + 1);
}

/**
 * The archive a `tar` command extracts whole, as ADD would (`tar -xzf a.tgz -C /opt`, `tar xf a.tar`): undefined for
 * anything else, and for extractions ADD cannot do (`--strip-components`, member names, `--exclude`, `--transform`,
 * a compress program, `--to-command`).
 */
function tarExtracts(cmd: ShellCommand): string | undefined {
  const { program, index } = effectiveProgram(cmd);
  if (program !== 'tar' && program !== 'bsdtar' && program !== 'gtar') return undefined;
  const args = cmd.args.slice(index + 1);
  if (!args.length || args.some((a) => a.hasExpansion && a.value.startsWith('-'))) return undefined;
  const first = args[0].value;
  let file: string | undefined;
  if (/^[A-Za-z]+$/.test(first) && !first.startsWith('-')) {
    // Old-style letters (`tar xzf a.tgz -C /opt`): the value letters take the next words in order.
    if (!first.includes('x')) return undefined;
    const valueLetters = [...first].filter((c) => TAR_SHORT_VALUE.includes(c));
    const fAt = valueLetters.indexOf('f');
    if (fAt < 0 || valueLetters.some((c) => !'fC'.includes(c))) return undefined;
    file = args[1 + fAt]?.value;
    const rest = { ...cmd, args: args.slice(1 + valueLetters.length) };
    const { options, operands } = readOptions(rest, { shortWithValue: TAR_SHORT_VALUE, longWithValue: TAR_LONG_VALUE });
    if (operands.length || options.some((o) => !(o.long ? o.name === 'directory' : o.name === 'C' || o.name === 'v'))) return undefined;
  } else {
    const { options, operands } = readOptions({ ...cmd, args }, { shortWithValue: TAR_SHORT_VALUE, longWithValue: TAR_LONG_VALUE });
    if (!options.some((o) => (o.long ? o.name === 'extract' || o.name === 'get' : o.name === 'x'))) return undefined;
    if (operands.length) return undefined;
    const allowed = new Set(['x', 'extract', 'get', 'f', 'file', 'C', 'directory', 'v', 'verbose', 'z', 'gzip', 'gunzip', 'j', 'bzip2', 'J', 'xz',
      'zstd', 'a', 'auto-compress', 'o', 'no-same-owner', 'p', 'preserve-permissions', 'same-permissions', 'm', 'touch', 'overwrite']);
    if (options.some((o) => !allowed.has(o.name))) return undefined;
    file = options.find((o) => (o.long ? o.name === 'file' : o.name === 'f'))?.value;
  }
  return file && file !== '-' ? file : undefined;
}

export const copyArchiveThenExtract: Rule = {
  id: 'copy-archive-then-extract',
  category: 'size',
  severity: 'info',
  aliases: { hadolint: ['DL3010'] },
  title: 'A local archive is COPYed and then extracted in a RUN: ADD extracts it without shipping the archive in a layer',
  fixable: false,
  check(ctx) {
    const out: Finding[] = [];
    const model = ctx.model;
    for (const stage of allStages(ctx)) {
      // Archives copied from the build context so far in this stage, by file name.
      const copied = new Map<string, { step: Step; arg: PathArg }>();
      const reported = new Set<Step>();
      for (const step of stage.steps) {
        if (step.keyword === 'COPY' && !step.flags.some((f) => f.name === 'from')) {
          for (const s of addSources(model, step)) {
            if (s.kind === 'archive' && s.value && !/[*?[]/.test(s.value) && isArchiveName(s.value)) copied.set(basename(s.value), { step, arg: s.arg });
          }
          continue;
        }
        if (step.keyword !== 'RUN' || !copied.size) continue;
        const script = scriptIf(model, step, ['tar']);
        if (!script) continue;
        for (const cmd of script.commands) {
          const file = tarExtracts(cmd);
          const hit = file !== undefined ? copied.get(basename(file)) : undefined;
          if (!hit || reported.has(hit.step)) continue;
          reported.add(hit.step);
          out.push({
            ruleId: 'copy-archive-then-extract',
            message: t('"{0}" is copied here and extracted by the RUN on line {1}: the archive stays in this layer, under the extracted files. "ADD {0} <dir>" extracts a local tar archive itself, in one layer, without the archive.', hit.arg.value, String(step.range.start.line + 1)),
            range: hit.arg.range,
            aliases: { hadolint: 'DL3010' },
          });
        }
      }
    }
    return out;
  },
};
