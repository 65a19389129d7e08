import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatasetError, describeCause, invalidArgument } from './errors';
import { MAX_IN_MEMORY_BYTES } from './image-store';
import { progressBar, type ProgressListener } from './progress';
import { cifarSource } from './sources/cifar-binary';
import { detectCifar } from './sources/cifar-detect';
import { CIFAR_LAYOUT } from './sources/cifar-format';
import { ensureCifar } from './sources/cifar-remote';
import type { BadImagePolicy } from './sources/encoded-images';
import { openArchive } from './sources/image-archive';
import { openImageFolder } from './sources/image-folder';
import type { SplitName } from './sources/image-folder-layout';
import type { LoadedSource } from './sources/image-source';
import { generateSynthetic } from './sources/synthetic';

export type DatasetSource = 'cifar10' | 'cifar100' | 'synthetic' | (string & {});

/** The options of `openDataset` that say how to read a source (the rest choose the split and the preprocessing). */
export interface SourceOptions {
  /** Image folders: fail on an unreadable or non-image file ('error', default) or leave it out and count it in dataset.skipped. */
  readonly onBadImage?: BadImagePolicy | undefined;
  /** Image folders and archives: hold encoded images in memory up to this many bytes (default: a quarter of RAM, at most 8 GiB). */
  readonly memoryLimit?: number | undefined;
  /** Small images of one size (≤ 64×64): keep their pixels once decoded, so later epochs skip decoding (default true, within memoryLimit). */
  readonly cacheDecoded?: boolean | undefined;
  /** CIFAR-100: 'fine' (100 classes, default) or 'coarse' (20 superclasses). */
  readonly label?: 'fine' | 'coarse' | undefined;
  /** CIFAR: require the official record count in each file (default true). */
  readonly checkOfficialSizes?: boolean | undefined;
  /** CIFAR download cache (default $FIXCLF_DATA, else $XDG_CACHE_HOME/fixclf, else ~/.cache/fixclf). */
  readonly cacheDir?: string | undefined;
  /** CIFAR: false never downloads; an object overrides the address and checks. */
  readonly download?: boolean | { readonly url: string; readonly md5?: string | undefined; readonly size?: number | undefined } | undefined;
  /** Download progress: a bar on stderr (default true), off, or your listener. */
  readonly progress?: boolean | ProgressListener | undefined;
  /** Synthetic: images in the split (default 10,000 train / 2,000 test) and which synthetic world (seed, default 0). */
  readonly synthetic?: { readonly size?: number | undefined; readonly seed?: number | undefined } | undefined;
}

/** memoryLimit as given (default ¼ of RAM, ≤ 8 GiB), at most MAX_IN_MEMORY_BYTES. */
export function effectiveMemoryLimit(given: number | undefined): number {
  return Math.min(given ?? Math.min(Math.floor(os.totalmem() / 4), 8 * 2 ** 30), MAX_IN_MEMORY_BYTES);
}

function directoryFiles(directory: string) {
  return {
    read: (name: string): Uint8Array | undefined => {
      const file = path.join(directory, name);
      if (!existsSync(file)) return undefined;
      try {
        return readFileSync(file);
      } catch (cause) {
        throw new DatasetError('NOT_FOUND', `${file} cannot be read: ${describeCause(cause)}`, { file, cause });
      }
    },
    describe: (name: string): string => path.join(directory, name),
  };
}

function cifarDirectory(directory: string, variant: 'cifar10' | 'cifar100', split: 'train' | 'test', options: SourceOptions): LoadedSource {
  return cifarSource(directoryFiles(directory), variant, split, options, directory);
}

/**
 * Reads a source into images, labels and class names, whatever it is: 'synthetic', 'cifar10' or 'cifar100'
 * (downloaded into the cache when missing), a CIFAR binary directory (or a directory holding one), an image
 * folder, or an archive of either. `split` is the source's own split; `folderSplit` the one asked for, which
 * picks train/ or val/ (test/) inside an image folder or archive. Knows nothing of preprocessing.
 */
export async function resolveSource(
  source: DatasetSource,
  split: 'train' | 'test',
  folderSplit: SplitName,
  options: SourceOptions,
): Promise<LoadedSource> {
  if (source === 'synthetic') {
    const data = generateSynthetic({ split, ...options.synthetic });
    return {
      ...data,
      skipped: [],
      uniformSize: { width: 32, height: 32 },
      description: `synthetic ${split} (seed ${options.synthetic?.seed ?? 0})`,
      family: 'synthetic',
    };
  }
  if (source === 'cifar10' || source === 'cifar100') {
    const variant = source as 'cifar10' | 'cifar100';
    const progress = options.progress ?? true;
    const onProgress = typeof progress === 'function' ? progress : progress ? progressBar(source) : undefined;
    const directory = await ensureCifar(variant, {
      ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      ...(options.download === undefined ? {} : { download: options.download }),
      ...(onProgress ? { onProgress } : {}),
    });
    return cifarDirectory(directory, variant, split, options);
  }
  if (typeof source !== 'string' || source === '')
    throw invalidArgument(`openDataset: source must be 'cifar10', 'cifar100', 'synthetic' or a path, got ${JSON.stringify(source)}`);
  const where = path.resolve(source);
  let stats;
  try {
    stats = statSync(where);
  } catch {
    throw new DatasetError(
      'NOT_FOUND',
      `${where} does not exist (a source is 'cifar10', 'cifar100', 'synthetic', a CIFAR binary directory, an image folder, or a .tar/.tar.gz of one)`,
      { file: where },
    );
  }
  const onBadImage = options.onBadImage ?? 'error';
  const memoryLimit = effectiveMemoryLimit(options.memoryLimit);
  const cacheDecoded = options.cacheDecoded ?? true;
  if (stats.isDirectory()) {
    // A CIFAR binary directory, or a directory holding one (such as the cache directory). Only the
    // release's own names are looked at: listing every class directory of an ImageNet tree would be slow.
    const probes = [...Object.values(CIFAR_LAYOUT).map((layout) => layout.directory), ''].flatMap((dir) =>
      ['data_batch_1.bin', 'test_batch.bin', 'batches.meta.txt', 'train.bin', 'test.bin', 'fine_label_names.txt'].map((file) =>
        dir === '' ? file : `${dir}/${file}`,
      ),
    );
    const cifar = detectCifar(probes.filter((name) => existsSync(path.join(where, name))));
    if (cifar !== undefined) return cifarDirectory(path.join(where, cifar.directory), cifar.variant, split, options);
    return openImageFolder(where, { split: folderSplit, onBadImage, memoryLimit, cacheDecoded });
  }
  return openArchive(where, {
    split: folderSplit,
    onBadImage,
    memoryLimit,
    cacheDecoded,
    ...(options.label ? { label: options.label } : {}),
    ...(options.checkOfficialSizes === undefined ? {} : { checkOfficialSizes: options.checkOfficialSizes }),
  });
}
