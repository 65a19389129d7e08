import * as tf from '@tensorflow/tfjs-core';
import { resolveBatchOptions, type BatchOptions, type ResolvedBatchOptions } from './batch-options';
import { DatasetError, describeCause, invalidArgument } from './errors';
import { holdoutPositions, type HoldoutOptions } from './holdout';
import { decodeImage } from './image/decode';
import { inspectImage } from './image/inspect-image';
import { EncodedReader, sampleName, type ImageStore } from './image-store';
import type { Preprocessing } from './preprocessing';
import { mixSeed, mulberry32, permutation } from './random';
import { emptyClass, SKIP_BAD_IMAGES_ADVICE, type BadImage, type BadImagePolicy } from './sources/encoded-images';
import type { SplitName } from './sources/image-folder-layout';
import type { BatchResult } from './workers/batch-task';
import type { BatchExecutor } from './workers/executor';

/** A batch as plain arrays: what the workers make, before it becomes tensors. */
export interface ArrayBatch {
  /** NHWC float32 values. */
  readonly x: Float32Array;
  readonly shape: [number, number, number, number];
  readonly labels: Int32Array;
  /** Dataset positions (0…size-1) of the images, in batch order. */
  readonly positions: Int32Array;
  /**
   * The batch's place in the epoch (0-based; startBatch counts). With onBadImage 'skip' a batch of
   * unreadable images only is left out, so a consumer counting batches would fall behind; this does not.
   */
  readonly index: number;
}

/** A batch of tensors. The consumer owns them: dispose both (tf.dispose(batch)) after use. model.fitDataset does. */
export interface Batch extends tf.TensorContainerObject {
  readonly xs: tf.Tensor4D;
  /** One-hot float32 [B, numClasses], or int32 [B] with labels: 'int'. */
  readonly ys: tf.Tensor;
  /** The batch's place in the epoch, as ArrayBatch's. */
  readonly index: number;
}

/** A decoded image, before any transform. */
export interface DatasetImage {
  /** height × width × 3 bytes, RGB. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly label: number;
  readonly file: string;
}

/** What views of one opened source share: the images, the threads, the tally of skipped files. */
export interface DatasetCore {
  readonly store: ImageStore;
  readonly storeLabels: Int32Array;
  readonly classNames: readonly string[];
  readonly description: string;
  readonly unsplit: boolean;
  readonly onBadImage: BadImagePolicy;
  readonly skipped: BadImage[];
  readonly skippedIndices: Set<number>;
  /** Images of each class in the store, and how many of them were skipped (as skippedIndices). */
  readonly classSizes: Int32Array;
  readonly skippedPerClass: Int32Array;
  /** Labels that must keep an image (default all), and the folder or archive that EMPTY_CLASS names. */
  readonly presentClasses: readonly number[] | undefined;
  readonly where: string;
  readonly createExecutor: () => BatchExecutor;
  executor: BatchExecutor | undefined;
}

const ORDER_SALT = 0x4f726472;

/**
 * An opened dataset split: images, labels and class names, and batches of tensors from them. Views made
 * by holdout() share the images and worker threads of the dataset they came from.
 */
export class Dataset {
  readonly size: number;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  /** [height, width] of batch images. */
  readonly imageSize: readonly [number, number];
  /** [height, width, 3]: the shape of one image in a batch (a model's input shape). */
  readonly shape: readonly [number, number, number];
  readonly split: SplitName;
  /** Labels of positions 0…size-1. */
  readonly labels: Int32Array;
  /** Files left out under onBadImage: 'skip' (grows if a bad file is met while making batches). */
  readonly skipped: readonly BadImage[];
  readonly description: string;
  /**
   * True for a folder or archive of classes without split directories or a split name: every split reads
   * the same images, so its 'test' split is no test set for a model trained on its 'train' split.
   */
  readonly unsplit: boolean;

  /** Made by openDataset() and holdout(); not meant to be called directly. */
  constructor(
    private readonly core: DatasetCore,
    /** Store index of each position. */
    private readonly indices: Int32Array,
    split: SplitName,
    readonly preprocessing: Preprocessing,
  ) {
    this.size = indices.length;
    this.classNames = core.classNames;
    this.numClasses = core.classNames.length;
    this.imageSize = preprocessing.imageSize;
    this.shape = [preprocessing.imageSize[0], preprocessing.imageSize[1], 3];
    this.split = split;
    this.labels = Int32Array.from(indices, (i) => core.storeLabels[i]!);
    this.skipped = core.skipped;
    this.description = `${core.description}, split ${split}`;
    this.unsplit = core.unsplit;
  }

  /** Batches per epoch for these options. */
  numBatches(options: Pick<BatchOptions, 'batchSize' | 'dropRemainder'> = {}): number {
    const batchSize = options.batchSize ?? 32;
    return options.dropRemainder ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
  }

  /** The order of positions in one epoch: a seeded permutation of (seed, epoch), or 0…size-1. */
  epochOrder(options: Pick<BatchOptions, 'shuffle' | 'seed' | 'epoch'> = {}): Int32Array {
    const o = resolveBatchOptions(options, this.split === 'train');
    return o.shuffle
      ? permutation(this.size, mulberry32(mixSeed(o.seed, o.epoch, ORDER_SALT)))
      : Int32Array.from({ length: this.size }, (_, i) => i);
  }

  /**
   * One epoch of { xs, ys } tensor batches: an async iterator for a hand-written loop (`for await`), and
   * for tf.data.generator / toTfDataset. Batches are decoded and augmented ahead of the consumer in worker
   * threads; only wrapping the arrays into tensors happens on the calling thread. Dispose each batch.
   */
  batches(options: BatchOptions = {}): AsyncGenerator<Batch, void, undefined> {
    const resolved = checkedBatchOptions(this, options);
    const arrays = this.arrayBatches(resolved);
    const numClasses = this.numClasses;
    return (async function* () {
      for await (const batch of arrays) yield toTensors(batch, resolved.labels, numClasses);
    })();
  }

  /** The same batches as plain arrays, with no TensorFlow.js involved. */
  arrays(options: BatchOptions = {}): AsyncGenerator<ArrayBatch, void, undefined> {
    return this.arrayBatches(checkedBatchOptions(this, options));
  }

  private executor(): BatchExecutor {
    this.core.executor ??= this.core.createExecutor();
    return this.core.executor;
  }

  private async *arrayBatches(o: ResolvedBatchOptions): AsyncGenerator<ArrayBatch, void, undefined> {
    const order = this.epochOrder(o);
    const count = this.numBatches(o);
    const executor = this.executor();
    const transforms = o.augment ? this.preprocessing.train : this.preprocessing.eval;
    const [outHeight, outWidth] = this.imageSize;
    // A worker pool keeps every thread busy plus one batch ready while the consumer trains; the inline
    // executor computes a batch when it is asked for.
    const depth = o.prefetch ?? (executor.background ? executor.parallelism + 1 : 1);
    const queue: { index: number; positions: Int32Array; result: Promise<BatchResult> }[] = [];
    let next = o.startBatch;
    const launch = (): void => {
      const positions = order.subarray(next * o.batchSize, Math.min((next + 1) * o.batchSize, this.size));
      next++;
      const indices = Int32Array.from(positions, (p) => this.indices[p]!);
      const result = executor.run({ indices, seed: o.seed, epoch: o.epoch, transforms, outWidth, outHeight });
      result.catch(() => undefined); // rethrown when its turn comes; never an unhandled rejection meanwhile
      queue.push({ index: next - 1, positions, result });
    };
    for (;;) {
      while (next < count && queue.length < depth) launch();
      const item = queue.shift();
      if (item === undefined) return;
      const batch = this.applyPolicy(item.index, item.positions, await item.result, outHeight, outWidth);
      if (batch !== undefined) yield batch;
    }
  }

  /** Fails on a bad image, or (onBadImage: 'skip') drops it from the batch and records it. */
  private applyPolicy(index: number, positions: Int32Array, result: BatchResult, height: number, width: number): ArrayBatch | undefined {
    const labels = Int32Array.from(positions, (p) => this.labels[p]!);
    if (result.failures.length === 0) return { x: result.x, shape: [positions.length, height, width, 3], labels, positions, index };
    const first = result.failures[0]!;
    if (this.core.onBadImage === 'error') {
      throw new DatasetError('BAD_IMAGE', `${first.file}: ${first.reason} (${SKIP_BAD_IMAGES_ADVICE})`, { file: first.file });
    }
    const failed = new Set(result.failures.map((f) => f.position));
    for (const f of result.failures) {
      if (this.core.skippedIndices.has(f.index)) continue;
      this.core.skipped.push({ file: f.file, reason: f.reason });
      recordSkip(this.core, f.index);
    }
    const keep = positions.length - failed.size;
    if (keep === 0) return undefined;
    const per = height * width * 3;
    const x = new Float32Array(keep * per);
    const keptPositions = new Int32Array(keep);
    const keptLabels = new Int32Array(keep);
    let k = 0;
    for (let i = 0; i < positions.length; i++) {
      if (failed.has(i)) continue;
      x.set(result.x.subarray(i * per, (i + 1) * per), k * per);
      keptPositions[k] = positions[i]!;
      keptLabels[k] = labels[i]!;
      k++;
    }
    return { x, shape: [keep, height, width, 3], labels: keptLabels, positions: keptPositions, index };
  }

  /** Splits off a seeded, by default class-stratified, hold-out set. Both parts share this dataset's images and threads. */
  holdout(options: HoldoutOptions): { train: Dataset; validation: Dataset } {
    const { train, validation } = holdoutPositions(this.labels, this.numClasses, options);
    return {
      train: new Dataset(
        this.core,
        Int32Array.from(train, (p) => this.indices[p]!),
        'train',
        this.preprocessing,
      ),
      validation: new Dataset(
        this.core,
        Int32Array.from(validation, (p) => this.indices[p]!),
        'validation',
        this.preprocessing,
      ),
    };
  }

  /** Decodes image `position` as stored, before any transform. */
  async readImage(position: number): Promise<DatasetImage> {
    if (!Number.isInteger(position) || position < 0 || position >= this.size)
      throw invalidArgument(`readImage: position must be an integer in [0, ${this.size - 1}], got ${position}`);
    const index = this.indices[position]!;
    const store = this.core.store;
    const file = sampleName(store, index);
    const label = this.labels[position]!;
    if (store.kind === 'pixels') {
      const bytes = store.width * store.height * 3;
      return { data: store.data.slice(index * bytes, (index + 1) * bytes), width: store.width, height: store.height, label, file };
    }
    const reader = new EncodedReader(store);
    try {
      const encoded = reader.read(index);
      const image = await decodeImage(encoded, inspectImage(encoded));
      return { data: image.data, width: image.width, height: image.height, label, file };
    } catch (cause) {
      throw new DatasetError('BAD_IMAGE', `${file}: ${describeCause(cause)}`, { file, cause });
    } finally {
      reader.close();
    }
  }

  /** Stops this dataset's worker threads (shared with its holdout views); a later batches() starts them again. */
  async close(): Promise<void> {
    const executor = this.core.executor;
    this.core.executor = undefined;
    await executor?.close();
  }
}

/**
 * The batch options with their defaults, checked here (not at the first batch) against the dataset: a
 * startBatch past the epoch's end would silently give an empty epoch. startBatch equal to the number of
 * batches (an epoch finished exactly, e.g. a run stopped during its validation) stays allowed.
 */
export function checkedBatchOptions(dataset: Dataset, options: BatchOptions): ResolvedBatchOptions {
  const resolved = resolveBatchOptions(options, dataset.split === 'train');
  const count = dataset.numBatches(resolved);
  if (resolved.startBatch > count) {
    throw invalidArgument(
      `batches: startBatch must be at most the epoch's number of batches, ${count} (${dataset.size} images, batchSize ${resolved.batchSize}` +
        `${resolved.dropRemainder ? ', dropRemainder' : ''}), got ${resolved.startBatch}`,
    );
  }
  return resolved;
}

/**
 * Counts a skipped store index against its class. Images read from disk are only checked when decoded, so
 * a class whose last image fails here is the EMPTY_CLASS that a folder held in memory reports at open.
 */
export function recordSkip(core: DatasetCore, index: number): void {
  core.skippedIndices.add(index);
  const label = core.storeLabels[index]!;
  if (++core.skippedPerClass[label]! < core.classSizes[label]!) return;
  if (core.presentClasses === undefined || core.presentClasses.includes(label))
    throw emptyClass(core.classNames[label]!, core.where, core.skipped.length);
}

function toTensors(batch: ArrayBatch, labels: 'onehot' | 'int', numClasses: number): Batch {
  const n = batch.labels.length;
  const xs = tf.tensor4d(batch.x, batch.shape, 'float32');
  if (labels === 'int') return { xs, ys: tf.tensor1d(batch.labels, 'int32'), index: batch.index };
  const onehot = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) onehot[i * numClasses + batch.labels[i]!] = 1;
  return { xs, ys: tf.tensor2d(onehot, [n, numClasses], 'float32'), index: batch.index };
}
