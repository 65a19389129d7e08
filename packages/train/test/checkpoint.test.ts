import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadCheckpoint, saveCheckpoint } from '../src/checkpoint';
import { fileSystemHandler } from '../src/io/file-handler';
import { SGD } from '../src/optim/sgd';
import { temporaryDirectoryEachTest } from './fixtures/temp-dir';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dir = temporaryDirectoryEachTest('fixclf-ckpt-');

function smallModel(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [6], units: 8, kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
    ],
  });
}

describe('fileSystemHandler', () => {
  it("writes tfjs-node's file:// layout and loads it back with identical predictions", async () => {
    const model = smallModel(1);
    await model.save(fileSystemHandler(path.join(dir(), 'm')));
    expect((await fs.readdir(path.join(dir(), 'm'))).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await fs.readFile(path.join(dir(), 'm', 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const loaded = await tf.loadLayersModel(fileSystemHandler(path.join(dir(), 'm')));
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 3);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });

  it('refuses a damaged weights file, naming the directory', async () => {
    await smallModel(1).save(fileSystemHandler(path.join(dir(), 'm')));
    await fs.truncate(path.join(dir(), 'm', 'weights.bin'), 10);
    await expect(tf.loadLayersModel(fileSystemHandler(path.join(dir(), 'm')))).rejects.toThrow(
      /weights hold 10 bytes, the manifest describes \d+; the files are damaged/,
    );
  });

  it('leaves no temporary files next to the saved model', async () => {
    await smallModel(1).save(fileSystemHandler(path.join(dir(), 'm')));
    await smallModel(2).save(fileSystemHandler(path.join(dir(), 'm')));
    expect(await fs.readdir(dir())).toEqual(['m']);
  });
});

describe('checkpoints', () => {
  it('restore weights (BN statistics included) and momentum so training continues identically', async () => {
    const data = tf.randomNormal([16, 6], 0, 1, 'float32', 5);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32'), 3);
    const steps = (model: tf.LayersModel, sgd: SGD, n: number) => {
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      for (let i = 0; i < n; i++) {
        const { value, grads } = tf.variableGrads(
          () => tf.losses.softmaxCrossEntropy(labels, model.apply(data, { training: true }) as tf.Tensor) as tf.Scalar,
          vars,
        );
        sgd.step(grads, 0.1);
        tf.dispose([value, grads]);
      }
    };
    const straight = smallModel(7);
    const sgd1 = new SGD(
      straight.trainableWeights.map((w) => w.read() as tf.Variable),
      { momentum: 0.9, weightDecay: 1e-3 },
    );
    steps(straight, sgd1, 6);

    const first = smallModel(7);
    const sgd2 = new SGD(
      first.trainableWeights.map((w) => w.read() as tf.Variable),
      { momentum: 0.9, weightDecay: 1e-3 },
    );
    steps(first, sgd2, 3);
    await saveCheckpoint(dir(), first, sgd2, { epoch: 1, step: 3, meter: { lossSum: 1, count: 2, top1: 1, top5: 2 }, seconds: 4 });

    const resumed = smallModel(99); // different initial weights: all must come from the checkpoint
    const sgd3 = new SGD(
      resumed.trainableWeights.map((w) => w.read() as tf.Variable),
      { momentum: 0.9, weightDecay: 1e-3 },
    );
    const state = await loadCheckpoint(dir(), resumed, sgd3);
    expect(state).toEqual({ epoch: 1, step: 3, meter: { lossSum: 1, count: 2, top1: 1, top5: 2 }, seconds: 4 });
    steps(resumed, sgd3, 3);

    const a = straight.getWeights().map((w) => Array.from(w.dataSync()));
    const b = resumed.getWeights().map((w) => Array.from(w.dataSync()));
    expect(b.length).toBe(a.length);
    a.forEach((w, i) => w.forEach((v, j) => expect(b[i]![j]).toBeCloseTo(v, 5)));
  });

  it('refuses a checkpoint of another network', async () => {
    const model = smallModel(1);
    const sgd = new SGD(model.trainableWeights.map((w) => w.read() as tf.Variable));
    await saveCheckpoint(dir(), model, sgd, { epoch: 1, step: 0, meter: null, seconds: 0 });
    const other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 3 })] });
    await expect(loadCheckpoint(dir(), other, new SGD(other.trainableWeights.map((w) => w.read() as tf.Variable)))).rejects.toThrow(
      /holds 8 weights, the model has 2: not the same network/,
    );
  });

  it('makes its directories as the umask says, like the files, so that others can evaluate the run', async () => {
    // mkdtemp made them 0700 whatever the umask: run.json and the metrics were readable, the checkpoint not.
    const previous = process.umask(0o022);
    try {
      const model = smallModel(1);
      await saveCheckpoint(dir(), model, new SGD(model.trainableWeights.map((w) => w.read() as tf.Variable)), {
        epoch: 1,
        step: 0,
        meter: null,
        seconds: 0,
      });
      for (const sub of ['checkpoint', 'checkpoint/model']) {
        expect(((await fs.stat(path.join(dir(), sub))).mode & 0o777).toString(8)).toBe('755');
      }
      expect(((await fs.stat(path.join(dir(), 'checkpoint', 'state.json'))).mode & 0o777).toString(8)).toBe('644');
    } finally {
      process.umask(previous);
    }
  });

  it('says there is nothing to resume from', async () => {
    const model = smallModel(1);
    await expect(loadCheckpoint(dir(), model, new SGD([]))).rejects.toThrow(`No checkpoint to resume from in ${dir()}`);
  });
});
