import { DatasetError } from '../errors';
import { normaliseMemberName, type TarEntry } from './tar-parser';

/** Links followed from one member before it counts as a loop (Linux's limit for symbolic links). */
const MAX_HOPS = 40;

const DEREFERENCE_ADVICE = 're-create the archive with tar --dereference (-h), which stores the files that links point to';

/**
 * The member a link's target names, as a normalised path inside the archive; undefined when it leads
 * outside (an absolute path, or more '..' than the link has directories above it).
 */
function linkTarget(link: TarEntry): string | undefined {
  const raw = link.linkName ?? '';
  if (raw.startsWith('/') || raw.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(raw)) return undefined;
  // A hard link names a member from the top of the archive; a symbolic link's path starts at its own directory.
  const base = link.kind === 'symlink' ? link.name.split('/').slice(0, -1) : [];
  const parts = [...base];
  for (const part of normaliseMemberName(raw).split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/**
 * Resolves an archive's links to the regular files they stand for, as extracting the archive would: a hard
 * link to the earlier member it names, a symbolic link to the member its path names from the link's
 * directory (through further links). Returns link name → file member name. `entries` are in archive
 * order; links for which `ignore` is true (hidden files) are left out. A link that leads outside the
 * archive, to no member, to a directory or round in a loop is an error naming it, so that no image is
 * ever silently dropped.
 */
export function resolveTarLinks(
  entries: readonly TarEntry[],
  archive: string,
  ignore: (name: string) => boolean = () => false,
): Map<string, string> {
  const resolved = new Map<string, string>();
  // Most archives have no links: then no map of every member by name (1.33 M of them for ImageNet).
  if (!entries.some((e) => (e.kind === 'hardlink' || e.kind === 'symlink') && !ignore(e.name))) return resolved;
  // As extraction does, a later member of the same name replaces an earlier one.
  const byName = new Map<string, { entry: TarEntry; at: number }>();
  entries.forEach((entry, at) => byName.set(entry.name, { entry, at }));
  // Directories that only the members' paths name (an archive of files made without their directories).
  let implied: Set<string> | undefined;
  const impliedDirectories = (): Set<string> => {
    if (implied === undefined) {
      implied = new Set();
      for (const { name } of entries) for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) implied.add(name.slice(0, i));
    }
    return implied;
  };
  entries.forEach((link, position) => {
    if ((link.kind !== 'hardlink' && link.kind !== 'symlink') || ignore(link.name)) return;
    const member = `${archive}:${link.name}`;
    const what = (entry: TarEntry): string =>
      `${entry.kind === 'hardlink' ? 'a hard link' : 'a symbolic link'} to ${JSON.stringify(entry.linkName ?? '')}`;
    let current = link;
    let currentAt = position;
    const trail: string[] = [];
    for (let hop = 0; ; hop++) {
      if (hop === MAX_HOPS) {
        throw new DatasetError(
          'BROKEN_ARCHIVE',
          `${archive}: member ${JSON.stringify(link.name)} is ${what(link)}, and following the links goes round in a loop ` +
            `(${trail.slice(0, 4).join(' → ')} → …); remove the loop, or ${DEREFERENCE_ADVICE}`,
          { file: member },
        );
      }
      const target = linkTarget(current);
      const via = current === link ? '' : ` (through ${JSON.stringify(current.name)}, ${what(current)})`;
      if (target === undefined) {
        throw new DatasetError(
          'UNSAFE_ARCHIVE',
          `${archive}: member ${JSON.stringify(link.name)} is ${what(link)}${via}, which points outside the archive; ` +
            `its image cannot be read from the archive, so it is refused (nothing was extracted): ${DEREFERENCE_ADVICE}`,
          { file: member },
        );
      }
      trail.push(target);
      const found = byName.get(target);
      const isDirectory = found === undefined ? impliedDirectories().has(target) : found.entry.kind === 'directory';
      if (isDirectory) {
        throw new DatasetError(
          'BAD_LAYOUT',
          `${archive}: member ${JSON.stringify(link.name)} is ${what(link)}${via}, a directory; links to directories are not ` +
            `followed inside an archive, so its images cannot be read: ${DEREFERENCE_ADVICE}`,
          { file: member },
        );
      }
      // tar writes a hard link after the file it names, and extracting it needs that file already there.
      if (found === undefined || (current.kind === 'hardlink' && found.at > currentAt)) {
        throw new DatasetError(
          'BROKEN_ARCHIVE',
          `${archive}: member ${JSON.stringify(link.name)} is ${what(link)}${via}, but the archive holds no ` +
            `${current.kind === 'hardlink' ? 'earlier ' : ''}member ${JSON.stringify(target)}; ${DEREFERENCE_ADVICE}, or leave the link out`,
          { file: member },
        );
      }
      if (found.entry.kind === 'file') {
        resolved.set(link.name, target);
        return;
      }
      current = found.entry;
      currentAt = found.at;
    }
  });
  return resolved;
}
