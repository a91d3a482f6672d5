import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { addSources } from './addSources';

export const addUrlWithoutChecksum: Rule = {
  id: 'add-url-without-checksum',
  category: 'security',
  severity: 'warning',
  aliases: {},
  title: 'ADD <url> without --checksum: the download is not verified and its cache entry must be re-checked every build',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      for (const step of stage.steps) {
        if (step.keyword !== 'ADD') continue;
        if (step.flags.some((f) => f.name.toLowerCase() === 'checksum')) continue;
        for (const s of addSources(model, step)) {
          if (s.kind !== 'url') continue;
          out.push({
            ruleId: 'add-url-without-checksum',
            message: t('ADD {0} has no --checksum: whatever the server returns goes into the image unverified, and BuildKit has to ask the server on every build whether the cached download is still current. Add --checksum=sha256:<digest> (Dockerfile syntax 1.6 or later).', s.value ?? s.arg.value),
            range: s.arg.range,
            aliases: {},
          });
        }
      }
    }
    return out;
  },
};
