import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { addSources, hadolintWouldFlag } from './addSources';
import { stepWords } from './words';

/** Flags that only ADD understands: with one of them, COPY is not a drop-in replacement. */
const ADD_ONLY_FLAGS = ['checksum', 'keep-git-dir', 'unpack'];

export const addInsteadOfCopy: Rule = {
  id: 'add-instead-of-copy',
  category: 'security',
  severity: 'warning',
  aliases: { hadolint: ['DL3020'], trivy: ['DS-0005'] },
  title: 'ADD of local files that are not archives: use COPY, which does only that',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      for (const step of stage.steps) {
        if (step.keyword !== 'ADD') continue;
        const sources = addSources(model, step);
        const plain = sources.filter((s) => s.kind === 'local' || s.kind === 'heredoc');
        if (!plain.length) continue;
        const aliases: Aliases = {};
        if (sources.some((s) => !s.arg.heredoc && hadolintWouldFlag(s.arg.value))) aliases.hadolint = 'DL3020';
        // Trivy looks for ".tar", "http://", "https://" or "git@" anywhere in the arguments as written.
        const written = stepWords(model, step).map((w) => w.raw).join(' ');
        if (!['.tar', 'http://', 'https://', 'git@'].some((s) => written.includes(s))) aliases.trivy = 'DS-0005';
        const names = plain.map((s) => s.arg.heredoc ? s.arg.raw : s.value ?? s.arg.value).join(', ');
        const finding: Finding = {
          ruleId: 'add-instead-of-copy',
          message: plain.length === sources.length
            ? t('ADD {0}: for local files and folders use COPY. ADD also downloads URLs and unpacks tar archives, so a reader (and a later change to the source name) cannot tell which one happens.', names)
            : t('ADD {0}: these sources are plain local files; copy them with a separate COPY and keep ADD for the URL or archive.', names),
          range: step.keywordRange,
          aliases,
        };
        const addOnly = step.flags.some((f) => ADD_ONLY_FLAGS.includes(f.name.toLowerCase()));
        if (plain.length === sources.length && !addOnly) {
          const copy = step.written === step.written.toLowerCase() ? 'copy' : 'COPY';
          finding.fixes = [{ title: t('Replace ADD with COPY'), edits: [{ range: step.keywordRange, newText: copy }], isPreferred: true }];
        }
        out.push(finding);
      }
    }
    return out;
  },
};
