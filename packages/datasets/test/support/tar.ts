import { execFileSync } from 'node:child_process';

/**
 * Packs `entries` (paths relative to `cwd`) with the system tar — an implementation independent of the
 * package's reader. format: 'gnu' | 'pax' | 'ustar'; gzip adds -z.
 */
export function systemTar(
  archive: string,
  cwd: string,
  entries: string[],
  options: { gzip?: boolean; format?: 'gnu' | 'pax' | 'ustar'; absoluteNames?: boolean; sparse?: boolean } = {},
): void {
  // absoluteNames (-P) keeps leading '/' and '..' in member names, as a hostile archive would have them;
  // sparse (-S) stores files with holes as sparse members (GNU 'S', or pax GNU.sparse.* records).
  execFileSync('tar', [
    options.gzip ? '-czf' : '-cf',
    archive,
    `--format=${options.format ?? 'gnu'}`,
    ...(options.absoluteNames ? ['-P'] : []),
    ...(options.sparse ? ['--sparse'] : []),
    '-C',
    cwd,
    ...entries,
  ]);
}
