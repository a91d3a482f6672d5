/** Splitting an image reference the way Docker's reference grammar does. */

export interface ImageRef {
  /** The text as written (after variable expansion when it could be expanded). */
  raw: string;
  /** e.g. `docker.io` (implicit) or `ghcr.io`, `localhost:5000`. */
  registry: string;
  /** True when the registry was written explicitly. */
  explicitRegistry: boolean;
  /** Path without registry, e.g. `library/ubuntu`, `my/app`. */
  repository: string;
  /** The repository as the user wrote it (without registry), e.g. `ubuntu`. */
  name: string;
  tag?: string;
  digest?: string;
}

export const DEFAULT_REGISTRY = 'docker.io';

/** Parses `[registry/]path[:tag][@digest]`. Returns undefined for text that cannot be a reference. */
export function parseImageRef(raw: string): ImageRef | undefined {
  const text = raw.trim();
  if (!text || /\s/.test(text)) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digest) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tag) return undefined;
  }
  if (!rest) return undefined;
  const parts = rest.split('/');
  let registry = DEFAULT_REGISTRY;
  let explicitRegistry = false;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift() as string;
    explicitRegistry = true;
  }
  const name = parts.join('/');
  if (!name) return undefined;
  let repository = name;
  if (!explicitRegistry || registry === DEFAULT_REGISTRY || registry === 'index.docker.io') {
    if (!name.includes('/')) repository = `library/${name}`;
  }
  return { raw: text, registry, explicitRegistry, repository, name, tag, digest };
}
