import type { BatchOptions } from './batch-options';
import type { Batch, Dataset } from './dataset';

/** The part of the tf.data namespace used here (pass `tf.data`); keeps @tensorflow/tfjs-data out of the dependencies. */
export interface TfDataGenerator<D> {
  generator(iterator: () => AsyncIterator<Batch>): D;
}

/**
 * Adapts a dataset to tf.data for model.fitDataset / evaluateDataset. Each iteration over the result (each
 * fitDataset epoch) is the next epoch, starting from options.epoch (default 0): the order and augmentation
 * change per epoch exactly as batches({ seed, epoch }) would. fitDataset disposes the batches.
 *
 * @example
 * await model.fitDataset(toTfDataset(train, tf.data, { batchSize: 128, seed: 1 }), { epochs: 10 });
 */
export function toTfDataset<D>(dataset: Dataset, data: TfDataGenerator<D>, options: BatchOptions = {}): D {
  let epoch = options.epoch ?? 0;
  return data.generator(() => dataset.batches({ ...options, epoch: epoch++ }));
}
