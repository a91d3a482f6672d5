import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { expandedArgs } from './util';
import { unquote } from '../variables';

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:([\\/]|$)/.test(p) || p.startsWith('\\');
}

export const relativeWorkdir: Rule = {
  id: 'relative-workdir',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3000'], buildkit: ['WorkdirRelativePath'], trivy: ['DS-0009'] },
  title: 'WORKDIR with a relative path depends on the WORKDIR before it (and the base image)',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      // BuildKit's WorkdirRelativePath only fires while no WORKDIR has been set in the stage chain (the base image's
      // WORKDIR is unknown to it); a WORKDIR inherited through FROM <stage> counts as set.
      let absoluteSeen = stage.from.workdir.source !== 'default';
      for (const step of stage.steps) {
        if (step.keyword !== 'WORKDIR' || !step.argsRange) continue;
        const arg = expandedArgs(model, step);
        const path = unquote(arg.value);
        if (!arg.known || !path || isAbsolutePath(path)) {
          if (arg.known && isAbsolutePath(path)) absoluteSeen = true;
          continue;
        }
        // hadolint and Trivy skip paths that start with a variable.
        const written = step.argsText.trim().replace(/^["']/, '');
        const aliases: Aliases = written.startsWith('$') ? {} : { hadolint: 'DL3000', trivy: 'DS-0009' };
        if (!absoluteSeen && step.workdir.source === 'default') aliases.buildkit = 'WorkdirRelativePath';
        const resolved = step.workdir.value.endsWith('/') ? step.workdir.value + path : `${step.workdir.value}/${path}`;
        const finding: Finding = {
          ruleId: 'relative-workdir',
          message: step.workdir.source === 'default'
            ? t('WORKDIR "{0}" is relative: it resolves against the base image\'s WORKDIR ("/" unless the image sets one), which a new base image can move. Use an absolute path.', path)
            : t('WORKDIR "{0}" is relative: it resolves against the previous WORKDIR ("{1}" here). Use an absolute path.', path, step.workdir.value),
          range: step.argsRange,
          aliases,
        };
        if (!step.argsText.includes('$')) {
          const abs = normalize(resolved);
          // Preferred only when the directory it resolves against is known (not the base image's default).
          finding.fixes = [{ title: t('Use the absolute path "{0}"', abs), edits: [{ range: step.argsRange, newText: abs }], isPreferred: step.workdir.source !== 'default' }];
        }
        out.push(finding);
      }
    }
    return out;
  },
};

function normalize(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}
