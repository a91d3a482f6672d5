import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { expand } from '../variables';
import { copyArgs, dequote } from './words';
import { isAbsolutePath } from './relativeWorkdir';
import { resolvePath } from '../model';

export const copyRelativeDest: Rule = {
  id: 'copy-relative-dest',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3045'] },
  title: 'COPY / ADD to a relative destination while no WORKDIR is set: it lands wherever the base image\'s WORKDIR points',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      for (const step of stage.steps) {
        if (step.keyword !== 'COPY' && step.keyword !== 'ADD') continue;
        // A WORKDIR earlier in this stage or in the stage it is built FROM fixes the directory.
        if (step.workdir.source !== 'default') continue;
        const args = copyArgs(model, step);
        const dest = args.dest;
        if (!dest || !args.sources.length) continue;
        const ex = expand(args.json ? dest.value : dest.raw, step.scope, model.escapeChar);
        if (ex.unresolved.length) continue;
        const value = args.json ? ex.value : dequote(ex.value, '\u0000');
        if (!value || isAbsolutePath(value)) continue;
        const aliases: Aliases = {};
        // hadolint checks COPY only, and accepts any destination that starts with a variable.
        if (step.keyword === 'COPY' && !dest.value.startsWith('$')) aliases.hadolint = 'DL3045';
        const resolved = resolvePath('/', value);
        const absolute = resolved === '/' || !value.endsWith('/') ? resolved : resolved + '/';
        const finding: Finding = {
          ruleId: 'copy-relative-dest',
          message: t('{0} to the relative path "{1}" before any WORKDIR: it is resolved against the base image\'s WORKDIR ("/" unless the image sets one), which a new base image can change. Set WORKDIR first or use an absolute path.', step.keyword, value),
          range: dest.range,
          aliases,
        };
        if (!dest.raw.includes('$') && !args.json && absolute !== '/' && !/\s/.test(value)) {
          finding.fixes = [{ title: t('Use the absolute path "{0}"', absolute), edits: [{ range: dest.range, newText: absolute }], isPreferred: false }];
        }
        out.push(finding);
      }
    }
    return out;
  },
};
