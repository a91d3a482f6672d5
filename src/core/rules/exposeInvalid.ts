import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { exposeSpecs, exposeSteps } from './exposePorts';

const PROTOCOLS = ['tcp', 'udp', 'sctp'];

export const exposeInvalid: Rule = {
  id: 'expose-invalid',
  category: 'correctness',
  severity: 'error',
  aliases: { hadolint: ['DL3011'], buildkit: ['ExposeInvalidFormat'], trivy: ['DS-0008'] },
  title: 'EXPOSE with a port outside 0-65535, a bad range or protocol, or an IP address / host port mapping',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const step of exposeSteps(model)) {
      for (const spec of exposeSpecs(model, step)) {
        if (spec.value === undefined) continue;
        const range = spec.word.range;
        if (spec.malformed === 'mapping') {
          // `EXPOSE 8080:80` or `EXPOSE 127.0.0.1:80:80`: the container port is the last part.
          const last = spec.value.split(':').pop() ?? '';
          const finding: Finding = {
            ruleId: 'expose-invalid',
            message: t('EXPOSE {0}: an IP address or host port mapping does not belong in EXPOSE, which only documents the container port; publish ports with docker run -p. BuildKit warns today and a future release will reject it.', spec.value),
            range,
            aliases: { buildkit: 'ExposeInvalidFormat' },
            severity: 'warning',
          };
          if (/^\d+(-\d+)?(\/[A-Za-z]+)?$/.test(last) && !spec.word.raw.includes('$') && spec.word.end - spec.word.start === spec.word.raw.length) {
            finding.fixes = [{ title: t('Keep only the container port "{0}"', last), edits: [{ range, newText: last }], isPreferred: true }];
          }
          out.push(finding);
          continue;
        }
        if (spec.malformed === 'not-a-number') {
          out.push({
            ruleId: 'expose-invalid',
            message: t('EXPOSE {0}: a port must be a number or a range such as 8000-8010, optionally followed by /tcp, /udp or /sctp; Docker refuses to build this.', spec.value),
            range,
            aliases: {},
          });
          continue;
        }
        const from = spec.from as number;
        const to = spec.to as number;
        if (from > 65535 || to > 65535) {
          const aliases: Aliases = { hadolint: 'DL3011' };
          // Trivy converts the part before "/" to a number, which a range is not.
          if (from === to && /^\d+(\/|$)/.test(spec.written)) aliases.trivy = 'DS-0008';
          out.push({
            ruleId: 'expose-invalid',
            message: t('EXPOSE {0}: ports range from 0 to 65535.', spec.value),
            range,
            aliases,
          });
          continue;
        }
        if (from > to) {
          out.push({
            ruleId: 'expose-invalid',
            message: t('EXPOSE {0}: the range starts after it ends; write it as {1}-{2}.', spec.value, to, from),
            range,
            aliases: {},
          });
          continue;
        }
        if (spec.proto !== undefined && !PROTOCOLS.includes(spec.proto.toLowerCase())) {
          out.push({
            ruleId: 'expose-invalid',
            message: t('EXPOSE {0}: "{1}" is not a protocol Docker knows; use tcp, udp or sctp.', spec.value, spec.proto),
            range,
            aliases: {},
          });
        }
      }
    }
    return out;
  },
};
