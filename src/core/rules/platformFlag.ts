import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { variableRefs } from './words';
import { offsetAt } from '../model';

/** Splits `os[/arch[/variant]]` or a bare architecture the way containerd's platforms.Parse reads it. */
function parsePlatform(p: string): { os: string; arch: string } | undefined {
  const parts = p.toLowerCase().split('/');
  if (parts.some((x) => !/^[a-z0-9_.-]+$/.test(x)) || parts.length > 3) return undefined;
  const KNOWN_OS = ['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'solaris', 'illumos', 'aix', 'plan9', 'android', 'ios', 'js', 'wasip1', 'dragonfly'];
  if (parts.length === 1) return KNOWN_OS.includes(parts[0]) ? { os: parts[0], arch: '' } : { os: 'linux', arch: parts[0] };
  return { os: parts[0], arch: parts[1] };
}

export const platformFlag: Rule = {
  id: 'platform-flag',
  category: 'correctness',
  severity: 'warning',
  aliases: { hadolint: ['DL3029', 'DL3065'], buildkit: ['FromPlatformFlagConstDisallowed', 'RedundantTargetPlatform'] },
  title: 'FROM --platform with a constant platform (the image builds for one platform only) or with the redundant $TARGETPLATFORM',
  fixable: true,
  check({ model }) {
    const out: Finding[] = [];
    for (const stage of model.stages) {
      const flag = stage.from.flags.find((f) => f.name.toLowerCase() === 'platform');
      if (!flag || flag.value === null || flag.value === '') continue;
      const value = flag.value;
      const range = flag.valueRange ?? flag.range;
      if (/^\$(TARGETPLATFORM|\{TARGETPLATFORM\})$/.test(value)) {
        // Delete the flag and the blank after it.
        const start = flag.range.start;
        const endOff = offsetAt(model, flag.range.end.line, flag.range.end.character);
        let e = endOff;
        while (model.text[e] === ' ' || model.text[e] === '\t') e++;
        const end = { line: flag.range.end.line, character: flag.range.end.character + (e - endOff) };
        out.push({
          ruleId: 'platform-flag',
          message: t('FROM --platform={0} is redundant: a stage is built for the target platform by default.', value),
          range,
          aliases: { hadolint: 'DL3065', buildkit: 'RedundantTargetPlatform' },
          severity: 'info',
          fixes: flag.range.start.line === flag.range.end.line ? [{ title: t('Remove --platform={0}', value), edits: [{ range: { start, end }, newText: '' }], isPreferred: true }] : undefined,
        });
        continue;
      }
      const fOff = offsetAt(model, flag.range.start.line, flag.range.start.character);
      const fEnd = offsetAt(model, flag.range.end.line, flag.range.end.character);
      if (value.includes('$') && variableRefs(model, fOff, fEnd).length) continue;
      const p = parsePlatform(value);
      if (!p) continue;
      // BuildKit accepts a constant platform in a stage whose name says which platform it is for.
      const name = (stage.name ?? '').toLowerCase();
      if (name && ((p.os && name.includes(p.os)) || (p.arch && name.includes(p.arch)))) continue;
      out.push({
        ruleId: 'platform-flag',
        message: t('FROM --platform={0} pins this stage to one platform: building for any other target (docker build --platform, multi-platform builds) still produces {0} binaries, or fails. Use $BUILDPLATFORM for build tools, or leave the flag out.', value),
        range,
        aliases: { hadolint: 'DL3029', buildkit: 'FromPlatformFlagConstDisallowed' },
      });
    }
    return out;
  },
};
