import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { expand } from '../variables';
import { insertAfterWord, readOptions, runSteps, scriptIf } from './runScripts';

/** useradd's short options that take a value. */
const USERADD_SHORT_VALUE = 'bcdefgGkKpsuUZ';
const USERADD_LONG_VALUE = ['base-dir', 'comment', 'home-dir', 'expiredate', 'inactive', 'gid', 'groups', 'skel', 'key', 'password', 'shell', 'uid', 'selinux-user', 'root', 'prefix'];

export const useraddWithoutL: Rule = {
  id: 'useradd-without-l',
  category: 'size',
  severity: 'warning',
  aliases: { hadolint: ['DL3046'] },
  title: 'useradd with a high UID and without -l: the sparse lastlog/faillog files can add gigabytes to the layer',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of runSteps(model)) {
      const script = scriptIf(model, step, ['useradd']);
      if (!script) continue;
      for (const cmd of script.commands) {
        if (cmd.program !== 'useradd' || !cmd.name) continue;
        const { options } = readOptions(cmd, { shortWithValue: USERADD_SHORT_VALUE, longWithValue: USERADD_LONG_VALUE });
        if (options.some((o) => (o.long ? o.name === 'no-log-init' : o.name === 'l'))) continue;
        const uidOpt = options.find((o) => (o.long ? o.name === 'uid' : o.name === 'u'));
        if (!uidOpt || uidOpt.value === undefined) continue;
        // The shell expands $UID-style values from ARG/ENV; use the value when the Dockerfile knows it.
        const word = uidOpt.valueWord ?? uidOpt.word;
        let uid = uidOpt.value;
        if (word.hasExpansion) {
          const ex = expand(uid, step.scope, '\\');
          if (ex.unresolved.length) continue;
          uid = ex.value.replace(/^["']|["']$/g, '');
        }
        if (!/^\d+$/.test(uid) || uid.length <= 5) continue;
        out.push({
          ruleId: 'useradd-without-l',
          message: t('useradd -u {0} without -l (--no-log-init): the user\'s entry in the sparse /var/log/lastlog and faillog files is written at an offset of about {0} records, and the layer stores those files in full. Add -l.', uid),
          range: cmd.name.range,
          aliases: { hadolint: 'DL3046' },
          fixes: [{ title: t('Add -l (--no-log-init)'), edits: [insertAfterWord(cmd.name, ' -l')], isPreferred: true }],
        });
      }
    }
    return out;
  },
};
