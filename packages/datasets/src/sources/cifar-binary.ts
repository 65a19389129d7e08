import { DatasetError } from '../errors';
import type { LoadedSource } from './image-source';
import { sharedBytes, type PixelStore } from '../image-store';
import {
  CIFAR100_COARSE_CLASSES,
  CIFAR100_FINE_CLASSES,
  CIFAR10_CLASSES,
  CIFAR_LAYOUT,
  CIFAR_PIXELS,
  CIFAR_SIDE,
  cifarNamesFile,
  cifarRecordBytes,
  type CifarVariant,
} from './cifar-format';

/** Reads the files of a CIFAR release: from a directory, or from the members of its archive. */
export interface CifarFiles {
  /** The bytes of `name` (e.g. 'data_batch_1.bin'), or undefined when it is absent. */
  read(name: string): Uint8Array | undefined;
  /** How messages name `name`: a path, or `archive:member`. */
  describe(name: string): string;
}

export interface CifarOptions {
  readonly split: 'train' | 'test';
  /** CIFAR-100 only: 100 fine classes (default) or 20 coarse superclasses. */
  readonly label?: 'fine' | 'coarse' | undefined;
  /** Require each file to hold exactly the official number of records (default true): a file cut at a record boundary is otherwise undetectable. */
  readonly checkOfficialSizes?: boolean | undefined;
}

export interface CifarData {
  readonly store: PixelStore;
  readonly labels: Int32Array;
  readonly classNames: string[];
  readonly files: string[];
}

function classNamesOf(files: CifarFiles, variant: CifarVariant, label: 'fine' | 'coarse'): string[] {
  const builtIn: readonly string[] =
    variant === 'cifar10' ? CIFAR10_CLASSES : label === 'fine' ? CIFAR100_FINE_CLASSES : CIFAR100_COARSE_CLASSES;
  const bytes = files.read(cifarNamesFile(variant, label));
  if (bytes === undefined) return [...builtIn];
  const names = new TextDecoder()
    .decode(bytes)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length !== builtIn.length) {
    const file = files.describe(cifarNamesFile(variant, label));
    throw new DatasetError('CIFAR_SIZE', `${file} lists ${names.length} class names; ${variant} has ${builtIn.length}`, { file });
  }
  return names;
}

/**
 * Decodes CIFAR binary records into a pixel store (HWC, the layout every other source uses) and labels.
 * Each file must be a whole number of records, every label must be in range, and by default every file
 * must hold the official record count; each failure names the file (and record).
 */
export function readCifar(files: CifarFiles, variant: CifarVariant, options: CifarOptions): CifarData {
  const layout = CIFAR_LAYOUT[variant];
  const label = options.label ?? 'fine';
  const checkOfficial = options.checkOfficialSizes ?? true;
  const recordBytes = cifarRecordBytes(variant);
  const labelOffset = variant === 'cifar10' ? 0 : label === 'coarse' ? 0 : 1;
  const labelBytes = recordBytes - CIFAR_PIXELS;
  const classNames = classNamesOf(files, variant, label);
  const names = layout[options.split];

  const contents = names.map((name) => {
    const bytes = files.read(name);
    const file = files.describe(name);
    if (bytes === undefined) {
      throw new DatasetError('NOT_FOUND', `${file} is missing: a ${variant} ${options.split} set needs ${names.join(', ')}`, { file });
    }
    if (bytes.length === 0 || bytes.length % recordBytes !== 0) {
      throw new DatasetError(
        'CIFAR_SIZE',
        `${file} is truncated or corrupt: ${bytes.length} bytes is not a whole number of ${recordBytes}-byte ${variant} records`,
        { file },
      );
    }
    const records = bytes.length / recordBytes;
    const official = layout.recordsPerFile[name]!;
    if (checkOfficial && records !== official) {
      throw new DatasetError(
        'CIFAR_SIZE',
        `${file} holds ${records} records (${bytes.length} bytes); the official file holds ${official} (${official * recordBytes} bytes). ` +
          'Truncated? For a custom subset pass checkOfficialSizes: false',
        { file },
      );
    }
    return { bytes, file, records };
  });

  const count = contents.reduce((n, c) => n + c.records, 0);
  const data = sharedBytes(count * CIFAR_PIXELS);
  const labels = new Int32Array(count);
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  let index = 0;
  for (const { bytes, file, records } of contents) {
    for (let r = 0; r < records; r++, index++) {
      const base = r * recordBytes;
      const value = bytes[base + labelOffset]!;
      if (value >= classNames.length) {
        throw new DatasetError('CIFAR_LABEL', `${file}, record ${r}: label ${value} is out of range 0…${classNames.length - 1}`, { file });
      }
      if (variant === 'cifar100' && bytes[base]! >= CIFAR100_COARSE_CLASSES.length) {
        throw new DatasetError('CIFAR_LABEL', `${file}, record ${r}: coarse label ${bytes[base]} is out of range 0…19`, { file });
      }
      labels[index] = value;
      // Planar CHW (all R, then G, then B) → interleaved HWC.
      const src = base + labelBytes;
      const dst = index * CIFAR_PIXELS;
      for (let p = 0; p < plane; p++) {
        data[dst + 3 * p] = bytes[src + p]!;
        data[dst + 3 * p + 1] = bytes[src + plane + p]!;
        data[dst + 3 * p + 2] = bytes[src + 2 * plane + p]!;
      }
    }
  }
  const store: PixelStore = { kind: 'pixels', count, width: CIFAR_SIDE, height: CIFAR_SIDE, data, label: `${variant}-${options.split}` };
  return { store, labels, classNames, files: contents.map((c) => c.file) };
}

/**
 * A split of CIFAR binary files as a dataset source; `where` (the directory or archive) goes into its
 * description. `options` may carry other sources' options too: only label and checkOfficialSizes are read.
 */
export function cifarSource(
  files: CifarFiles,
  variant: CifarVariant,
  split: 'train' | 'test',
  options: Omit<CifarOptions, 'split'>,
  where: string,
): LoadedSource {
  const data = readCifar(files, variant, {
    split,
    ...(options.label ? { label: options.label } : {}),
    ...(options.checkOfficialSizes === undefined ? {} : { checkOfficialSizes: options.checkOfficialSizes }),
  });
  return {
    store: data.store,
    labels: data.labels,
    classNames: data.classNames,
    skipped: [],
    uniformSize: { width: 32, height: 32 },
    description: `${variant} ${split} (${where})`,
    family: 'cifar',
  };
}
