/** Which file names are Dockerfiles (as BuildKit, Podman and VS Code name them). */
export function isDockerfileName(name: string): boolean {
  const n = name.toLowerCase();
  if (n === 'dockerfile' || n === 'containerfile') return true;
  if (n.endsWith('.dockerignore') || n.endsWith('.containerignore')) return false;
  return n.startsWith('dockerfile.') || n.startsWith('dockerfile-') || n.startsWith('containerfile.')
    || n.endsWith('.dockerfile') || n.endsWith('.containerfile');
}
