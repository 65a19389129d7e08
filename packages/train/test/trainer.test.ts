import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { openDataset, type Batch, type Dataset } from '@fixclf/datasets';
import { createModel } from '@fixclf/models';
import { fixedClassifier } from '@fixclf/layers';
import { DivergenceError, evaluate, LineProgress, readMetrics, regime, selectBackend, train, type Regime, type TrainDataset } from '../src';
import { registerTinyModel } from './fixtures/tiny-model';
import { temporaryDirectoryEachTest } from './fixtures/temp-dir';

let trainSet: Dataset;
let testSet: Dataset;
const dir = temporaryDirectoryEachTest('fixclf-train-');

beforeAll(async () => {
  // The fastest backend here (onednn where it is built, else cpu): both runs of every comparison
  // below use the same one.
  await selectBackend('auto');
  registerTinyModel();
  trainSet = await openDataset('synthetic', { split: 'train', synthetic: { size: 256 } });
  testSet = await openDataset('synthetic', { split: 'test', synthetic: { size: 128 } });
});
afterAll(async () => {
  await trainSet.close();
  await testSet.close();
});

const quiet = new LineProgress(() => {});
const tinyRegime = (epochs: number): Regime => ({ ...regime('onecycle', { epochs, lr: 0.1, batchSize: 32 }) });
const tinyModel = (classifier: 'learned' | 'hadamard' = 'hadamard') =>
  createModel('tiny', { numClasses: 10, classifier, inputShape: [32, 32, 3], seed: 3 });

describe('evaluate', () => {
  // A network whose features are its input: the mean feature norm is the mean norm of the images,
  // computed here from the dataset's own batches, apart from the model.
  it.each(['hadamard', 'learned'] as const)('reports the mean norm of the features a %s classifier receives', async (kind) => {
    const input = tf.input({ shape: [32, 32, 3] });
    const features = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const head = kind === 'hadamard' ? fixedClassifier({ units: 10 }) : tf.layers.dense({ units: 10 });
    const model = tf.model({ inputs: input, outputs: head.apply(features) as tf.SymbolicTensor });
    let sum = 0;
    let count = 0;
    for await (const batch of testSet.batches({ batchSize: 48, shuffle: false, augment: false, dropRemainder: false })) {
      const pixels = batch.xs.dataSync();
      const size = 32 * 32 * 3;
      for (let i = 0; i < batch.xs.shape[0]!; i++) {
        let squares = 0;
        for (let j = i * size; j < (i + 1) * size; j++) squares += pixels[j]! * pixels[j]!;
        sum += Math.sqrt(squares);
        count++;
      }
      tf.dispose([batch.xs, batch.ys]);
    }
    const result = await evaluate(model, testSet, 48);
    expect(result.count).toBe(count);
    expect(result.featureNorm).toBeCloseTo(sum / count, 2);
    model.layers.forEach((l) => l.dispose());
  });

  // Each class's figures counted here from model.predict's argmax and the batches' one-hot labels.
  it("counts each class's images and top-1 hits", async () => {
    const model = tinyModel('learned');
    const count = new Array<number>(10).fill(0);
    const hits = new Array<number>(10).fill(0);
    for await (const batch of testSet.batches({ batchSize: 40, shuffle: false, augment: false, dropRemainder: false })) {
      const predicted = tf.tidy(() => (model.predict(batch.xs) as tf.Tensor).argMax(1).dataSync());
      const labels = tf.tidy(() => batch.ys.argMax(1).dataSync());
      labels.forEach((label, i) => {
        count[label]!++;
        if (predicted[i] === label) hits[label]!++;
      });
      tf.dispose([batch.xs, batch.ys]);
    }
    const result = await evaluate(model, testSet, 48, { perClass: true });
    expect(result.perClass!.map((c) => c.count)).toEqual(count);
    expect(Math.min(...count)).toBeGreaterThan(0);
    expect(hits.reduce((a, b) => a + b)).toBeGreaterThan(0);
    result.perClass!.forEach((c, label) => expect(c.top1).toBeCloseTo((100 * hits[label]!) / count[label]!, 10));
    // The classes' accuracies weighted by their counts are the whole split's.
    const weighted = result.perClass!.reduce((a, c) => a + c.count * (c.top1 ?? 0), 0) / result.count;
    expect(weighted).toBeCloseTo(result.top1, 10);
    expect((await evaluate(model, testSet, 48)).perClass).toBeUndefined();
    model.dispose();
  });
});

/** `dataset` as it is, each batch passed through `each`, which may hold it back a while or leave it out (null). */
function passedThrough(dataset: Dataset, each: (batch: Batch) => Promise<Batch | null>): TrainDataset {
  return {
    size: dataset.size,
    numClasses: dataset.numClasses,
    classNames: dataset.classNames,
    async *batches(options) {
      for await (const batch of dataset.batches(options)) {
        const kept = await each(batch);
        if (kept !== null) yield kept;
      }
    },
  };
}

describe('train', () => {
  it('learns, logs an epoch record per epoch to JSONL and CSV, and keeps a checkpoint', async () => {
    const model = tinyModel();
    const { records } = await train({
      model,
      train: trainSet,
      validation: testSet,
      regime: tinyRegime(3),
      seed: 1,
      runDir: dir(),
      progress: quiet,
    });
    expect(records.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(records[2]!.trainLoss).toBeLessThan(records[0]!.trainLoss);
    for (const r of records) {
      expect(r.valTop1).toBeGreaterThanOrEqual(0);
      expect(r.valTop5!).toBeGreaterThanOrEqual(r.valTop1!);
      expect(r.alpha).toBeGreaterThan(0);
      expect(r.featureNorm).toBeGreaterThan(0);
      expect(r.imagesPerSecond).toBeGreaterThan(0);
    }
    expect(await readMetrics(dir())).toEqual(records);
    const csv = (await fs.readFile(path.join(dir(), 'metrics.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('epoch,lr,trainLoss,trainError,valLoss,valTop1,valTop5,alpha,featureNorm,imagesPerSecond,seconds');
    expect(csv).toHaveLength(4);
    expect(Number(csv[3]!.split(',')[2])).toBeCloseTo(records[2]!.trainLoss, 10);
    const state = JSON.parse(await fs.readFile(path.join(dir(), 'checkpoint', 'state.json'), 'utf8'));
    expect(state.epoch).toBe(3);
  });

  it("counts an epoch's training in seconds and images/s, not its validation", async () => {
    const pause = 400;
    // The validation set as it is, each batch a pause late: the epoch's wall time grows by that much at least.
    const slowValidation = passedThrough(testSet, async (batch) => {
      await new Promise((resolve) => setTimeout(resolve, pause));
      return batch;
    });
    const started = performance.now();
    const { records } = await train({
      model: tinyModel(),
      train: trainSet,
      validation: slowValidation,
      regime: tinyRegime(1),
      seed: 1,
      progress: quiet,
    });
    const wall = (performance.now() - started) / 1000;
    const paused = (Math.ceil(testSet.size / 32) * pause) / 1000;
    expect(records[0]!.seconds).toBeLessThan(wall - paused);
    // 256 images, 8 batches of 32, all trained on.
    expect(records[0]!.imagesPerSecond).toBeCloseTo(256 / records[0]!.seconds, 6);
  });

  it('counts a batch left out of the epoch (all its images unreadable) as a step, by the batch index', async () => {
    // The training set as it is, with its third batch left out, as onBadImage 'skip' leaves out a batch of bad images only.
    const holey = passedThrough(trainSet, async (batch) => {
      if (batch.index !== 2) return batch;
      tf.dispose(batch);
      return null;
    });
    const r = tinyRegime(1);
    const { records } = await train({ model: tinyModel(), train: holey, regime: r, seed: 1, progress: quiet });
    // 256 images, 8 steps of 32: the last step taken is still step 8 of 8, at its own rate.
    expect(records[0]!.lr).toBe(r.schedule({ epoch: 0, step: 7, stepsPerEpoch: 8 }));
    expect(records[0]!.lr).not.toBe(r.schedule({ epoch: 0, step: 6, stepsPerEpoch: 8 }));
  });

  it('reports the validation figures that an independent evaluation of the final weights gives', async () => {
    const model = tinyModel('learned');
    const { records } = await train({ model, train: trainSet, validation: testSet, regime: tinyRegime(1), seed: 2, progress: quiet });
    let correct = 0;
    for await (const { xs, ys } of testSet.batches({ batchSize: 64 })) {
      const predicted = (model.predict(xs) as tf.Tensor).argMax(1).dataSync();
      const labels = ys.argMax(1).dataSync();
      predicted.forEach((p, i) => (correct += p === labels[i] ? 1 : 0));
      tf.dispose([xs, ys]);
    }
    expect(records[0]!.valTop1).toBeCloseTo((100 * correct) / testSet.size, 6);
    expect(records[0]!.alpha).toBeNull();
  });

  it('resumes an interrupted run to the same losses as an uninterrupted one', async () => {
    const straight = await train({
      model: tinyModel(),
      train: trainSet,
      validation: testSet,
      regime: tinyRegime(3),
      seed: 5,
      runDir: path.join(dir(), 'a'),
      progress: quiet,
    });

    // Interrupt in the middle of epoch 2 (after its third step), then resume in a fresh model.
    const controller = new AbortController();
    let steps = 0;
    const interrupting = {
      ...quiet,
      startEpoch: () => {},
      step: () => {
        if (++steps === 8 + 3) controller.abort();
      },
      endEpoch: () => {},
      stop: () => {},
    };
    const runDir = path.join(dir(), 'b');
    const first = await train({
      model: tinyModel(),
      train: trainSet,
      validation: testSet,
      regime: tinyRegime(3),
      seed: 5,
      runDir,
      progress: interrupting,
      signal: controller.signal,
    });
    expect(first.interrupted).toBe(true);
    expect(first.records).toHaveLength(1);
    const state = JSON.parse(await fs.readFile(path.join(runDir, 'checkpoint', 'state.json'), 'utf8'));
    expect([state.epoch, state.step]).toEqual([1, 3]);

    const resumed = await train({
      model: tinyModel('hadamard'),
      train: trainSet,
      validation: testSet,
      regime: tinyRegime(3),
      seed: 5,
      runDir,
      resume: true,
      progress: quiet,
    });
    expect(resumed.records.map((r) => r.epoch)).toEqual([1, 2, 3]);
    straight.records.forEach((r, i) => {
      expect(Math.abs(resumed.records[i]!.trainLoss - r.trainLoss)).toBeLessThan(1e-4);
      expect(Math.abs(resumed.records[i]!.valLoss! - r.valLoss!)).toBeLessThan(1e-4);
    });
    expect((await readMetrics(runDir)).map((r) => r.epoch)).toEqual([1, 2, 3]);
  });

  it('stops on a non-finite loss with a clear message and keeps the last good checkpoint', async () => {
    const base = tinyRegime(3);
    const exploding: Regime = { ...base, schedule: (p) => (p.epoch >= 1 ? 1e30 : base.schedule(p)) };
    const run = train({
      model: tinyModel('learned'),
      train: trainSet,
      validation: testSet,
      regime: exploding,
      seed: 1,
      runDir: dir(),
      progress: quiet,
    });
    await expect(run).rejects.toThrow(DivergenceError);
    await expect(
      train({
        model: tinyModel('learned'),
        train: trainSet,
        regime: exploding,
        seed: 1,
        runDir: path.join(dir(), 'again'),
        progress: quiet,
      }),
    ).rejects.toThrow(
      /Training diverged: the loss is not finite at epoch 2, step \d+ \(lr 1e\+30\)\. The last good checkpoint \(the end of epoch 1\) is kept in .*again; --resume continues from it\./,
    );
    const state = JSON.parse(await fs.readFile(path.join(dir(), 'checkpoint', 'state.json'), 'utf8'));
    expect(state.epoch).toBe(1);
    expect((await readMetrics(dir())).map((r) => r.epoch)).toEqual([1]);
  });

  it('names a write that fails (here metrics.csv, made a directory), what is kept, and resumes with the log whole', async () => {
    // A full disk used to print only "ENOSPC: no space left on device, write": no file, nothing on what was kept.
    const runDir = dir();
    const breakCsv = async (record: { epoch: number }): Promise<void> => {
      if (record.epoch !== 1) return;
      await fs.rm(path.join(runDir, 'metrics.csv'));
      await fs.mkdir(path.join(runDir, 'metrics.csv'));
    };
    let broken: Promise<void> = Promise.resolve();
    const failed = await train({
      model: tinyModel(),
      train: trainSet,
      regime: tinyRegime(3),
      seed: 2,
      runDir,
      progress: quiet,
      onEpoch: (record) => {
        broken = breakCsv(record);
      },
    }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failed).toMatch(/^Cannot write the metrics of this epoch in .*: EISDIR: /);
    expect(failed).toContain(`in ${runDir}: `);
    expect(failed).toContain(
      `The last good checkpoint (the end of epoch 2) is kept in ${runDir}; --resume continues from it. Fix that, then --resume.`,
    );
    await broken;
    await fs.rm(path.join(runDir, 'metrics.csv'), { recursive: true });
    const resumed = await train({
      model: tinyModel(),
      train: trainSet,
      regime: tinyRegime(3),
      seed: 2,
      runDir,
      resume: true,
      progress: quiet,
    });
    expect(resumed.records.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect((await readMetrics(runDir)).map((r) => r.epoch)).toEqual([1, 2, 3]);
    const csv = (await fs.readFile(path.join(runDir, 'metrics.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(4); // header and three epochs
  });

  it('leaks no tensors over an epoch', async () => {
    const model = tinyModel();
    await train({ model, train: trainSet, regime: tinyRegime(1), seed: 1, progress: quiet });
    const before = tf.memory().numTensors;
    await train({ model, train: trainSet, validation: testSet, regime: tinyRegime(2), seed: 1, progress: quiet });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a training set smaller than one batch', async () => {
    const small = await openDataset('synthetic', { split: 'train', synthetic: { size: 16 } });
    await expect(train({ model: tinyModel(), train: small, regime: tinyRegime(1), seed: 1, progress: quiet })).rejects.toThrow(
      'train: the training set has 16 images, fewer than one batch of 32.',
    );
    await small.close();
  });
});
