import { statSync } from 'node:fs';
import { DatasetError } from '../errors';
import type { TarStore } from '../image-store';
import { MAX_IN_MEMORY_BYTES, sharedFloat64, sharedNames } from '../image-store';
import { cifarSource } from './cifar-binary';
import { detectCifar } from './cifar-detect';
import { type BadImagePolicy } from './encoded-images';
import { folderInMemory } from './folder-in-memory';
import { hidden, layoutImageFolder, type SplitName } from './image-folder-layout';
import type { LoadedSource } from './image-source';
import { resolveTarLinks } from './tar-links';
import type { TarEntry } from './tar-parser';
import { indexTar, isGzipFile, readTar } from './tar-reader';
import { typicalSize } from './typical-size';

export interface ArchiveOptions {
  readonly split: SplitName;
  readonly onBadImage: BadImagePolicy;
  readonly memoryLimit: number;
  readonly cacheDecoded: boolean;
  readonly label?: 'fine' | 'coarse';
  readonly checkOfficialSizes?: boolean;
}

/**
 * Opens a .tar or .tar.gz without unpacking it: an ImageFolder tree (read through a single top-level
 * directory such as train/) or a CIFAR binary release (cifar-10-binary.tar.gz as downloaded).
 *
 * Memory policy. Exact seeded shuffling needs random access to every image in every epoch:
 * - archives whose images fit `memoryLimit` (CIFAR, Imagenette, most tar.gz) are read once, sequentially,
 *   and their encoded images kept in shared memory (the 50,000 CIFAR-10 JPEGs take 45 MB);
 * - a larger uncompressed .tar (ImageNet's 140 GB) is indexed in place, header to header, and its members
 *   are read at their offsets by the workers;
 * - a larger .tar.gz cannot be read at random (gzip has no index), and streaming it with a shuffle buffer
 *   would break "same seed, same batches" across resumed runs, so it fails with advice instead.
 */
export async function openArchive(archive: string, options: ArchiveOptions): Promise<LoadedSource> {
  const nameOf = (member: string): string => `${archive}:${member}`;
  const gzip = isGzipFile(archive);
  if (!gzip && statSync(archive).size > options.memoryLimit) return openIndexedTar(archive, options, nameOf);

  const members = new Map<string, Uint8Array>();
  const directories: string[] = [];
  const entries: TarEntry[] = [];
  let total = 0;
  await readTar(archive, (entry, data) => {
    entries.push(entry);
    if (entry.kind === 'directory') directories.push(entry.name);
    if (entry.kind !== 'file') return;
    total += entry.size;
    if (total > options.memoryLimit) {
      throw new DatasetError(
        'TOO_LARGE',
        `${archive} holds more than ${options.memoryLimit} bytes of files (memoryLimit). A .tar.gz cannot be read at random offsets: ` +
          `unpack it into a folder, or store it as an uncompressed .tar (indexed and read in place)${options.memoryLimit < MAX_IN_MEMORY_BYTES ? ', or raise memoryLimit' : ''}`,
        { file: archive },
      );
    }
    members.set(entry.name, data!);
  });
  // A link is the file it stands for (the same bytes, not a copy).
  for (const [link, target] of resolveTarLinks(entries, archive, hidden)) members.set(link, members.get(target)!);

  const cifar = detectCifar(members.keys());
  if (cifar !== undefined) {
    const prefix = cifar.directory === '' ? '' : `${cifar.directory}/`;
    const split = options.split === 'test' ? 'test' : 'train';
    return cifarSource(
      { read: (name) => members.get(prefix + name), describe: (name) => nameOf(prefix + name) },
      cifar.variant,
      split,
      options,
      archive,
    );
  }

  const layout = layoutImageFolder([...members.keys()], directories, options.split, archive, nameOf);
  const samples = layout.samples.map((s) => ({ name: nameOf(s.path), label: s.label, bytes: members.get(s.path)! }));
  members.clear();
  return folderInMemory(samples, layout, options, archive, total, `image folder ${nameOf(layout.root)}`);
}

function openIndexedTar(archive: string, options: ArchiveOptions, nameOf: (member: string) => string): LoadedSource {
  const entries = indexTar(archive);
  const files = new Map(entries.filter((e) => e.kind === 'file').map((e) => [e.name, e]));
  for (const [link, target] of resolveTarLinks(entries, archive, hidden)) files.set(link, files.get(target)!);
  const layout = layoutImageFolder(
    [...files.keys()],
    entries.filter((e) => e.kind === 'directory').map((e) => e.name),
    options.split,
    archive,
    nameOf,
  );
  const offsets = sharedFloat64(layout.samples.length);
  const sizes = sharedFloat64(layout.samples.length);
  layout.samples.forEach((s, i) => {
    const entry = files.get(s.path)!;
    offsets[i] = entry.offset;
    sizes[i] = entry.size;
  });
  const store: TarStore = {
    kind: 'tar',
    count: layout.samples.length,
    archive,
    offsets,
    sizes,
    names: sharedNames(layout.samples.map((s) => nameOf(s.path))),
  };
  return {
    store,
    labels: Int32Array.from(layout.samples, (s) => s.label),
    classNames: layout.classNames,
    presentClasses: layout.presentClasses,
    unsplit: layout.unsplit,
    skipped: [],
    uniformSize: undefined,
    typicalSize: typicalSize(store),
    where: archive,
    description: `image folder ${nameOf(layout.root)} (indexed in place)`,
    family: 'folder',
  };
}
