import * as tf from '@tensorflow/tfjs';
import { CIFAR_MEAN, CIFAR_STD, openDataset, toTfDataset, type ArrayBatch, type Dataset } from '../src/index';
import { batchesDiffer } from './support/images';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Matches a thrown DatasetError INVALID_ARGUMENT with exactly this message. */
const invalid = (message: string) => expect.objectContaining({ name: 'DatasetError', code: 'INVALID_ARGUMENT', message });

async function collect(ds: Dataset, options = {}): Promise<ArrayBatch[]> {
  const out: ArrayBatch[] = [];
  for await (const b of ds.arrays({ batchSize: 64, ...options })) out.push(b);
  return out;
}

describe('batches', () => {
  let train: Dataset;
  beforeAll(async () => {
    train = await openDataset('synthetic', { synthetic: { size: 500 } });
  });

  it('describes itself: size, classes, shape, preprocessing', () => {
    expect(train.size).toBe(500);
    expect(train.numClasses).toBe(10);
    expect(train.shape).toEqual([32, 32, 3]);
    expect(train.preprocessing.mean).toEqual([...CIFAR_MEAN]);
    expect(train.preprocessing.std).toEqual([...CIFAR_STD]);
    expect(JSON.parse(JSON.stringify(train.preprocessing))).toEqual(train.preprocessing);
  });

  it('an epoch visits every image once, in batches of the asked size; one-hot ys match the labels', async () => {
    const seen: number[] = [];
    const sizes: number[] = [];
    for await (const { xs, ys } of train.batches({ batchSize: 64, seed: 3 })) {
      expect(xs.shape.slice(1)).toEqual([32, 32, 3]);
      expect(xs.dtype).toBe('float32');
      sizes.push(xs.shape[0]);
      const onehot = (await ys.array()) as number[][];
      onehot.forEach((row) => {
        expect(row.reduce((a, b) => a + b, 0)).toBe(1);
        seen.push(row.indexOf(1));
      });
      tf.dispose([xs, ys]);
    }
    expect(sizes).toEqual([64, 64, 64, 64, 64, 64, 64, 52]);
    const counts = new Array<number>(10).fill(0);
    for (const label of seen) counts[label]!++;
    expect(counts).toEqual(new Array<number>(10).fill(50)); // synthetic labels are balanced
    expect(train.numBatches({ batchSize: 64, dropRemainder: true })).toBe(7);
  });

  it('the labels of each batch are those of its positions, and int labels come as int32', async () => {
    for await (const { xs, ys } of train.batches({ batchSize: 100, labels: 'int', seed: 9 })) {
      expect(ys.dtype).toBe('int32');
      expect(ys.shape).toEqual([xs.shape[0]]);
      tf.dispose([xs, ys]);
    }
    for (const batch of await collect(train, { seed: 9 }))
      expect(Array.from(batch.labels)).toEqual(Array.from(batch.positions, (p) => train.labels[p]));
  });

  it('evaluation batches (augment: false) hold the normalised images in order', async () => {
    const [first] = await collect(train, { augment: false, shuffle: false });
    const image = await train.readImage(0);
    for (let i = 0; i < 32 * 32 * 3; i += 97)
      expect(first!.x[i]).toBeCloseTo((image.data[i]! / 255 - CIFAR_MEAN[i % 3]!) / CIFAR_STD[i % 3]!, 5);
    expect(Array.from(first!.positions.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
  });

  it('one seed and epoch give identical batches; another epoch or seed gives others', async () => {
    const a = await collect(train, { seed: 1, epoch: 2 });
    expect(batchesDiffer(await collect(train, { seed: 1, epoch: 2 }), a)).toBeUndefined();
    expect(batchesDiffer(await collect(train, { seed: 1, epoch: 3 }), a)).toMatch(/labels/);
    expect(batchesDiffer(await collect(train, { seed: 2, epoch: 2 }), a)).toMatch(/labels/);
    // Same order, but augmentation drawn anew: shuffle off, augment on.
    const p = await collect(train, { seed: 1, epoch: 0, shuffle: false });
    const q = await collect(train, { seed: 1, epoch: 1, shuffle: false });
    expect(batchesDiffer(p, q)).toMatch(/value/);
  });

  it('startBatch resumes an epoch mid-way with exactly the batches an uninterrupted epoch gives', async () => {
    const whole = await collect(train, { seed: 6, epoch: 4 });
    expect(batchesDiffer(await collect(train, { seed: 6, epoch: 4, startBatch: 5 }), whole.slice(5))).toBeUndefined();
  });

  it("startBatch past the end of the epoch fails at once, naming the epoch's batches; at the end it gives no batch", async () => {
    // 500 images in batches of 64: 8 batches, 7 with dropRemainder.
    const message = "batches: startBatch must be at most the epoch's number of batches, 8 (500 images, batchSize 64), got 9";
    expect(() => train.arrays({ batchSize: 64, startBatch: 9 })).toThrow(invalid(message));
    expect(() => train.batches({ batchSize: 64, startBatch: 9 })).toThrow(message);
    expect(() => toTfDataset(train, tf.data, { batchSize: 64, startBatch: 8, dropRemainder: true })).toThrow(
      "batches: startBatch must be at most the epoch's number of batches, 7 (500 images, batchSize 64, dropRemainder), got 8",
    );
    // An epoch finished exactly (a run stopped during its validation) resumes to no batch.
    expect(await collect(train, { startBatch: 8 })).toEqual([]);
  });

  it('worker threads make exactly the batches the calling thread makes', async () => {
    const threaded = await openDataset('synthetic', { synthetic: { size: 500 }, workers: 2 });
    try {
      expect(
        batchesDiffer(await collect(threaded, { seed: 4, epoch: 1, prefetch: 3 }), await collect(train, { seed: 4, epoch: 1 })),
      ).toBeUndefined();
    } finally {
      await threaded.close();
    }
  });

  it('leaves no tensor behind, also when the loop stops early', async () => {
    const before = tf.memory().numTensors;
    for await (const batch of train.batches({ batchSize: 50 })) tf.dispose(batch);
    let n = 0;
    for await (const batch of train.batches({ batchSize: 50 })) {
      tf.dispose([batch.xs, batch.ys]);
      if (++n === 2) break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options, naming them', async () => {
    await expect(collect(train, { batchSize: 0 })).rejects.toThrow(/batchSize must be an integer ≥ 1/);
    await expect(collect(train, { epoch: -1 })).rejects.toThrow(/epoch must be an integer ≥ 0/);
    await expect(collect(train, { labels: 'probabilities' })).rejects.toThrow(/labels must be 'onehot' or 'int'/);
    await expect(openDataset('synthetic', { split: 'validation' })).rejects.toThrow(/give validation: \{ fraction \} or \{ count \}/);
    await expect(openDataset('/no/such/place')).rejects.toThrow(/\/no\/such\/place does not exist/);
    // Misspelt choices are refused, not taken for the default (onBadImage 'Error' used to mean 'skip').
    const misspelt: [Record<string, unknown>, string][] = [
      [{ augmentation: 'CIFAR' }, `augmentation must be 'cifar', 'imagenet', 'none' or a transform list, got "CIFAR"`],
      [{ augmentation: 'flip' }, `augmentation must be 'cifar', 'imagenet', 'none' or a transform list, got "flip"`],
      [{ onBadImage: 'Error' }, `onBadImage must be 'error' or 'skip', got "Error"`],
      [{ label: 'Coarse' }, `label must be 'fine' or 'coarse', got "Coarse"`],
      [{ memoryLimit: NaN }, 'memoryLimit must be a number of bytes ≥ 0 (0: read every image from disk), got NaN'],
      [{ memoryLimit: -5 }, 'memoryLimit must be a number of bytes ≥ 0 (0: read every image from disk), got -5'],
    ];
    for (const [options, message] of misspelt)
      await expect(openDataset('synthetic', { synthetic: { size: 20 }, ...options })).rejects.toThrow(invalid(`openDataset: ${message}`));
    await expect(openDataset('synthetic', { imageSize: 40, augmentation: [] })).rejects.toThrow(
      /train transforms turn 32×32 images into 32×32, but imageSize is 40×40/,
    );
  });

  it("checks the validation options for split 'test' too, where they hold nothing out", async () => {
    const test = { split: 'test', synthetic: { size: 20 } } as const;
    await expect(openDataset('synthetic', { ...test, validation: { fraction: 2 } })).rejects.toThrow(
      invalid('validation.fraction must be in (0, 1), got 2'),
    );
    await expect(openDataset('synthetic', { ...test, validation: { count: 0.5 } })).rejects.toThrow(
      invalid('validation.count must be an integer ≥ 1, got 0.5'),
    );
    expect((await openDataset('synthetic', { ...test, validation: { fraction: 0.5 } })).size).toBe(20);
  });
});

describe('train / validation hold-out', () => {
  it('is deterministic, disjoint, complete and stratified', async () => {
    const all = await openDataset('synthetic', { synthetic: { size: 1000 } });
    const a = all.holdout({ fraction: 0.1, seed: 7 });
    const b = all.holdout({ fraction: 0.1, seed: 7 });
    expect(a.validation.size).toBe(100);
    expect(a.train.size).toBe(900);
    const firstImages = async (ds: Dataset) =>
      Promise.all([0, 1, 2].map(async (i) => Array.from((await ds.readImage(i)).data.subarray(0, 12))));
    expect(await firstImages(a.validation)).toEqual(await firstImages(b.validation));
    const files = async (ds: Dataset) => Promise.all(Array.from({ length: ds.size }, async (_, i) => (await ds.readImage(i)).file));
    const trainFiles = new Set(await files(a.train));
    const validationFiles = await files(a.validation);
    expect(validationFiles.filter((f) => trainFiles.has(f))).toEqual([]);
    expect(trainFiles.size + validationFiles.length).toBe(1000);
    const perClass = new Array<number>(10).fill(0);
    for (const label of a.validation.labels) perClass[label]!++;
    expect(perClass).toEqual(new Array<number>(10).fill(10));
    const other = all.holdout({ fraction: 0.1, seed: 8 });
    expect(await files(other.validation)).not.toEqual(validationFiles);
  });

  it('openDataset split "train" and "validation" with one seed are the two parts; validation defaults to no augmentation', async () => {
    const options = { synthetic: { size: 300 }, validation: { count: 30, seed: 1 } } as const;
    const train = await openDataset('synthetic', { ...options, split: 'train' });
    const validation = await openDataset('synthetic', { ...options, split: 'validation' });
    expect([train.size, validation.size]).toEqual([270, 30]);
    expect(validation.split).toBe('validation');
    const direct = (await openDataset('synthetic', { synthetic: { size: 300 } })).holdout({ count: 30, seed: 1 }).validation;
    expect(batchesDiffer(await collect(validation), await collect(direct, { augment: false, shuffle: false }))).toBeUndefined();
  });

  it('rejects fractions that leave a part empty', async () => {
    const ds = await openDataset('synthetic', { synthetic: { size: 20 } });
    expect(() => ds.holdout({ fraction: 1 })).toThrow(/fraction must be in \(0, 1\)/);
    expect(() => ds.holdout({ fraction: 0.01 })).toThrow(/leaves an empty split/);
    expect(() => ds.holdout({ count: 20 })).toThrow(/count must be an integer in \[1, 19\]/);
  });
});

describe('TensorFlow.js integration', () => {
  it('model.fitDataset trains from toTfDataset, each epoch a new order, without leaking tensors', async () => {
    const train = await openDataset('synthetic', { synthetic: { size: 128 } });
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [32, 32, 3] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
    });
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const before = tf.memory().numTensors;
    const history = await model.fitDataset(toTfDataset(train, tf.data, { batchSize: 32, seed: 2 }), { epochs: 2, verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
    expect(history.history.loss!.every((v) => Number.isFinite(v as number))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    // The adapter passes epoch 0, 1, …: the orders differ from epoch to epoch and match batches({ epoch }).
    const adapted = toTfDataset(train, tf.data, { batchSize: 128, labels: 'int', augment: false });
    const orders: number[][] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      const labels: number[] = [];
      await adapted.forEachAsync((b) => {
        labels.push(...((b as { ys: tf.Tensor }).ys.dataSync() as Int32Array));
        tf.dispose(b);
      });
      orders.push(labels);
      const direct = (await train.arrays({ batchSize: 128, augment: false, epoch }).next()).value!;
      expect(labels).toEqual(Array.from(direct.labels));
    }
    expect(orders[0]).not.toEqual(orders[1]);
    model.dispose();
  });

  it("model.fitDataset's epoch k trains on batches({ epoch: k }), though fitDataset makes an unused iterator first", async () => {
    const train = await openDataset('synthetic', { synthetic: { size: 64 } });
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [32, 32, 3] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
    });
    // Learning rate 0: the weights never change, so each batch's loss tells which batch it was.
    model.compile({ optimizer: tf.train.sgd(0), loss: 'categoricalCrossentropy' });
    const options = { batchSize: 32, seed: 3 };
    const trained: number[][] = [];
    await model.fitDataset(toTfDataset(train, tf.data, options), {
      epochs: 3,
      verbose: 0,
      callbacks: {
        onEpochBegin: async () => void trained.push([]),
        onBatchEnd: async (_batch, logs) => void trained[trained.length - 1]!.push(logs!.loss!),
      },
    });
    const direct: number[][] = [];
    for (let epoch = 0; epoch < 4; epoch++) {
      const losses: number[] = [];
      for await (const { xs, ys } of train.batches({ ...options, epoch })) {
        const loss = model.evaluate(xs, ys) as tf.Scalar;
        losses.push(loss.dataSync()[0]!);
        tf.dispose([xs, ys, loss]);
      }
      direct.push(losses);
    }
    const epochOf = (losses: number[]) =>
      direct.findIndex((d) => d.length === losses.length && d.every((v, i) => Math.abs(v - losses[i]!) < 1e-4));
    expect(trained.map(epochOf)).toEqual([0, 1, 2]);
    model.dispose();
  });

  it('toTfDataset resumed mid-epoch starts only its first pass at startBatch; later epochs are whole', async () => {
    const train = await openDataset('synthetic', { synthetic: { size: 100 } });
    const options = { batchSize: 10, seed: 1, labels: 'int' as const };
    const adapted = toTfDataset(train, tf.data, { ...options, epoch: 3, startBatch: 8 });
    const passes: number[][][] = [];
    for (let pass = 0; pass < 3; pass++) {
      const batches: number[][] = [];
      await adapted.forEachAsync((b) => {
        batches.push(Array.from((b as { ys: tf.Tensor }).ys.dataSync()));
        tf.dispose(b);
      });
      passes.push(batches);
    }
    const direct = async (epoch: number, startBatch = 0) => {
      const out: number[][] = [];
      for await (const b of train.arrays({ ...options, epoch, startBatch })) out.push(Array.from(b.labels));
      return out;
    };
    expect(passes.map((p) => p.length)).toEqual([2, 10, 10]);
    expect(passes).toEqual([await direct(3, 8), await direct(4), await direct(5)]);
  });

  it('toTfDataset checks its batch options at once', async () => {
    const train = await openDataset('synthetic', { synthetic: { size: 64 } });
    expect(() => toTfDataset(train, tf.data, { batchSize: 0 })).toThrow(/batchSize must be an integer ≥ 1, got 0/);
  });

  it('a saved preprocessing reproduces the evaluation pipeline', async () => {
    const a = await openDataset('synthetic', { synthetic: { size: 64 }, split: 'test', normalization: { mean: [0.5], std: [0.25] } });
    const saved = JSON.parse(JSON.stringify(a.preprocessing));
    const b = await openDataset('synthetic', { synthetic: { size: 64 }, split: 'test', preprocessing: saved });
    expect(b.preprocessing).toEqual(a.preprocessing);
    expect(batchesDiffer(await collect(b), await collect(a))).toBeUndefined();
  });
});
