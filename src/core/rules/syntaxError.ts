import type { Rule } from '../rule';
import { t } from '../l10n';

/** Problems the parser model found: reported as findings so they show up like every other diagnostic. */
export const syntaxError: Rule = {
  id: 'syntax-error',
  category: 'correctness',
  severity: 'error',
  aliases: {},
  title: 'The Dockerfile does not parse as Docker would build it (unknown instruction, missing arguments, ...)',
  fixable: false,
  check({ model }) {
    return model.problems.map((p) => ({
      ruleId: 'syntax-error',
      message: t(p.message, ...p.args),
      range: p.range,
      aliases: {},
    }));
  },
};
