import type { Rule } from '../rule';
import type { Aliases, Finding, Fix } from '../types';
import type { Stage, Step } from '../model';
import { t } from '../l10n';

const SHELL_SPECIAL = /[$`\\|&;<>(){}[\]*?~#!\n\r]/;

/**
 * The exec-form words of a shell-form command when the conversion does not change what runs: plain words and
 * simply quoted ones, no variables, globs, redirections, pipes or other shell syntax. A leading `exec` is dropped
 * (the exec form runs the program directly anyway). Undefined when the command needs a shell.
 */
export function execFormOf(command: string): string[] | undefined {
  const words: string[] = [];
  let i = 0;
  const s = command.trim();
  while (i < s.length) {
    while (i < s.length && /[ \t]/.test(s[i])) i++;
    if (i >= s.length) break;
    let word = '';
    while (i < s.length && !/[ \t]/.test(s[i])) {
      const c = s[i];
      if (c === "'") {
        const j = s.indexOf("'", i + 1);
        if (j < 0) return undefined;
        word += s.slice(i + 1, j);
        i = j + 1;
      } else if (c === '"') {
        const j = s.indexOf('"', i + 1);
        if (j < 0) return undefined;
        const inner = s.slice(i + 1, j);
        if (/[$`\\!]/.test(inner)) return undefined;
        word += inner;
        i = j + 1;
      } else {
        if (SHELL_SPECIAL.test(c)) return undefined;
        word += c;
        i++;
      }
    }
    words.push(word);
  }
  if (!words.length) return undefined;
  // `NAME=value cmd` sets a variable for the command: that needs the shell.
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) return undefined;
  if (words[0] === 'exec') words.shift();
  return words.length ? words : undefined;
}

/** `['a', 'b']`: JSON written with single quotes, which Docker does not parse as JSON. */
function singleQuotedJson(text: string): string[] | undefined {
  const m = /^\[\s*('[^'"\\]*'(\s*,\s*'[^'"\\]*')*)?\s*\]$/.exec(text.trim());
  if (!m) return undefined;
  return m[1] ? [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]) : undefined;
}

function chainSteps(stages: Stage[], stage: Stage): Step[] {
  const out: Step[] = [];
  for (let s: Stage | undefined = stage; s; s = s.baseStage !== undefined ? stages[s.baseStage] : undefined) out.push(...s.steps);
  return out;
}

export const jsonArgsRecommended: Rule = {
  id: 'json-args-recommended',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3025'], buildkit: ['JSONArgsRecommended'] },
  title: 'CMD / ENTRYPOINT in shell form: the process runs under /bin/sh -c and does not get stop signals',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      const chain = chainSteps(model.stages, stage);
      for (const step of stage.steps) {
        if ((step.keyword !== 'CMD' && step.keyword !== 'ENTRYPOINT') || step.json || !step.argsRange) continue;
        const text = step.argsText.trim();
        if (!text) continue;
        const aliases: Aliases = { hadolint: 'DL3025' };
        // BuildKit stays quiet once a SHELL instruction chose the shell on purpose.
        if (step.shell.source === 'default') aliases.buildkit = 'JSONArgsRecommended';
        const quoted = text.startsWith('[') ? singleQuotedJson(text) : undefined;
        const range = step.range.start.line === step.range.end.line ? step.range : step.keywordRange;
        let message: string;
        let words: string[] | undefined;
        if (text.startsWith('[')) {
          message = t('{0} {1} is not valid JSON (JSON strings need double quotes), so Docker runs it as a shell command: /bin/sh -c "{1}".', step.keyword, text);
          words = quoted;
        } else {
          message = step.keyword === 'CMD'
            ? t('CMD in shell form runs as /bin/sh -c "{0}": the shell is PID 1 and does not pass SIGTERM on, so docker stop waits and then kills the process. Use the exec form, e.g. CMD ["executable", "arg"].', text)
            : t('ENTRYPOINT in shell form runs as /bin/sh -c "{0}": the shell is PID 1 and does not pass SIGTERM on, and CMD and docker run arguments are ignored. Use the exec form, e.g. ENTRYPOINT ["executable", "arg"].', text);
          words = execFormOf(text);
        }
        const finding: Finding = { ruleId: 'json-args-recommended', message, range, aliases };
        if (words) {
          const hasOther = (kw: string) => chain.some((s) => s.keyword === kw);
          // JSON ENTRYPOINT receives CMD as arguments (shell form ignored them); JSON CMD becomes the arguments of an
          // exec-form ENTRYPOINT instead of `/bin/sh -c ...`.
          const safe = step.keyword === 'CMD' || !hasOther('CMD');
          if (safe) {
            const json = `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
            const fix: Fix = {
              title: t('Convert to exec form {0}', json),
              edits: [{ range: step.argsRange, newText: json }],
              isPreferred: step.keyword === 'ENTRYPOINT' || !hasOther('ENTRYPOINT'),
            };
            finding.fixes = [fix];
          }
        }
        out.push(finding);
      }
    }
    return out;
  },
};
