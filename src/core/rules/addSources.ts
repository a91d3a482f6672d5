/** What each source of an ADD is: a URL, a Git repository, a local archive, a heredoc or a plain local path. */
import type { DockerfileModel, Step } from '../model';
import { expand } from '../variables';
import { copyArgs, dequote, PathArg } from './words';

export type AddSourceKind = 'url' | 'git' | 'archive' | 'local' | 'heredoc' | 'unknown';

export interface AddSource {
  arg: PathArg;
  /** Expanded value (undefined when a variable has no known value). */
  value?: string;
  kind: AddSourceKind;
}

/** Extensions ADD unpacks (tar, optionally gzip/bzip2/xz/zstd compressed); hadolint's list plus zstd. */
const ARCHIVE_EXTENSIONS = ['.tar', '.Z', '.bz2', '.gz', '.lz', '.lzma', '.tZ', '.tb2', '.tbz', '.tbz2', '.tgz', '.tlz', '.tpz', '.txz', '.xz', '.zst', '.tzst'];
/** hadolint's own list (DL3020), to decide whether the finding carries its code. */
const HADOLINT_ARCHIVE_EXTENSIONS = ARCHIVE_EXTENSIONS.slice(0, 15);

export function isGitSource(v: string): boolean {
  return /^git@[^:]+:/.test(v) || /^(git|ssh):\/\//.test(v) || /^https?:\/\/[^#?]+\.git(?:[#?].*)?$/.test(v);
}

export function isHttpUrl(v: string): boolean {
  return /^https?:\/\//.test(v);
}

export function isArchiveName(v: string): boolean {
  return ARCHIVE_EXTENSIONS.some((e) => v.endsWith(e));
}

export function addSources(model: DockerfileModel, step: Step): AddSource[] {
  return copyArgs(model, step).sources.map((arg) => {
    if (arg.heredoc) return { arg, kind: 'heredoc' as const };
    const ex = expand(arg.raw, step.scope, model.escapeChar);
    if (ex.unresolved.length) return { arg, kind: 'unknown' as const };
    const value = dequote(ex.value, '\u0000');
    const kind: AddSourceKind = isGitSource(value) ? 'git' : isHttpUrl(value) ? 'url' : isArchiveName(value) ? 'archive' : 'local';
    return { arg, value, kind };
  });
}

/** hadolint DL3020's test on the written source: neither an archive name nor an http(s) URL. */
export function hadolintWouldFlag(written: string): boolean {
  return !HADOLINT_ARCHIVE_EXTENSIONS.some((e) => written.endsWith(e)) && !/^https?:\/\//.test(written);
}
