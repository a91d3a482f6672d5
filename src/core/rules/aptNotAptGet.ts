import type { Rule } from '../rule';
import type { Finding, Fix } from '../types';
import { t } from '../l10n';
import { allStages, asManagerCall, mayMention, runCommands, runSteps } from './packages';

/** `apt` subcommands with the same name and meaning in apt-get or apt-cache. */
const APT_GET = new Set(['update', 'upgrade', 'install', 'reinstall', 'remove', 'purge', 'autoremove', 'dist-upgrade', 'clean', 'autoclean', 'source', 'build-dep', 'download', 'satisfy']);
const APT_CACHE = new Set(['search', 'show', 'showsrc', 'policy', 'depends', 'rdepends', 'madison', 'showpkg', 'pkgnames']);

export const aptNotAptGet: Rule = {
  id: 'apt-not-apt-get',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3027'] },
  title: 'apt is the interactive front end; scripts should call apt-get or apt-cache, whose interface is stable',
  fixable: true,
  check(ctx) {
    const out: Finding[] = [];
    for (const step of runSteps(allStages(ctx))) {
      if (!mayMention(step, ['apt'])) continue;
      for (const c of runCommands(ctx.model, step)) {
        if (c.name !== 'apt' && c.name !== '/usr/bin/apt') continue;
        const call = asManagerCall(c);
        const sub = call?.sub ?? '';
        const replacement = APT_GET.has(sub) ? 'apt-get' : APT_CACHE.has(sub) ? 'apt-cache' : undefined;
        const fixes: Fix[] | undefined = replacement
          ? [{ title: t('Use {0}', replacement), edits: [{ range: c.nameWord.range, newText: c.name === 'apt' ? replacement : `/usr/bin/${replacement}` }], isPreferred: true }]
          : undefined;
        out.push({
          ruleId: 'apt-not-apt-get',
          message: replacement
            ? t('apt is meant for people at a terminal: its output and behaviour may change between releases, and it warns that it "does not have a stable CLI interface". Use {0} in scripts.', replacement)
            : t('apt is meant for people at a terminal: its output and behaviour may change between releases, and it warns that it "does not have a stable CLI interface". Use apt-get or apt-cache in scripts.'),
          range: c.nameWord.range,
          aliases: { hadolint: 'DL3027' },
          fixes,
        });
      }
    }
    return out;
  },
};
