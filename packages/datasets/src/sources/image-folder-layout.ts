import { DatasetError } from '../errors';

export type SplitName = 'train' | 'test' | 'validation';

/** Where each image of an ImageFolder tree goes. */
export interface FolderLayout {
  /** Class directory names, sorted as torchvision's ImageFolder sorts them (by code point). */
  readonly classNames: string[];
  /** Files in sample order (class, then path), with their labels. */
  readonly samples: { readonly path: string; readonly label: number }[];
  /** The directory (relative, '' for the top) holding the class directories. */
  readonly root: string;
  /** Labels this split has a class directory for: all of them, except where a test split lacks a training class. */
  readonly presentClasses: readonly number[];
  /**
   * No split directories and no split name: one set of images, which every split reads (a folder of labelled
   * images to evaluate on, say). A trainer must not validate on its "test" split: it is the training images.
   */
  readonly unsplit: boolean;
}

/** Directory names (compared in lower case) that make a split, not a class. */
const TRAIN_NAMES: readonly string[] = ['train'];
const TEST_NAMES: readonly string[] = ['test'];
const VALIDATION_NAMES: readonly string[] = ['val', 'valid', 'validation'];

/** How to get a test set when a source has none, for API users and for the train CLI. */
const NO_TEST_SPLIT_ADVICE =
  "hold out part of the training set instead (validation: { fraction } with split 'validation'; CLI: --validation 0.1), " +
  'or point at a folder with a test/ or val/ directory beside train/';

/** Hidden files and directories (and macOS's __MACOSX), which an image folder ignores. */
export function hidden(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');
}

/**
 * Python's sorted() order (torchvision's ImageFolder sorts class names with it): by code point. JavaScript's
 * `<` compares UTF-16 code units, which puts characters above U+FFFF (emoji, stored as surrogates
 * D800–DFFF) before U+E000–U+FFFF (full-width letters), so a model's class indices would not match PyTorch's.
 */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate starts a code point above U+FFFF: after every other unit.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
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
    return [...(this.dirs.get(dir) ?? [])].sort(byCodePoint);
  }

  /** Every file under dir, at any depth, sorted. */
  filesUnder(dir: string): string[] {
    const out: string[] = [...(this.files.get(dir) ?? [])];
    for (const child of this.children(dir)) out.push(...this.filesUnder(child));
    return out.sort(byCodePoint);
  }
}

function baseName(dir: string): string {
  return dir.slice(dir.lastIndexOf('/') + 1);
}

function splitKind(name: string): 'train' | 'test' | 'validation' | undefined {
  const lower = name.toLowerCase();
  if (TRAIN_NAMES.includes(lower)) return 'train';
  if (TEST_NAMES.includes(lower)) return 'test';
  if (VALIDATION_NAMES.includes(lower)) return 'validation';
  return undefined;
}

/** The name of a folder or archive itself, without .tar / .tar.gz / .tgz: its split when it is one. */
function sourceName(where: string): string {
  const name = where.replace(/[\\/]+$/, '');
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).replace(/\.(tar\.gz|tgz|tar)$/i, '');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** 'a/, b/, c/' for messages, the first few of a long list. */
function listDirs(dirs: readonly string[]): string {
  const shown = dirs.slice(0, 6).map((d) => `${baseName(d)}/`);
  return dirs.length > shown.length ? `${shown.join(', ')}, … (${dirs.length} in all)` : shown.join(', ');
}

/**
 * Lays out an ImageFolder tree (`root/<class>/**`) from its file and directory paths ('/'-separated,
 * relative). A tree holding a single top-level directory that itself holds directories (`train/<class>/…`)
 * is read through it. Top-level directories named train, test, val, valid or validation (in any case) are
 * splits as soon as one of them holds class directories: `split` 'train' (and 'validation', a hold-out of
 * the training set) reads train/, 'test' reads test/, else val/, valid/ or validation/, with the training
 * split's class indices. A train/ directory alone has no test split, and a folder named like a test split
 * has no train split: asking for it is an error, never the other split's images. A folder of classes with
 * no split name is one set of images (`unsplit`), read by every split.
 * Layouts that could be read two ways are refused with what to change. Hidden files are ignored, as are
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
  const wanted = split === 'test' ? 'test' : 'train';
  const top = tree.children(root);
  const splitDirs = top.filter((d) => splitKind(baseName(d)) !== undefined);
  let reference: { dir: string; classes: string[] } | undefined; // the training split's classes, when a test split is read
  let unsplit = false;
  if (splitDirs.some((d) => tree.children(d).length > 0)) {
    const others = top.filter((d) => splitKind(baseName(d)) === undefined);
    if (others.length > 0) {
      throw new DatasetError(
        'BAD_LAYOUT',
        `${where} mixes split directories (${listDirs(splitDirs)}) with other directories (${listDirs(others)}), so it is ambiguous ` +
          `whether its top level holds splits or classes; put the classes inside the split directories (${baseName(splitDirs[0]!)}/<class>/<image>) ` +
          `and move the other directories out of ${where}`,
        { file: where },
      );
    }
    const find = (kind: 'train' | 'test' | 'validation'): string | undefined => {
      const found = splitDirs.filter((d) => splitKind(baseName(d)) === kind);
      if (found.length > 1) {
        throw new DatasetError(
          'BAD_LAYOUT',
          `${where} has ${listDirs(found)}${kind === 'validation' ? ' and no test/' : ''}: which of them is the ${wanted} split is ambiguous; ` +
            'rename or remove all but one',
          { file: where },
        );
      }
      return found[0];
    };
    const train = find('train');
    const chosen = wanted === 'train' ? train : (find('test') ?? find('validation'));
    if (chosen === undefined) {
      throw new DatasetError(
        'NOT_FOUND',
        `${where} has no ${wanted} split (it holds ${listDirs(top)}); ` +
          (wanted === 'test'
            ? NO_TEST_SPLIT_ADVICE
            : "open it with split: 'test' to evaluate on it, or point at a folder with a train/ directory"),
        { file: where },
      );
    }
    if (tree.children(chosen).length === 0) {
      throw new DatasetError(
        'BAD_LAYOUT',
        `${nameOf(chosen)}, the ${wanted} split of ${where}, holds no class directories (${count(tree.filesUnder(chosen).length, 'file')} in it: ` +
          `unlabelled images?); split '${split}' needs ${baseName(chosen)}/<class>/<image>` +
          (wanted === 'test' ? `; ${NO_TEST_SPLIT_ADVICE}` : ''),
        { file: nameOf(chosen) },
      );
    }
    if (wanted === 'test' && train !== undefined && tree.children(train).length > 0)
      reference = { dir: train, classes: tree.children(train).map(baseName) };
    root = chosen;
  } else {
    if (splitDirs.length > 0) {
      throw new DatasetError(
        'BAD_LAYOUT',
        `${where}: ${listDirs(splitDirs)} ${splitDirs.length === 1 ? 'is' : 'are'} named like a split but ` +
          `${splitDirs.length === 1 ? 'holds' : 'hold'} no class directories, so ${splitDirs.length === 1 ? 'it' : 'they'} would be read as ` +
          `${splitDirs.length === 1 ? 'a class' : 'classes'}; give each split one directory per class (${baseName(splitDirs[0]!)}/<class>/<image>), ` +
          'or rename a class directory that really is one',
        { file: where },
      );
    }
    if (top.length === 0) {
      throw new DatasetError(
        'NOT_FOUND',
        `${where} holds no class directories: expected ${root === '' ? '' : `${root}/`}<class>/<image> (ImageFolder layout)`,
        { file: where },
      );
    }
    // A folder of classes is the split its name (or the directory read through) says; unnamed, it is one set
    // of images that every split reads.
    const ownName = root === '' ? sourceName(where) : baseName(root);
    const kind = splitKind(ownName);
    unsplit = kind === undefined;
    const ownSplit = kind === undefined ? wanted : kind === 'train' ? 'train' : 'test';
    if (ownSplit !== wanted) {
      const holds = root === '' ? `it is named ${ownName}` : `it holds ${baseName(root)}/`;
      throw new DatasetError(
        'NOT_FOUND',
        wanted === 'test'
          ? `${where} has no test split (${holds}); ${NO_TEST_SPLIT_ADVICE}`
          : `${where} has no train split (${root === '' ? `it is named ${ownName}` : `it holds ${baseName(root)}/`}, a test split); ` +
              "open it with split: 'test' to evaluate on it, or point at a folder with a train/ directory",
        { file: where },
      );
    }
  }
  const classDirs = tree.children(root);
  const own = classDirs.map(baseName);
  const classNames = reference?.classes ?? own;
  // A test split's labels are the training split's indices, matched by name: a class missing from val/
  // must not shift the labels of the classes after it.
  const labelOf = own.map((name, i) => {
    if (reference === undefined) return i;
    const label = reference.classes.indexOf(name);
    if (label < 0) {
      throw new DatasetError(
        'BAD_LAYOUT',
        `class directory ${nameOf(classDirs[i]!)} is not a class of the training split ${nameOf(reference.dir)} (${listDirs(tree.children(reference.dir))}): ` +
          "a test image's label is its class's index in the training split, so every test class must be a training class; rename it to one, or remove it",
        { file: nameOf(classDirs[i]!) },
      );
    }
    return label;
  });
  const samples: { path: string; label: number }[] = [];
  classDirs.forEach((dir, i) => {
    const members = tree.filesUnder(dir);
    if (members.length === 0) {
      throw new DatasetError('EMPTY_CLASS', `class directory ${nameOf(dir)} holds no images`, { file: nameOf(dir) });
    }
    for (const path of members) samples.push({ path, label: labelOf[i]! });
  });
  return { classNames, samples, root, presentClasses: labelOf, unsplit };
}
