import os from 'node:os';
import { checkPipelines, choosePreprocessing, type PreprocessingOptions } from './choose-preprocessing';
import { Dataset, recordSkip, type DatasetCore } from './dataset';
import { invalidArgument, showValue } from './errors';
import { checkHoldoutOptions, type HoldoutOptions } from './holdout';
import { resolveSource, type DatasetSource, type SourceOptions } from './resolve-source';
import {
  BAD_IMAGE_POLICIES,
  checkClassesPopulated,
  classCounts,
  rejectImage,
  type BadImage,
  type BadImagePolicy,
} from './sources/encoded-images';
import type { SplitName } from './sources/image-folder-layout';
import type { LoadedSource } from './sources/image-source';
import type { BatchExecutor } from './workers/executor';
import { InlineExecutor } from './workers/inline-executor';
import { WorkerPool } from './workers/worker-pool';

export type { DatasetSource } from './resolve-source';

export interface OpenDatasetOptions extends SourceOptions, PreprocessingOptions {
  /** 'train' (default), 'test', or 'validation': the hold-out described by `validation`. */
  readonly split?: SplitName | undefined;
  /** Hold out part of the training set: split 'train' then gives the rest, split 'validation' the hold-out. */
  readonly validation?: HoldoutOptions | undefined;
  /** Worker threads for decoding and augmenting. Default: none for raw pixels (CIFAR, synthetic), else cores - 1 (at least 1). */
  readonly workers?: number | undefined;
  /** 'structure' (default): check each image's format and completeness when opened; 'decode': decode every image once as well. */
  readonly verify?: 'structure' | 'decode' | undefined;
}

/** Fails unless `value` (when given) is one of `allowed`: a misspelling is never taken for the default. */
function checkChoice(name: string, value: unknown, allowed: readonly string[], also = ''): void {
  if (value === undefined || allowed.includes(value as string)) return;
  const names = [...allowed.map((a) => `'${a}'`), ...(also === '' ? [] : [also])];
  const choices = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  throw invalidArgument(`openDataset: ${name} must be ${choices}, got ${showValue(value)}`);
}

/** The options that pick a behaviour by name or number, checked before anything is read. */
function checkSourceOptions(options: OpenDatasetOptions): void {
  if (!Array.isArray(options.augmentation))
    checkChoice('augmentation', options.augmentation, ['cifar', 'imagenet', 'none'], 'a transform list');
  checkChoice('onBadImage', options.onBadImage, BAD_IMAGE_POLICIES);
  checkChoice('label', options.label, ['fine', 'coarse']);
  const limit = options.memoryLimit;
  if (limit !== undefined && !(typeof limit === 'number' && limit >= 0))
    throw invalidArgument(
      `openDataset: memoryLimit must be a number of bytes ≥ 0 (0: read every image from disk), got ${showValue(limit)}`,
    );
}

function defaultWorkers(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, cores - 1);
}

/** The optional full decode at open: every image once, through the workers. Returns store indices to leave out. */
async function verifyByDecoding(
  executor: BatchExecutor,
  loaded: LoadedSource,
  policy: BadImagePolicy,
  skipped: BadImage[],
): Promise<Set<number>> {
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
  if (split !== 'train' && split !== 'test' && split !== 'validation')
    throw invalidArgument(`openDataset: split must be 'train', 'test' or 'validation', got ${JSON.stringify(split)}`);
  if (split === 'validation' && options.validation === undefined) {
    throw invalidArgument("openDataset: split 'validation' is a hold-out of the training set: give validation: { fraction } or { count }");
  }
  if (options.workers !== undefined && (!Number.isInteger(options.workers) || options.workers < 0))
    throw invalidArgument(`openDataset: workers must be a non-negative integer, got ${options.workers}`);
  checkSourceOptions(options);
  if (options.validation !== undefined) checkHoldoutOptions(options.validation); // also for split 'test'
  const baseSplit = split === 'test' ? 'test' : 'train';
  const loaded = await resolveSource(source, baseSplit, split, options);
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
    unsplit: loaded.unsplit ?? false,
    onBadImage,
    skipped,
    skippedIndices: new Set(),
    classSizes: classCounts(loaded.labels, loaded.classNames.length),
    skippedPerClass: new Int32Array(loaded.classNames.length),
    presentClasses: loaded.presentClasses,
    where: loaded.where ?? loaded.description,
    createExecutor: () => (workers === 0 ? new InlineExecutor(loaded.store) : new WorkerPool(loaded.store, workers)),
    executor: undefined,
  };
  let indices = Int32Array.from({ length: loaded.store.count }, (_, i) => i);
  if (options.verify === 'decode') {
    const executor = core.createExecutor();
    core.executor = executor;
    try {
      const excluded = await verifyByDecoding(executor, loaded, onBadImage, skipped);
      indices = indices.filter((i) => !excluded.has(i));
      checkClassesPopulated(
        Int32Array.from(indices, (i) => loaded.labels[i]!),
        loaded.classNames,
        skipped,
        core.where,
        loaded.presentClasses,
      );
      for (const index of excluded) recordSkip(core, index);
    } catch (error) {
      // No dataset will own the threads: stop them, and the decoding still queued, before failing.
      core.executor = undefined;
      await executor.close();
      throw error;
    }
  } else if (options.verify !== undefined && options.verify !== 'structure') {
    throw invalidArgument(`openDataset: verify must be 'structure' or 'decode', got ${JSON.stringify(options.verify)}`);
  }
  const base = new Dataset(core, indices, baseSplit, preprocessing);
  if (options.validation === undefined || split === 'test') return base;
  const parts = base.holdout(options.validation);
  return split === 'validation' ? parts.validation : parts.train;
}
