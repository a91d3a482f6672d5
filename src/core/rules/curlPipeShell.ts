import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { isShellProgram, ShellCommand } from '../shell';
import { effectiveProgram, readOptions, runSteps, scriptIf } from './runScripts';

/** Programs that run what they read (a script on stdin, or the text they are given). */
const INTERPRETERS = new Set(['python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php', 'pwsh', 'powershell']);
const CURL_SHORT_VALUE = 'AbcCdDeEFHKmoPQrtTuUwxXyYz';
const WGET_SHORT_VALUE = 'oaOePTtwQiBUYlAIRDXh';

function isRunner(program: string): boolean {
  return isShellProgram(program) || INTERPRETERS.has(program) || /^python\d(\.\d+)?$/.test(program);
}

/** True when the download goes to stdout: curl without -o/-O (or `-o -`), wget with `-O -`. */
function downloadsToStdout(cmd: ShellCommand, program: string): boolean {
  if (program === 'curl') {
    const { options } = readOptions(cmd, { shortWithValue: CURL_SHORT_VALUE, longWithValue: ['output'] });
    const out = options.filter((o) => (o.long ? o.name === 'output' || o.name === 'remote-name' || o.name === 'remote-name-all' : o.name === 'o' || o.name === 'O'));
    return out.every((o) => (o.name === 'o' || o.name === 'output') && o.value === '-');
  }
  if (program === 'wget') {
    const { options } = readOptions(cmd, { shortWithValue: WGET_SHORT_VALUE, longWithValue: ['output-document'] });
    return options.some((o) => (o.long ? o.name === 'output-document' : o.name === 'O') && o.value === '-');
  }
  return false;
}

function downloader(cmd: ShellCommand): string | undefined {
  const { program } = effectiveProgram(cmd);
  return (program === 'curl' || program === 'wget') && downloadsToStdout(cmd, program) ? program : undefined;
}

export const curlPipeShell: Rule = {
  id: 'curl-pipe-shell',
  category: 'security',
  severity: 'warning',
  aliases: {},
  title: 'A script downloaded with curl/wget is run straight away (curl ... | sh, sh -c "$(curl ...)"): nothing checks what was downloaded',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of runSteps(model)) {
      const script = scriptIf(model, step, ['curl', 'wget']);
      if (!script) continue;
      const reported = new Set<ShellCommand>();
      const report = (dl: ShellCommand, runner: ShellCommand, tool: string, runnerName: string, range = dl.range) => {
        if (reported.has(runner)) return;
        reported.add(runner);
        out.push({
          ruleId: 'curl-pipe-shell',
          message: t('The output of {0} is run by {1} without being checked: a compromised or spoofed server (or a truncated download) runs its code in your build. Download to a file, verify its checksum or signature, then run it.', tool, runnerName),
          range,
          aliases: {},
        });
      };
      // curl ... | sh
      for (const p of script.pipelines) {
        if (p.commands.length < 2) continue;
        for (let i = 0; i < p.commands.length; i++) {
          const tool = downloader(p.commands[i]);
          if (!tool) continue;
          const runner = p.commands.slice(i + 1).find((c) => isRunner(effectiveProgram(c).program));
          if (runner) report(p.commands[i], runner, tool, effectiveProgram(runner).program, { start: p.commands[i].range.start, end: runner.range.end });
        }
      }
      // sh -c "$(curl ...)", bash <(curl ...), eval "$(wget -O- ...)", . <(curl ...)
      for (const c of script.commands) {
        const enclosing = c.enclosing;
        const kind = c.nesting[c.nesting.length - 1];
        if (!enclosing || (kind !== 'substitution' && kind !== 'process-substitution')) continue;
        const tool = downloader(c);
        if (!tool) continue;
        const prog = effectiveProgram(enclosing).program;
        if (isRunner(prog) || prog === 'eval' || prog === 'source' || prog === '.') report(c, enclosing, tool, prog, enclosing.range);
      }
    }
    return out;
  },
};
