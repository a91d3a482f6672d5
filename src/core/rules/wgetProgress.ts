import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { insertAfterWord, readOptions, runSteps, scriptIf } from './runScripts';

/** wget's short options that take a value. */
const WGET_SHORT_VALUE = 'oaOePTtwQiBUYlAIRDXh';
const WGET_LONG_VALUE = ['output-file', 'append-output', 'output-document', 'progress', 'execute', 'tries', 'timeout', 'wait', 'user-agent', 'header', 'directory-prefix', 'input-file'];

export const wgetProgress: Rule = {
  id: 'wget-progress',
  category: 'style',
  severity: 'info',
  aliases: { hadolint: ['DL3047'] },
  title: 'wget without --progress (or -q / -nv): its progress bar floods the build log',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of runSteps(model)) {
      const script = scriptIf(model, step, ['wget']);
      if (!script) continue;
      for (const cmd of script.commands) {
        if (cmd.program !== 'wget' || !cmd.name) continue;
        const { options } = readOptions(cmd, { shortWithValue: WGET_SHORT_VALUE, longWithValue: WGET_LONG_VALUE });
        const quiet = options.some((o) => (o.long
          ? ['progress', 'quiet', 'no-verbose', 'output-file', 'append-output'].includes(o.name)
          : 'qoa'.includes(o.name))) || cmd.args.some((a) => a.value === '-nv');
        if (quiet) continue;
        out.push({
          ruleId: 'wget-progress',
          message: t('wget without --progress, -q or -nv prints a progress bar that fills the build log; use "wget --progress=dot:giga" (or -q / -nv).'),
          range: cmd.name.range,
          aliases: { hadolint: 'DL3047' },
          fixes: [{ title: t('Add --progress=dot:giga'), edits: [insertAfterWord(cmd.name, ' --progress=dot:giga')], isPreferred: true }],
        });
      }
    }
    return out;
  },
};
