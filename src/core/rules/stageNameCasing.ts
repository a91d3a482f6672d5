import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';

export const stageNameCasing: Rule = {
  id: 'stage-name-casing',
  category: 'style',
  severity: 'info',
  aliases: { buildkit: ['StageNameCasing'] },
  title: 'Stage names should be lowercase (references to them are case-insensitive)',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      if (!stage.name || !stage.nameRange || stage.name === stage.name.toLowerCase()) continue;
      out.push({
        ruleId: 'stage-name-casing',
        message: t('Stage name "{0}" should be lowercase: Docker matches stage names case-insensitively, so mixed case only misleads.', stage.name),
        range: stage.nameRange,
        aliases: { buildkit: 'StageNameCasing' },
        fixes: [{ title: t('Rename to "{0}"', stage.name.toLowerCase()), edits: [{ range: stage.nameRange, newText: stage.name.toLowerCase() }], isPreferred: true }],
      });
    }
    return out;
  },
};
