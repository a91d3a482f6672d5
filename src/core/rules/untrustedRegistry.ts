import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { DEFAULT_REGISTRY, parseImageRef } from '../imageRef';
import { expand } from '../variables';
import type { Range } from '../types';
import { looksLikeImage } from './copyFromUnknownStage';

const DOCKER_HUB = [DEFAULT_REGISTRY, 'hub.docker.com', 'index.docker.io', 'registry-1.docker.io'];

/** Whether a registry is in the list; `*` in an entry matches any characters (`*.gcr.io`). Case-insensitive. */
export function registryAllowed(registry: string, allowed: readonly string[]): boolean {
  const r = registry.toLowerCase();
  return allowed.some((a) => {
    const entry = a.toLowerCase();
    if (DOCKER_HUB.includes(r) && DOCKER_HUB.includes(entry)) return true;
    if (!entry.includes('*')) return entry === r;
    const re = new RegExp(`^${entry.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return re.test(r);
  });
}

export const untrustedRegistry: Rule = {
  id: 'untrusted-registry',
  category: 'security',
  severity: 'error',
  aliases: { hadolint: ['DL3026'] },
  title: 'An image comes from a registry that is not in the configured trusted registries (only with trustedRegistries set)',
  fixable: false,
  check({ model, options }) {
    const allowed = options.trustedRegistries;
    if (!allowed || !allowed.length) return [];
    const out: Finding[] = [];
    const report = (ref: string, range: Range, where: string) => {
      const img = parseImageRef(ref);
      if (!img || registryAllowed(img.registry, allowed)) return;
      out.push({
        ruleId: 'untrusted-registry',
        message: t('{0} {1} comes from registry {2}, which is not in the trusted registries ({3}).', where, ref, img.registry, allowed.join(', ')),
        range,
        aliases: { hadolint: 'DL3026' },
      });
    };
    for (const stage of model.stages) {
      if (stage.baseKind === 'image' && stage.image && stage.baseUnresolved.length === 0) {
        report(stage.base, stage.baseRange ?? stage.from.range, 'FROM');
      }
      for (const e of stage.edges) {
        if (e.kind === 'from' || e.stage !== undefined) continue;
        const ex = expand(e.ref, model.steps[e.step].scope, model.escapeChar);
        if (ex.unresolved.length || !looksLikeImage(ex.value)) continue;
        report(ex.value, e.range, e.kind === 'copy-from' ? 'COPY --from' : 'RUN --mount from');
      }
    }
    return out;
  },
};
