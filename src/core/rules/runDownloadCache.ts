import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import type { ShellCommand, ShellWord } from '../shell';
import { effectiveProgram, readOptions, runSteps, scriptIf } from './runScripts';

const CURL_SHORT_VALUE = 'AbcCdDeEFHKmoPQrtTuUwxXyYz';
const CURL_LONG_VALUE = ['output', 'url', 'header', 'data', 'user', 'user-agent', 'referer', 'cookie', 'cookie-jar', 'config', 'retry', 'max-time',
  'connect-timeout', 'request', 'proxy', 'cacert', 'cert', 'key', 'output-dir', 'form', 'data-binary', 'data-raw', 'retry-delay', 'retry-max-time', 'write-out'];
const WGET_SHORT_VALUE = 'oaOePTtwQiBUYlAIRDXh';
const WGET_LONG_VALUE = ['output-document', 'output-file', 'directory-prefix', 'header', 'user', 'password', 'tries', 'timeout', 'user-agent', 'post-data', 'load-cookies'];

/** Programs that check a download's content (their presence makes the RUN's download pinned). */
const VERIFIERS = new Set(['sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'md5sum', 'shasum', 'b2sum', 'gpg', 'gpgv', 'cosign', 'minisign']);

function isVerifier(cmd: ShellCommand): boolean {
  const { program, index } = effectiveProgram(cmd);
  if (VERIFIERS.has(program)) return true;
  // `openssl sha512 -r f`, `openssl dgst -sha256 f`
  return program === 'openssl' && /^(dgst|sha\d*|md5)$/.test(cmd.args[index + 1]?.value ?? '');
}

function isUrl(v: string): boolean {
  return /^(https?|ftp):\/\//i.test(v);
}

/** The shell-level view of a wrapped command (`sudo curl ...`): the arguments after the program word. */
function unwrapped(cmd: ShellCommand, index: number): ShellCommand {
  return index < 0 ? cmd : { ...cmd, args: cmd.args.slice(index + 1) };
}

function writesStdoutToFile(cmd: ShellCommand): boolean {
  return cmd.redirects.some((r) => (r.op === '>' || r.op === '>>' || r.op === '>|' || r.op === '&>') && (r.fd === undefined || r.fd === '1') && !!r.target && r.target.value !== '/dev/null');
}

/** The URL a command downloads to a file, if it is such a download (not to stdout, not to a pipe). */
function downloadToFile(cmd: ShellCommand): { program: string; url: ShellWord } | undefined {
  const { program, index } = effectiveProgram(cmd);
  if (program !== 'curl' && program !== 'wget') return undefined;
  const c = unwrapped(cmd, index);
  let toFile: boolean;
  let urls: ShellWord[];
  if (program === 'curl') {
    const { options, operands } = readOptions(c, { shortWithValue: CURL_SHORT_VALUE, longWithValue: CURL_LONG_VALUE });
    const out = options.filter((o) => (o.long ? ['output', 'remote-name', 'remote-name-all'].includes(o.name) : o.name === 'o' || o.name === 'O'));
    toFile = out.some((o) => !((o.name === 'o' || o.name === 'output') && o.value === '-'));
    if (!out.length) toFile = writesStdoutToFile(cmd);
    urls = [...operands, ...options.filter((o) => o.long && o.name === 'url' && o.valueWord).map((o) => o.valueWord!)];
    // `-I`, `--head`: no body.
    if (options.some((o) => (o.long ? o.name === 'head' : o.name === 'I'))) return undefined;
  } else {
    const { options, operands } = readOptions(c, { shortWithValue: WGET_SHORT_VALUE, longWithValue: WGET_LONG_VALUE });
    const doc = options.filter((o) => (o.long ? o.name === 'output-document' : o.name === 'O'));
    toFile = doc.length ? doc.some((o) => o.value !== '-') || writesStdoutToFile(cmd) : true;
    urls = operands;
    if (options.some((o) => o.long && o.name === 'spider')) return undefined;
  }
  if (!toFile) return undefined;
  // Output into a pipe (`curl -o x url | ...` is rare; a pipeline usually consumes stdout) or a `$(...)` substitution.
  if (cmd.pipeline.size > 1 && cmd.pipeline.commands[cmd.pipeline.commands.length - 1] !== cmd && !writesStdoutToFile(cmd)) {
    const explicitFile = program === 'wget' || urls.length > 0;
    if (!explicitFile) return undefined;
  }
  const url = urls.find((w) => isUrl(w.value));
  return url ? { program, url } : undefined;
}

export const runDownloadCache: Rule = {
  id: 'run-download-cache',
  category: 'cache',
  severity: 'info',
  aliases: {},
  title: 'A file downloaded with curl/wget in RUN is cached by the command text only, not by what the URL serves',
  fixable: false,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(ctx.model)) {
      const script = scriptIf(ctx.model, step, ['curl', 'wget']);
      if (!script) continue;
      // A RUN that verifies what it downloaded pins the content: the cache cannot serve a different file.
      if (script.commands.some(isVerifier)) continue;
      for (const cmd of script.commands) {
        const d = downloadToFile(cmd);
        if (!d) continue;
        out.push({
          ruleId: 'run-download-cache',
          message: t('{0} downloads {1} in a RUN, which BuildKit caches by its command text only: a new file at that URL is not fetched while the text stays the same, and the same file is fetched again whenever the step reruns. Prefer "ADD --checksum=sha256:<hash> {1} <dest>": verified, and cached by its content.', d.program, d.url.value),
          range: d.url.range,
          aliases: {},
        });
        break;
      }
    }
    return out;
  },
};
