import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { exposeSpecs, exposeSteps } from './exposePorts';
import { rangeAt } from './words';

export const exposeProtoCasing: Rule = {
  id: 'expose-proto-casing',
  category: 'style',
  severity: 'info',
  aliases: { buildkit: ['ExposeProtoCasing'] },
  title: 'The protocol in EXPOSE should be lowercase (80/tcp, not 80/TCP)',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of exposeSteps(model)) {
      for (const spec of exposeSpecs(model, step)) {
        const w = spec.word;
        // The protocol as written: after the last "/" of the word, before a closing quote.
        const m = /\/([A-Za-z]+)(["']?)$/.exec(w.raw);
        if (!m || m[1] === m[1].toLowerCase()) continue;
        const linear = w.end - w.start === w.raw.length;
        const protoStart = w.start + w.raw.length - m[0].length + 1;
        const range = linear ? rangeAt(model, protoStart, protoStart + m[1].length) : w.range;
        out.push({
          ruleId: 'expose-proto-casing',
          message: t('Protocol "{0}" in EXPOSE should be lowercase: "{1}".', m[1], m[1].toLowerCase()),
          range,
          aliases: { buildkit: 'ExposeProtoCasing' },
          fixes: linear ? [{ title: t('Change to "{0}"', m[1].toLowerCase()), edits: [{ range, newText: m[1].toLowerCase() }], isPreferred: true }] : undefined,
        });
      }
    }
    return out;
  },
};
