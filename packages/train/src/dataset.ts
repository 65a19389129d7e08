import type { Batch } from '@fixclf/datasets';

/**
 * A batch as the trainer takes it: NHWC float32 images and one-hot labels, and where @fixclf/datasets
 * gives it, the batch's place in the epoch (`index`), which keeps the step count right when a batch of
 * unreadable images only was left out.
 */
export type TrainBatch = Pick<Batch, 'xs' | 'ys'> & { readonly index?: number };

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
  }): AsyncIterable<TrainBatch>;
}
