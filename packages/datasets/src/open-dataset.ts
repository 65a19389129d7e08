import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Dataset, type DatasetCore } from './dataset';
import { DatasetError, describeCause, invalidArgument } from './errors';
import type { HoldoutOptions } from './holdout';
import type { Preprocessing } from './preprocessing';
import { progressBar, type ProgressListener } from './progress';
import { readCifar } from './sources/cifar-binary';
import { detectCifar } from './sources/cifar-detect';
import { CIFAR_LAYOUT } from './sources/cifar-format';
import { ensureCifar } from './sources/cifar-remote';
import { checkClassesPopulated, rejectImage, type BadImage, type BadImagePolicy } from './sources/encoded-images';
import { openArchive } from './sources/image-archive';
import { describeTypicalSize } from './sources/typical-size';
import { openImageFolder } from './sources/image-folder';
import type { SplitName } from './sources/image-folder-layout';
import type { LoadedSource } from './sources/image-source';
import { generateSynthetic } from './sources/synthetic';
import { compose } from './transforms/compose';
import { CIFAR_MEAN, CIFAR_STD, IMAGENET_MEAN, IMAGENET_STD } from './transforms/normalize';
import { outputSize } from './transforms/plan';
import { cifarEval, cifarTrain, imagenetEval, imagenetTrain, type Normalization } from './transforms/presets';
import { resize } from './transforms/resize';
import { toSize2 } from './transforms/size';
import type { TransformSpec } from './transforms/spec';
import type { BatchExecutor } from './workers/executor';
import { InlineExecutor } from './workers/inline-executor';
import { WorkerPool } from './workers/worker-pool';

export type DatasetSource = 'cifar10' | 'cifar100' | 'synthetic' | (string & {});

export interface OpenDatasetOptions {
  /** 'train' (default), 'test', or 'validation': the hold-out described by `validation`. */
  readonly split?: SplitName;
  /** Hold out part of the training set: split 'train' then gives the rest, split 'validation' the hold-out. */
  readonly validation?: HoldoutOptions;
  /** Batch image size, n or [height, width]. Default: the images' typical size when ≤ 64 px (CIFAR), else 224. */
  readonly imageSize?: number | readonly [number, number];
  /**
   * Training transforms: 'cifar' (pad 4, random crop, flip), 'imagenet' (RandomResizedCrop, flip), 'none'
   * (the evaluation transforms), or your own list. Default: 'cifar' for CIFAR, synthetic and images typically
   * ≤ 64 px (the most common size, or the median), 'imagenet' otherwise; preprocessing.reason says which and why.
   */
  readonly augmentation?: 'cifar' | 'imagenet' | 'none' | readonly TransformSpec[];
  /** Evaluation transforms. Default: normalise only ('cifar'), or resize + centre crop + normalise ('imagenet'). */
  readonly evalTransforms?: readonly TransformSpec[];
  /** Channel mean/std for the presets (default CIFAR's or ImageNet's statistics); false for values in [0, 1]. */
  readonly normalization?: Normalization | false;
  /** A saved preprocessing (dataset.preprocessing of a training run): replaces imageSize and both pipelines. */
  readonly preprocessing?: Preprocessing;
  /** Worker threads for decoding and augmenting. Default: none for raw pixels (CIFAR, synthetic), else cores - 1 (at least 1). */
  readonly workers?: number;
  /** Image folders: fail on an unreadable or non-image file ('error', default) or leave it out and count it in dataset.skipped. */
  readonly onBadImage?: BadImagePolicy;
  /** 'structure' (default): check each image's format and completeness when opened; 'decode': decode every image once as well. */
  readonly verify?: 'structure' | 'decode';
  /** Image folders and archives: hold encoded images in memory up to this many bytes (default: a quarter of RAM, at most 8 GiB). */
  readonly memoryLimit?: number;
  /** Small images of one size (≤ 64×64): keep their pixels once decoded, so later epochs skip decoding (default true, within memoryLimit). */
  readonly cacheDecoded?: boolean;
  /** CIFAR-100: 'fine' (100 classes, default) or 'coarse' (20 superclasses). */
  readonly label?: 'fine' | 'coarse';
  /** CIFAR: require the official record count in each file (default true). */
  readonly checkOfficialSizes?: boolean;
  /** CIFAR download cache (default $FIXCLF_DATA, else ~/.cache/fixclf). */
  readonly cacheDir?: string;
  /** CIFAR: false never downloads; an object overrides the address and checks. */
  readonly download?: boolean | { readonly url: string; readonly md5?: string; readonly size?: number };
  /** Download progress: a bar on stderr (default true), off, or your listener. */
  readonly progress?: boolean | ProgressListener;
  /** Synthetic: images in the split (default 10,000 train / 2,000 test) and which synthetic world (seed, default 0). */
  readonly synthetic?: { readonly size?: number; readonly seed?: number };
}

/** Images typically this small (CIFAR as JPEGs) get the CIFAR recipe; anything larger the ImageNet one. */
const SMALL_IMAGE = 64;

function defaultMemoryLimit(): number {
  return Math.min(Math.floor(os.totalmem() / 4), 8 * 2 ** 30);
}

function defaultWorkers(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, cores - 1);
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

function cifarSource(directory: string, variant: 'cifar10' | 'cifar100', split: 'train' | 'test', options: OpenDatasetOptions): LoadedSource {
  const data = readCifar(directoryFiles(directory), variant, {
    split,
    ...(options.label ? { label: options.label } : {}),
    ...(options.checkOfficialSizes === undefined ? {} : { checkOfficialSizes: options.checkOfficialSizes }),
  });
  return { store: data.store, labels: data.labels, classNames: data.classNames, skipped: [], uniformSize: { width: 32, height: 32 }, description: `${variant} ${split} (${directory})`, family: 'cifar' };
}

async function loadSource(source: DatasetSource, split: 'train' | 'test', folderSplit: SplitName, options: OpenDatasetOptions): Promise<LoadedSource> {
  if (source === 'synthetic') {
    const data = generateSynthetic({ split, ...options.synthetic });
    return { ...data, skipped: [], uniformSize: { width: 32, height: 32 }, description: `synthetic ${split} (seed ${options.synthetic?.seed ?? 0})`, family: 'synthetic' };
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
    return cifarSource(directory, variant, split, options);
  }
  if (typeof source !== 'string' || source === '') throw invalidArgument(`openDataset: source must be 'cifar10', 'cifar100', 'synthetic' or a path, got ${JSON.stringify(source)}`);
  const where = path.resolve(source);
  let stats;
  try {
    stats = statSync(where);
  } catch {
    throw new DatasetError('NOT_FOUND', `${where} does not exist (a source is 'cifar10', 'cifar100', 'synthetic', a CIFAR binary directory, an image folder, or a .tar/.tar.gz of one)`, { file: where });
  }
  const onBadImage = options.onBadImage ?? 'error';
  const memoryLimit = options.memoryLimit ?? defaultMemoryLimit();
  const cacheDecoded = options.cacheDecoded ?? true;
  if (stats.isDirectory()) {
    // A CIFAR binary directory, or a directory holding one (such as the cache directory). Only the
    // release's own names are looked at: listing every class directory of an ImageNet tree would be slow.
    const probes = [...Object.values(CIFAR_LAYOUT).map((layout) => layout.directory), ''].flatMap((dir) =>
      ['data_batch_1.bin', 'test_batch.bin', 'batches.meta.txt', 'train.bin', 'test.bin', 'fine_label_names.txt'].map((file) => (dir === '' ? file : `${dir}/${file}`)),
    );
    const cifar = detectCifar(probes.filter((name) => existsSync(path.join(where, name))));
    if (cifar !== undefined) return cifarSource(path.join(where, cifar.directory), cifar.variant, split, options);
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

function lastNormalize(transforms: readonly TransformSpec[]): { mean: number[]; std: number[] } {
  const found = [...transforms].reverse().find((t) => t.type === 'normalize');
  return found?.type === 'normalize' ? { mean: [...found.mean], std: [...found.std] } : { mean: [0, 0, 0], std: [1, 1, 1] };
}

/** Why the recipe fits the data, for `preprocessing.reason`. */
function recipeGrounds(loaded: LoadedSource, native: { width: number; height: number } | undefined, small: boolean, options: OpenDatasetOptions): string {
  if (options.augmentation === 'cifar' || options.augmentation === 'imagenet') return `augmentation '${options.augmentation}' was asked for`;
  if (loaded.family === 'cifar') return 'CIFAR images are 32×32';
  if (loaded.family === 'synthetic') return 'synthetic images are 32×32';
  const bound = `${SMALL_IMAGE}×${SMALL_IMAGE}`;
  const sizes = loaded.uniformSize
    ? `images are all ${loaded.uniformSize.width}×${loaded.uniformSize.height}`
    : loaded.typicalSize
      ? `images are ${describeTypicalSize(loaded.typicalSize)}`
      : undefined;
  if (sizes === undefined || native === undefined) return 'image sizes are unknown (no sampled image could be read), so not known to be small';
  return small ? `${sizes}, within ${bound}` : `${sizes}, larger than ${bound}`;
}

/**
 * Chooses the pipelines: a saved run's, or the recipe that fits the data (CIFAR's for raw 32×32 sources and
 * folders of typically small images, ImageNet's otherwise), with the user's replacements applied. The
 * typical size is the most common one, so a few odd images do not switch a folder to 224×224 crops.
 */
function choosePreprocessing(loaded: LoadedSource, options: OpenDatasetOptions): Preprocessing {
  if (options.preprocessing) {
    const p = options.preprocessing;
    const imageSize = toSize2(p.imageSize, 'preprocessing.imageSize');
    // A saved record keeps the reason its recipe was chosen for (on the training data); older records have none.
    const reason = p.reason ?? `${p.recipe ?? 'saved'} recipe, ${imageSize[1]}×${imageSize[0]} batches: given in options.preprocessing`;
    return { ...p, imageSize, channels: 3, train: compose(p.train), eval: compose(p.eval), reason };
  }
  const native = loaded.uniformSize ?? loaded.typicalSize;
  const small = native !== undefined && native.width <= SMALL_IMAGE && native.height <= SMALL_IMAGE;
  const recipe = options.augmentation === 'cifar' || options.augmentation === 'imagenet' ? options.augmentation : loaded.family !== 'folder' || small ? 'cifar' : 'imagenet';
  const imageSize = toSize2(options.imageSize ?? (recipe === 'cifar' && native ? [native.height, native.width] : 224), 'imageSize');
  const stats = recipe === 'cifar' ? { mean: CIFAR_MEAN, std: CIFAR_STD } : { mean: IMAGENET_MEAN, std: IMAGENET_STD };
  const norm = options.normalization ?? stats;
  let train: TransformSpec[];
  let evaluation: TransformSpec[];
  if (recipe === 'cifar') {
    // Images of another (or unknown) size are resized first; a resize to an image's own size is an exact
    // copy, so a size that was only guessed costs nothing.
    const known = loaded.uniformSize;
    const fit = known !== undefined && known.height === imageSize[0] && known.width === imageSize[1] ? [] : [resize(imageSize)];
    train = compose(fit, cifarTrain(imageSize, norm));
    evaluation = compose(fit, cifarEval(norm));
  } else {
    train = imagenetTrain(imageSize, norm);
    evaluation = imagenetEval(imageSize, norm);
  }
  if (options.evalTransforms) evaluation = compose(options.evalTransforms);
  if (options.augmentation === 'none') train = evaluation;
  else if (Array.isArray(options.augmentation)) train = compose(options.augmentation as readonly TransformSpec[]);
  const { mean, std } = lastNormalize(evaluation);
  const given = [
    options.imageSize !== undefined ? 'imageSize' : '',
    Array.isArray(options.augmentation) || options.augmentation === 'none' ? 'augmentation' : '',
    options.evalTransforms ? 'evalTransforms' : '',
  ].filter((name) => name !== '');
  const reason =
    `${recipe} recipe, ${imageSize[1]}×${imageSize[0]} batches: ${recipeGrounds(loaded, native, small, options)}` +
    (given.length > 0 ? `; ${given.join(', ')} as given` : '');
  return { imageSize, channels: 3, mean, std, train, eval: evaluation, recipe, reason };
}

/** Fails early when a pipeline cannot give images of the dataset's size (known for uniform sources). */
function checkPipelines(preprocessing: Preprocessing, loaded: LoadedSource): void {
  if (loaded.uniformSize === undefined) return;
  for (const [name, transforms] of [['train', preprocessing.train], ['eval', preprocessing.eval]] as const) {
    const out = outputSize(transforms, loaded.uniformSize.width, loaded.uniformSize.height);
    if (out.height !== preprocessing.imageSize[0] || out.width !== preprocessing.imageSize[1]) {
      throw invalidArgument(
        `the ${name} transforms turn ${loaded.uniformSize.height}×${loaded.uniformSize.width} images into ${out.height}×${out.width}, but imageSize is ${preprocessing.imageSize.join('×')}`,
      );
    }
  }
}

/** The optional full decode at open: every image once, through the workers. Returns store indices to leave out. */
async function verifyByDecoding(executor: BatchExecutor, loaded: LoadedSource, policy: BadImagePolicy, skipped: BadImage[]): Promise<Set<number>> {
  const excluded = new Set<number>();
  const chunk = 256;
  const tasks: Promise<void>[] = [];
  for (let start = 0; start < loaded.store.count; start += chunk) {
    const indices = Int32Array.from({ length: Math.min(chunk, loaded.store.count - start) }, (_, i) => start + i);
    tasks.push(
      executor.run({ indices, seed: 0, epoch: 0, transforms: [], outWidth: 0, outHeight: 0, decodeOnly: true }).then((result) => {
        for (const f of result.failures) {
          excluded.add(f.index);
          rejectImage(policy, skipped, f.file, f.reason);
        }
      }),
    );
  }
  await Promise.all(tasks);
  return excluded;
}

/**
 * Opens a dataset. `source` is 'cifar10' or 'cifar100' (downloaded into the cache when missing),
 * 'synthetic', or a path: a CIFAR binary directory or archive, an ImageFolder directory, or a .tar/.tar.gz
 * of one (read without unpacking; a single top-level directory such as train/ is read through).
 *
 * @example
 * const train = await openDataset('cifar10', { split: 'train', validation: { fraction: 0.1 } });
 * for await (const { xs, ys } of train.batches({ batchSize: 128, seed: 1, epoch })) {
 *   // ...train on xs, ys...
 *   tf.dispose([xs, ys]);
 * }
 */
export async function openDataset(source: DatasetSource, options: OpenDatasetOptions = {}): Promise<Dataset> {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test' && split !== 'validation') throw invalidArgument(`openDataset: split must be 'train', 'test' or 'validation', got ${JSON.stringify(split)}`);
  if (split === 'validation' && options.validation === undefined) {
    throw invalidArgument("openDataset: split 'validation' is a hold-out of the training set: give validation: { fraction } or { count }");
  }
  if (options.workers !== undefined && (!Number.isInteger(options.workers) || options.workers < 0)) throw invalidArgument(`openDataset: workers must be a non-negative integer, got ${options.workers}`);
  const baseSplit = split === 'test' ? 'test' : 'train';
  const loaded = await loadSource(source, baseSplit, split, options);
  const preprocessing = choosePreprocessing(loaded, options);
  checkPipelines(preprocessing, loaded);

  const workers = options.workers ?? (loaded.store.kind === 'pixels' ? 0 : defaultWorkers());
  const onBadImage = options.onBadImage ?? 'error';
  const skipped = [...loaded.skipped];
  const core: DatasetCore = {
    store: loaded.store,
    storeLabels: loaded.labels,
    classNames: loaded.classNames,
    description: loaded.description,
    onBadImage,
    skipped,
    skippedIndices: new Set(),
    createExecutor: () => (workers === 0 ? new InlineExecutor(loaded.store) : new WorkerPool(loaded.store, workers)),
    executor: undefined,
  };
  let indices = Int32Array.from({ length: loaded.store.count }, (_, i) => i);
  if (options.verify === 'decode') {
    core.executor = core.createExecutor();
    const excluded = await verifyByDecoding(core.executor, loaded, onBadImage, skipped);
    for (const index of excluded) core.skippedIndices.add(index);
    indices = indices.filter((i) => !excluded.has(i));
    checkClassesPopulated(Int32Array.from(indices, (i) => loaded.labels[i]!), loaded.classNames, skipped, loaded.description);
  } else if (options.verify !== undefined && options.verify !== 'structure') {
    throw invalidArgument(`openDataset: verify must be 'structure' or 'decode', got ${JSON.stringify(options.verify)}`);
  }
  const base = new Dataset(core, indices, baseSplit, preprocessing);
  if (options.validation === undefined || split === 'test') return base;
  const parts = base.holdout(options.validation);
  return split === 'validation' ? parts.validation : parts.train;
}
