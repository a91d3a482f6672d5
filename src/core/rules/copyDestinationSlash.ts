import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { expand } from '../variables';
import { copyArgs, dequote, positionAt } from './words';

export const copyDestinationSlash: Rule = {
  id: 'copy-destination-slash',
  category: 'correctness',
  severity: 'error',
  aliases: { hadolint: ['DL3021'], trivy: ['DS-0011'] },
  title: 'COPY / ADD with several sources needs a destination directory ending in /',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      for (const step of stage.steps) {
        if (step.keyword !== 'COPY' && step.keyword !== 'ADD') continue;
        const args = copyArgs(model, step);
        const dest = args.dest;
        if (!dest || args.sources.length < 2) continue;
        const ex = expand(args.json ? dest.value : dest.raw, step.scope, model.escapeChar);
        if (ex.unresolved.length) continue;
        const value = args.json ? ex.value : dequote(ex.value, '\u0000');
        // A Windows destination ending in "\\" is a directory too.
        if (value.endsWith('/') || value.endsWith('\\')) continue;
        // BuildKit treats "." and ".." as directories; the classic builder, hadolint and Trivy want the slash.
        const dotDir = value === '.' || value === '..' || value.endsWith('/.') || value.endsWith('/..');
        const aliases: Aliases = {};
        if (step.keyword === 'COPY') {
          if (!dest.value.endsWith('/')) aliases.hadolint = 'DL3021';
          if (!dest.raw.endsWith('/')) aliases.trivy = 'DS-0011';
        }
        const at = positionAt(model, dest.contentEnd);
        out.push({
          ruleId: 'copy-destination-slash',
          message: dotDir
            ? t('{0} copies {1} sources into "{2}": BuildKit accepts it, but the classic builder requires a destination ending in "/" when there are several sources. Write "{2}/".', step.keyword, args.sources.length, value)
            : t('{0} copies {1} sources into "{2}", which does not end in "/": Docker refuses to copy several sources to a destination that is not a directory. Write "{2}/".', step.keyword, args.sources.length, value),
          range: dest.range,
          aliases,
          severity: dotDir ? 'info' : undefined,
          fixes: [{ title: t('Add "/" to the destination'), edits: [{ range: { start: at, end: at }, newText: '/' }], isPreferred: true }],
        });
      }
    }
    return out;
  },
};
