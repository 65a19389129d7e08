import type { Batch } from '@fixclf/datasets';

/** A batch as @fixclf/datasets yields it: NHWC float32 images and one-hot labels. */
export type { Batch };

/** What the trainer needs of a dataset (an `openDataset` result satisfies it). */
export interface TrainDataset {
  readonly size: number;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  batches(options: {
    batchSize: number;
    shuffle?: boolean;
    seed?: number;
    epoch?: number;
    augment?: boolean;
    dropRemainder?: boolean;
    /** Start at this batch of the epoch's order (resuming mid-epoch). */
    startBatch?: number;
  }): AsyncIterable<Batch>;
}
