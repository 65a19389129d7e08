import { DatasetError } from '../errors';

export type SplitName = 'train' | 'test' | 'validation';

/** Where each image of an ImageFolder tree goes. */
export interface FolderLayout {
  /** Class directory names, sorted as torchvision's ImageFolder sorts them (by code unit). */
  readonly classNames: string[];
  /** Files in sample order (class, then path), with their labels. */
  readonly samples: { readonly path: string; readonly label: number }[];
  /** The directory (relative, '' for the top) holding the class directories. */
  readonly root: string;
}

const SPLIT_DIRECTORIES: Record<'train' | 'test', readonly string[]> = {
  train: ['train'],
  test: ['test', 'val', 'validation'],
};

function hidden(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class Tree {
  readonly dirs = new Map<string, Set<string>>();
  readonly files = new Map<string, string[]>();

  constructor(files: readonly string[], directories: readonly string[]) {
    this.dirs.set('', new Set());
    for (const d of directories) if (!hidden(d)) this.addDir(d);
    for (const f of files) {
      if (hidden(f)) continue;
      const slash = f.lastIndexOf('/');
      const parent = slash < 0 ? '' : f.slice(0, slash);
      this.addDir(parent);
      const list = this.files.get(parent) ?? [];
      list.push(f);
      this.files.set(parent, list);
    }
  }

  private addDir(dir: string): void {
    while (!this.dirs.has(dir)) {
      this.dirs.set(dir, new Set());
      const slash = dir.lastIndexOf('/');
      const parent = slash < 0 ? '' : dir.slice(0, slash);
      this.addDir(parent);
      this.dirs.get(parent)!.add(dir);
    }
  }

  children(dir: string): string[] {
    return [...(this.dirs.get(dir) ?? [])].sort(byCodeUnit);
  }

  /** Every file under dir, at any depth, sorted. */
  filesUnder(dir: string): string[] {
    const out: string[] = [...(this.files.get(dir) ?? [])];
    for (const child of this.children(dir)) out.push(...this.filesUnder(child));
    return out.sort(byCodeUnit);
  }
}

function baseName(dir: string): string {
  return dir.slice(dir.lastIndexOf('/') + 1);
}

/**
 * Lays out an ImageFolder tree (`root/<class>/**`) from its file and directory paths ('/'-separated,
 * relative). A tree holding a single top-level directory that itself holds directories (`train/<class>/…`)
 * is read through it; a top level of split directories (`train/`, `val/` or `test/`) is chosen by `split`
 * ('validation' reads from `train/`: it is a hold-out of the training set). Hidden files are ignored, as are
 * files beside the class directories, like torchvision's ImageFolder; an empty class directory is an error.
 */
export function layoutImageFolder(
  files: readonly string[],
  directories: readonly string[],
  split: SplitName,
  where: string,
  nameOf: (relative: string) => string,
): FolderLayout {
  const tree = new Tree(files, directories);
  let root = '';
  for (;;) {
    const children = tree.children(root);
    if (children.length !== 1 || tree.children(children[0]!).length === 0) break;
    root = children[0]!;
  }
  const top = tree.children(root);
  const splitDirs = top.filter((d) => [...SPLIT_DIRECTORIES.train, ...SPLIT_DIRECTORIES.test].includes(baseName(d)));
  if (splitDirs.length >= 2 && splitDirs.length === top.length && top.every((d) => tree.children(d).length > 0)) {
    const wanted = SPLIT_DIRECTORIES[split === 'test' ? 'test' : 'train'];
    const chosen = wanted.map((name) => top.find((d) => baseName(d) === name)).find((d) => d !== undefined);
    if (chosen === undefined) {
      throw new DatasetError(
        'NOT_FOUND',
        `${where} has no ${wanted.join(' or ')} directory for split '${split}' (it has ${top.map(baseName).join(', ')})`,
        { file: where },
      );
    }
    root = chosen;
  }
  const classDirs = tree.children(root);
  if (classDirs.length === 0) {
    throw new DatasetError(
      'NOT_FOUND',
      `${where} holds no class directories: expected ${root === '' ? '' : `${root}/`}<class>/<image> (ImageFolder layout)`,
      { file: where },
    );
  }
  const classNames = classDirs.map(baseName);
  const samples: { path: string; label: number }[] = [];
  classDirs.forEach((dir, label) => {
    const members = tree.filesUnder(dir);
    if (members.length === 0) {
      throw new DatasetError('EMPTY_CLASS', `class directory ${nameOf(dir)} holds no images`, { file: nameOf(dir) });
    }
    for (const path of members) samples.push({ path, label });
  });
  return { classNames, samples, root };
}
