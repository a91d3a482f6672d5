import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { contextRelative, inContext } from '../context';
import { hasGlob } from '../dockerignore';
import { isGitSource, isHttpUrl } from './addSources';
import { copyArgs } from './words';

export const copyIgnoredFile: Rule = {
  id: 'copy-ignored-file',
  category: 'correctness',
  severity: 'warning',
  aliases: { buildkit: ['CopyIgnoredFile'] },
  title: 'COPY/ADD source that exists in the build context but .dockerignore excludes',
  fixable: false,
  check({ model, context }) {
    if (!context) return [];
    const out: Finding[] = [];
    const excluded = new Set(context.excludedPaths ?? []);
    const pruned = new Set(context.pruned);
    const ignore = context.ignoreFile ? context.ignoreFile.slice(context.ignoreFile.lastIndexOf('/') + 1) : '.dockerignore';
    for (const stage of model.stages) {
      for (const step of stage.steps) {
        if (step.keyword !== 'COPY' && step.keyword !== 'ADD') continue;
        if (step.flags.some((f) => f.name.toLowerCase() === 'from')) continue;
        for (const src of copyArgs(model, step).sources) {
          if (src.heredoc || src.value.includes('$') || hasGlob(src.value)) continue;
          if (step.keyword === 'ADD' && (isHttpUrl(src.value) || isGitSource(src.value))) continue;
          const rel = contextRelative(src.value);
          if (rel === '.' || inContext(context.matcher, rel)) continue;
          // exists: an excluded file the walk saw, or a directory it pruned or a path inside one (an excluded
          // directory the walk entered for an exception is sent in part: not reported)
          if (context.byPath.has(rel)) continue;
          const parts = rel.split('/');
          let exists = excluded.has(rel);
          for (let i = 1; i <= parts.length && !exists; i++) exists = pruned.has(parts.slice(0, i).join('/'));
          if (!exists) continue;
          out.push({
            ruleId: 'copy-ignored-file',
            message: t('{0} source "{1}" is excluded by {2}: the builder does not receive it, so this step fails or copies nothing. Remove it from {2} (or add an exception "!{3}").', step.keyword, src.value, ignore, rel),
            range: src.range,
            aliases: { buildkit: 'CopyIgnoredFile' },
          });
        }
      }
    }
    return out;
  },
};
