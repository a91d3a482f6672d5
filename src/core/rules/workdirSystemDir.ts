import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { resolvePath } from '../model';
import { expand, unquote } from '../variables';

/** Kernel and boot file systems: the runtime mounts over them (/proc, /sys, /dev) or they hold the host's boot files. */
const SYSTEM_DIRS = ['/proc', '/sys', '/dev', '/boot', '/initrd', '/lost+found'];
/** Trivy's list (DS-0030), compared with the argument as written. */
const TRIVY_DIRS = ['/proc/', '/boot/', '/dev/', '/initrd/', '/lost+found/'];

export const workdirSystemDir: Rule = {
  id: 'workdir-system-dir',
  category: 'security',
  severity: 'warning',
  aliases: { trivy: ['DS-0030'] },
  title: 'WORKDIR inside /proc, /sys, /dev, /boot or another system directory',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      for (const step of stage.steps) {
        if (step.keyword !== 'WORKDIR' || !step.argsRange) continue;
        const ex = expand(step.argsText.trim(), step.scope, model.escapeChar);
        if (ex.unresolved.length) continue;
        const path = unquote(ex.value);
        if (!path) continue;
        const resolved = resolvePath(step.workdir.value, path);
        const hit = SYSTEM_DIRS.find((d) => resolved === d || resolved.startsWith(d + '/'));
        if (!hit) continue;
        const written = step.argsText.trim().replace(/^"|"$/g, '');
        out.push({
          ruleId: 'workdir-system-dir',
          message: t('WORKDIR {0} is inside {1}: the container runtime mounts its own file system there (or it holds the host\'s boot files), so what the build puts there is hidden or misplaced, and processes working there touch kernel interfaces. Use a directory such as /app.', resolved, hit),
          range: step.argsRange,
          aliases: TRIVY_DIRS.some((d) => written.startsWith(d)) ? { trivy: 'DS-0030' } : {},
        });
      }
    }
    return out;
  },
};
