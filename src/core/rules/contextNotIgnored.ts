import type { Rule } from '../rule';
import type { Finding } from '../types';
import { t } from '../l10n';
import { contextRelative, ContextEntry, selectSource } from '../context';
import { formatBytes } from '../layers';
import { copyArgs } from './words';

/** A kind of context content that should not reach the builder. */
interface Sensitive {
  /** Whether a path component (directory kinds) or a file's base name (file kinds) is this kind. */
  dir: boolean;
  test(name: string): boolean;
}

const SENSITIVE: Sensitive[] = [
  { dir: true, test: (n) => n === '.git' || n === '.hg' || n === '.svn' },
  { dir: true, test: (n) => n === 'node_modules' },
  { dir: true, test: (n) => n === '.aws' || n === '.ssh' || n === '.gnupg' },
  { dir: false, test: (n) => /^\.env($|\.)/.test(n) && !/\.(example|sample|template|dist)$/.test(n) },
  { dir: false, test: (n) => /\.(pem|key|p12|pfx)$/i.test(n) },
  { dir: false, test: (n) => /^id_(rsa|dsa|ecdsa|ed25519)/.test(n) && !n.endsWith('.pub') },
  { dir: false, test: (n) => n === '.npmrc' || n === '.pypirc' || n === '.netrc' },
];

/** The ignore entry that would keep an entry out, or undefined when it is not sensitive. */
export function sensitiveEntry(path: string, type: ContextEntry['type']): string | undefined {
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) {
    const isLast = i === parts.length - 1;
    for (const k of SENSITIVE) {
      if (k.dir && (!isLast || type === 'directory') && k.test(parts[i])) return parts.slice(0, i + 1).join('/');
      if (!k.dir && isLast && type !== 'directory' && k.test(parts[i])) return path;
    }
  }
  return undefined;
}

const WHOLE = new Set(['.', '*']);

/** How many suggested ignore entries the message lists. */
const MAX_LISTED = 8;

export const contextNotIgnored: Rule = {
  id: 'context-not-ignored',
  category: 'security',
  severity: 'warning',
  aliases: {},
  title: 'COPY . / ADD . sends .git, node_modules, .env files or private keys that .dockerignore should exclude',
  fixable: false,
  check({ model, requiredStages, context }) {
    if (!context) return [];
    const out: Finding[] = [];
    for (const stage of requiredStages) {
      for (const step of stage.steps) {
        if (step.keyword !== 'COPY' && step.keyword !== 'ADD') continue;
        if (step.flags.some((f) => f.name.toLowerCase() === 'from')) continue;
        const args = copyArgs(model, step);
        const whole = args.sources.find((s) => !s.heredoc && WHOLE.has(contextRelative(s.value)));
        if (!whole) continue;
        const sel = selectSource(context, whole.value);
        // group what the source takes by the ignore entry that would exclude it
        const groups = new Map<string, { files: number; bytes: number }>();
        for (const e of sel.entries) {
          const key = sensitiveEntry(e.path, e.type);
          if (!key) continue;
          let g = groups.get(key);
          if (!g) groups.set(key, (g = { files: 0, bytes: 0 }));
          if (e.type !== 'directory') {
            g.files++;
            if (e.type === 'file') g.bytes += e.size;
          }
        }
        if (!groups.size) continue;
        const listed = [...groups.entries()].slice(0, MAX_LISTED);
        const more = groups.size - listed.length;
        const parts = listed.map(([k, g]) => t('{0} ({1} files, {2})', k, String(g.files), formatBytes(g.bytes)));
        if (more > 0) parts.push(t('and {0} more', String(more)));
        const entries = listed.map(([k]) => k).join(', ');
        const ignore = context.ignoreFile ? context.ignoreFile.slice(context.ignoreFile.lastIndexOf('/') + 1) : '.dockerignore';
        out.push({
          ruleId: 'context-not-ignored',
          message: context.ignoreFile
            ? t('{0} {1} sends {2} files ({3}) of the build context, including {4}. Add to {5}: {6}.', step.keyword, whole.value, String(sel.fileCount), formatBytes(sel.bytes), parts.join(', '), ignore, entries)
            : t('{0} {1} sends {2} files ({3}) of the build context, including {4}; there is no .dockerignore. Create one with: {5}.', step.keyword, whole.value, String(sel.fileCount), formatBytes(sel.bytes), parts.join(', '), entries),
          range: whole.range,
          aliases: {},
        });
      }
    }
    return out;
  },
};
