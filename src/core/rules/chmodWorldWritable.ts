import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { readOptions, runSteps, scriptIf } from './runScripts';

/** Whether a chmod mode gives write permission to others; sticky-bit modes (1777, +t) are the /tmp idiom, not a hole. */
export function worldWritableMode(mode: string): boolean {
  if (/^[0-7]{1,4}$/.test(mode)) {
    const digits = mode.padStart(4, '0');
    const others = Number(digits[3]);
    const special = Number(digits[0]);
    return (others & 2) !== 0 && (special & 1) === 0;
  }
  let writable = false;
  let sticky = false;
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (!m) return false;
    const who = m[1];
    for (const op of m[2].match(/[-+=][rwxXstugo]*/g) ?? []) {
      if (op[0] === '-') continue;
      if (op.includes('t')) sticky = true;
      // Without a who, + and = apply the umask (usually 022), which keeps others from writing.
      if (op.includes('w') && (who.includes('o') || who.includes('a'))) writable = true;
    }
  }
  return writable && !sticky;
}

export const chmodWorldWritable: Rule = {
  id: 'chmod-world-writable',
  category: 'security',
  severity: 'warning',
  aliases: {},
  title: 'chmod makes files writable by every user (777, o+w, a+w): any process in the container can change them',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of runSteps(model)) {
      const script = scriptIf(model, step, ['chmod']);
      if (!script) continue;
      for (const cmd of script.commands) {
        if (cmd.program !== 'chmod' || !cmd.name) continue;
        // `chmod -w file` is a mode, not an option: read options only up to the mode.
        const { options, operands } = readOptions(cmd, { longWithValue: ['reference'] });
        const modeWord = operands[0];
        const dashMode = cmd.args.find((a) => /^-[rwxXst]+$/.test(a.value));
        if (dashMode && (!modeWord || dashMode.start < modeWord.start)) continue; // a removal such as -w
        if (!modeWord || modeWord.hasExpansion || !worldWritableMode(modeWord.value)) continue;
        const recursive = options.some((o) => (o.long ? o.name === 'recursive' : o.name === 'R'));
        const finding: Finding = {
          ruleId: 'chmod-world-writable',
          message: recursive
            ? t('chmod -R {0} makes everything under the path writable by any user in the container. Give write access to the owner (or a group) instead: chown the files to the user that needs them.', modeWord.value)
            : t('chmod {0} makes the path writable by any user in the container. Give write access to the owner (or a group) instead: chown the files to the user that needs them.', modeWord.value),
          range: modeWord.range,
          aliases: {},
        };
        if (/^[0-7]{1,4}$/.test(modeWord.value) && !modeWord.quoted) {
          const d = modeWord.value;
          const fixed = d.slice(0, -1) + String(Number(d[d.length - 1]) & ~2);
          finding.fixes = [{ title: t('Use {0} (no write permission for others)', fixed), edits: [{ range: modeWord.range, newText: fixed }] }];
        }
        out.push(finding);
      }
    }
    return out;
  },
};
