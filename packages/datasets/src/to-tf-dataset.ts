import type { BatchOptions } from './batch-options';
import { checkedBatchOptions, type Batch, type Dataset } from './dataset';

/** The part of the tf.data namespace used here (pass `tf.data`); keeps @tensorflow/tfjs-data out of the dependencies. */
export interface TfDataGenerator<D> {
  generator(iterator: () => AsyncIterator<Batch>): D;
}

/**
 * Adapts a dataset to tf.data for model.fitDataset / evaluateDataset. Each pass over the result (each
 * fitDataset epoch) is the next epoch, starting from options.epoch (default 0): the order and augmentation
 * change per epoch exactly as batches({ seed, epoch }) would. fitDataset disposes the batches.
 *
 * A pass takes its epoch when its first batch is asked for, not when its iterator is made: tfjs-layers'
 * fitDataset makes one iterator before its epoch loop that it never reads (and a new one for each epoch),
 * so counting iterators would start training at epoch 1.
 *
 * options.startBatch (resuming mid-epoch) applies to the first pass only: the epochs after it are whole.
 *
 * @example
 * await model.fitDataset(toTfDataset(train, tf.data, { batchSize: 128, seed: 1 }), { epochs: 10 });
 */
export function toTfDataset<D>(dataset: Dataset, data: TfDataGenerator<D>, options: BatchOptions = {}): D {
  checkedBatchOptions(dataset, options); // bad options fail here, not inside fitDataset
  let epoch = options.epoch ?? 0;
  let startBatch = options.startBatch ?? 0;
  const nextPass = (): AsyncGenerator<Batch, void, undefined> => {
    const pass = dataset.batches({ ...options, epoch: epoch++, startBatch });
    startBatch = 0; // only the resumed epoch starts part-way; every later one is whole
    return pass;
  };
  return data.generator(() => {
    let pass: AsyncGenerator<Batch, void, undefined> | undefined;
    return { next: () => (pass ??= nextPass()).next() };
  });
}
