import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { DatasetError, describeCause } from '../errors';
import { sharedNames, type FileStore } from '../image-store';
import { type BadImagePolicy } from './encoded-images';
import { folderInMemory } from './folder-in-memory';
import { layoutImageFolder, type SplitName } from './image-folder-layout';
import type { LoadedSource } from './image-source';
import { typicalSize } from './typical-size';

export interface FolderOptions {
  readonly split: SplitName;
  readonly onBadImage: BadImagePolicy;
  /** Hold the encoded files in memory when they total at most this many bytes; otherwise read each when needed. */
  readonly memoryLimit: number;
  /** Keep small images' pixels after their first decoding, within what memoryLimit leaves. */
  readonly cacheDecoded: boolean;
}

/**
 * Lists files and directories under root (relative, '/'-separated), following symbolic links. Each directory
 * is read once: one reached again through a link (a loop back to a directory that holds the link, or a
 * second path to the same directory, whose images would be read twice) is an error naming the link.
 */
function walk(root: string): { files: string[]; directories: string[] } {
  const files: string[] = [];
  const directories: string[] = [];
  const readAs = new Map<string, string>(); // real path of each directory read → its path under root ('' for root)
  const visit = (relative: string, real: string): void => {
    readAs.set(real, relative);
    const entries = readdirSync(path.join(root, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // the same order (and messages) on every file system
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
      let isDirectory = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isDirectory = statSync(path.join(root, rel)).isDirectory();
        } catch {
          isDirectory = false; // a dangling link: listed as a file, so reading it reports the problem
        }
      }
      if (!isDirectory) {
        files.push(rel);
        continue;
      }
      const target = realpathSync(path.join(root, rel));
      const first = readAs.get(target);
      if (first !== undefined) throw linkedTwice(root, rel, first, target, entry.isSymbolicLink());
      directories.push(rel);
      visit(rel, target);
    }
  };
  visit('', realpathSync(root));
  return { files, directories };
}

function linkedTwice(root: string, rel: string, first: string, target: string, isLink: boolean): DatasetError {
  const here = path.join(root, rel);
  const there = path.join(root, first);
  const loop = first === '' || rel.startsWith(`${first}/`);
  const message = loop
    ? `${here} is a symbolic link to ${target}, a directory that holds the link (read as ${there}), so the folder would never end; ` +
      `remove the link, or make it point outside ${root}`
    : `${isLink ? `${here} is a symbolic link to ${target}, which was already read as ${there}` : `${here} is ${target}, which was already read through the symbolic link ${there}`}: ` +
      'its images would be read twice (under two labels if they are two classes); remove the link, or copy the directory instead';
  return new DatasetError('BAD_LAYOUT', message, { file: here });
}

/**
 * Opens an ImageFolder directory. Files are held in memory (and checked) when they fit `memoryLimit`,
 * which makes every later epoch free of file-system calls; larger trees are read file by file in the
 * workers, and a bad file then surfaces when its batch is made.
 */
export function openImageFolder(root: string, options: FolderOptions): LoadedSource {
  const { files, directories } = walk(root);
  const layout = layoutImageFolder(files, directories, options.split, root, (rel) => path.join(root, rel));
  const absolute = layout.samples.map((s) => path.join(root, s.path));
  let total = 0;
  for (const file of absolute) {
    try {
      total += statSync(file).size;
    } catch {
      // unreadable: reported when read
    }
    // Past the limit the total does not matter: ImageNet's 1.28 M stats, at 0.2–1 ms each on a network
    // file system, would take minutes at every open.
    if (total > options.memoryLimit) break;
  }
  const description = `image folder ${path.join(root, layout.root)}`;
  if (total <= options.memoryLimit) {
    const samples = layout.samples.map((s, i) => {
      let bytes: Uint8Array | { unreadable: string };
      try {
        bytes = readFileSync(absolute[i]!);
      } catch (cause) {
        bytes = { unreadable: describeCause(cause) };
      }
      return { name: absolute[i]!, label: s.label, bytes };
    });
    return folderInMemory(samples, layout, options, root, total, description);
  }
  if (absolute.length === 0) throw new DatasetError('NOT_FOUND', `${root} holds no images`, { file: root });
  const store: FileStore = { kind: 'files', count: absolute.length, names: sharedNames(absolute) };
  return {
    store,
    labels: Int32Array.from(layout.samples, (s) => s.label),
    classNames: layout.classNames,
    presentClasses: layout.presentClasses,
    unsplit: layout.unsplit,
    skipped: [],
    uniformSize: undefined,
    typicalSize: typicalSize(store),
    where: root,
    description,
    family: 'folder',
  };
}
