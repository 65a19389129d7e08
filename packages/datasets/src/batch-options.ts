import { invalidArgument } from './errors';

export interface BatchOptions {
  /** Images per batch (default 32). */
  readonly batchSize?: number | undefined;
  /** Shuffle the order each epoch (default: true for the 'train' split, false otherwise). */
  readonly shuffle?: boolean | undefined;
  /** Seed of the order and of the augmentation (default 0). The same seed and epoch give identical batches. */
  readonly seed?: number | undefined;
  /**
   * Epoch index (default 0), part of the seed: epoch e of a resumed run is exactly epoch e of an
   * uninterrupted one. A trainer passes { seed, epoch }.
   */
  readonly epoch?: number | undefined;
  /** Apply the training transforms (default: true for 'train', false otherwise); else the evaluation transforms. */
  readonly augment?: boolean | undefined;
  /** Leave out a last, smaller batch (default false). */
  readonly dropRemainder?: boolean | undefined;
  /**
   * Begin the epoch at this batch (default 0): resuming mid-epoch gives exactly the batches the
   * uninterrupted epoch would have given from there, without making the skipped ones.
   */
  readonly startBatch?: number | undefined;
  /** 'onehot' (default): ys is float32 [B, numClasses]; 'int': ys is int32 [B]. */
  readonly labels?: 'onehot' | 'int' | undefined;
  /** Batches being made ahead of the consumer (default: one per worker thread, plus one). */
  readonly prefetch?: number | undefined;
}

export interface ResolvedBatchOptions {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly epoch: number;
  readonly augment: boolean;
  readonly dropRemainder: boolean;
  readonly startBatch: number;
  readonly labels: 'onehot' | 'int';
  readonly prefetch: number | undefined;
}

function integer(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw invalidArgument(`batches: ${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

export function resolveBatchOptions(options: BatchOptions, isTrain: boolean): ResolvedBatchOptions {
  const labels = options.labels ?? 'onehot';
  if (labels !== 'onehot' && labels !== 'int') throw invalidArgument(`batches: labels must be 'onehot' or 'int', got ${String(labels)}`);
  return {
    batchSize: integer(options.batchSize ?? 32, 'batchSize', 1),
    shuffle: options.shuffle ?? isTrain,
    seed: integer(options.seed ?? 0, 'seed', -(2 ** 53)),
    epoch: integer(options.epoch ?? 0, 'epoch', 0),
    augment: options.augment ?? isTrain,
    dropRemainder: options.dropRemainder ?? false,
    startBatch: integer(options.startBatch ?? 0, 'startBatch', 0),
    labels,
    prefetch: options.prefetch === undefined ? undefined : integer(options.prefetch, 'prefetch', 1),
  };
}
