import * as tf from '@tensorflow/tfjs';
import { batchNormTraining, fuseBatchNormTraining } from '../src/batch-norm-training';
import { maxAbsDiff, randomValues } from './reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type BatchNorm = ReturnType<typeof tf.layers.batchNormalization>;

/** Two batch norms with the same (non-trivial) weights; the second made to train as one op. */
function pair(shape: number[]): [BatchNorm, BatchNorm] {
  const channels = shape.at(-1)!;
  const make = () => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  const [stock, fused] = [make(), make()];
  for (const layer of [stock, fused]) layer.build([null, ...shape.slice(1)]);
  const weights = [0, 1, 2, 3].map((i) => tf.tensor1d(randomValues(channels, 10 + i).map((v) => (i === 3 ? 1 + Math.abs(v) : v))));
  stock.setWeights(weights);
  fused.setWeights(weights);
  expect(fuseBatchNormTraining([fused])).toBe(1);
  return [stock, fused];
}

/** loss = Σ y·w, its value, and its gradients for x, γ and β. */
function trainStep(layer: BatchNorm, x: tf.Tensor, w: tf.Tensor) {
  const [gamma, beta] = layer.trainableWeights.map((v) => v.read());
  const f = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    // Route γ and β through the layer's variables: tf.grads differentiates with respect to these inputs.
    layer.trainableWeights[0]!.write(g);
    layer.trainableWeights[1]!.write(b);
    return tf.sum(tf.mul(layer.apply(xs, { training: true }) as tf.Tensor, w));
  };
  const [dx, dg, db] = tf.grads(f)([x, gamma!, beta!]);
  const y = layer.apply(x, { training: false }) as tf.Tensor;
  return { dx: dx!, dg: dg!, db: db!, moving: layer.getWeights().slice(2), inference: y };
}

describe('batchNormTraining and fuseBatchNormTraining', () => {
  it.each([
    ['rank 4', [6, 5, 4, 8]],
    ['rank 2', [32, 16]],
    ['rank 3', [4, 7, 3]],
  ])('%s: outputs, moving averages and gradients as tf.layers computes them', (_, shape) => {
    const channels = shape.at(-1)!;
    const [stock, fused] = pair(shape);
    const size = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(
      randomValues(size, 3).map((v) => 2 * v + 0.5),
      shape,
    );
    const w = tf.tensor(randomValues(size, 4), shape);
    expect(
      maxAbsDiff(
        (fused.apply(x, { training: true }) as tf.Tensor).dataSync(),
        (stock.apply(x, { training: true }) as tf.Tensor).dataSync(),
      ),
    ).toBeLessThan(1e-5);
    const a = trainStep(stock, x, w);
    const b = trainStep(fused, x, w);
    for (const key of ['dx', 'dg', 'db'] as const) {
      const scale = Math.max(1, ...Array.from(a[key].abs().dataSync()));
      expect(maxAbsDiff(b[key].dataSync(), a[key].dataSync()) / scale).toBeLessThan(1e-5);
    }
    // Moving mean and variance after two training calls each (forward above, and inside the gradient).
    for (let i = 0; i < 2; i++) expect(maxAbsDiff(b.moving[i]!.dataSync(), a.moving[i]!.dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(b.moving[0]!.dataSync(), new Float32Array(channels))).toBeGreaterThan(1e-3); // they did move
    expect(maxAbsDiff(b.inference.dataSync(), a.inference.dataSync())).toBeLessThan(1e-6);
  });

  it('computes the full gradient through the batch moments: against the formula, in float64', () => {
    const [n, c] = [12, 3];
    const xv = randomValues(n * c, 21);
    const dyv = randomValues(n * c, 22);
    const gv = [0.5, -1.25, 2];
    const eps = 1e-3;
    const x = tf.tensor2d(xv, [n, c]);
    const [dx, dg, db] = tf.grads((xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(batchNormTraining(xs, g, b, eps), tf.tensor2d(dyv, [n, c]))),
    )([x, tf.tensor1d(gv), tf.zeros([c])]);
    for (let k = 0; k < c; k++) {
      const col = (v: ArrayLike<number>) => Array.from({ length: n }, (_, i) => v[i * c + k]!);
      const xs = col(xv);
      const dys = col(dyv);
      const mean = xs.reduce((s, v) => s + v, 0) / n;
      const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
      const rs = 1 / Math.sqrt(variance + eps);
      const xHat = xs.map((v) => (v - mean) * rs);
      const sumDy = dys.reduce((s, v) => s + v, 0);
      const sumDyXHat = dys.reduce((s, v, i) => s + v * xHat[i]!, 0);
      expect(db!.dataSync()[k]).toBeCloseTo(sumDy, 4);
      expect(dg!.dataSync()[k]).toBeCloseTo(sumDyXHat, 4);
      const expected = dys.map((v, i) => gv[k]! * rs * (v - sumDy / n - xHat[i]! * (sumDyXHat / n)));
      expect(maxAbsDiff(Float32Array.from(col(dx!.dataSync())), expected)).toBeLessThan(1e-4);
    }
  });

  it('runs far fewer kernels than tf.layers in a training step, and leaves no tensor behind', async () => {
    const shape = [4, 3, 3, 8];
    const [stock, fused] = pair(shape);
    const x = tf.randomNormal(shape, 0, 1, 'float32', 5);
    const kernels = async (layer: BatchNorm) => {
      const before = tf.memory().numTensors;
      const info = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x, { training: true }) as tf.Tensor));
        tf.dispose([value, ...Object.values(grads)]);
      });
      expect(tf.memory().numTensors).toBe(before);
      return info.kernels.length;
    };
    const [many, few] = [await kernels(stock), await kernels(fused)];
    // On cpu the backward pass is composed from ops; a backend with the gradient kernel runs one.
    expect(few).toBeLessThanOrEqual(0.75 * many);
  });

  it('trains under model.fit as tf.layers does: the same weights and moving averages after two steps', async () => {
    const build = () => {
      const input = tf.input({ shape: [4, 4, 3] });
      const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: 'glorotUniform', seed: 1 } as never);
      const bn = tf.layers.batchNormalization({ momentum: 0.8 });
      const flat = tf.layers.flatten();
      const dense = tf.layers.dense({ units: 2, kernelInitializer: 'glorotUniform', seed: 2 } as never);
      const output = dense.apply(flat.apply(tf.layers.reLU().apply(bn.apply(conv.apply(input))))) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: output });
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      return model;
    };
    const [stock, fused] = [build(), build()];
    fused.setWeights(stock.getWeights());
    expect(fuseBatchNormTraining(fused)).toBe(1);
    const x = tf.tensor4d(randomValues(8 * 4 * 4 * 3, 31), [8, 4, 4, 3]);
    const y = tf.tensor2d(randomValues(8 * 2, 32), [8, 2]);
    // fit reaches the layer through Layer.apply, which calls the instance's `call`: the one op's.
    const bn = fused.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
    const call = jest.spyOn(bn, 'call');
    for (const model of [stock, fused]) await model.fit(x, y, { batchSize: 4, epochs: 1, shuffle: false, verbose: 0 });
    expect(call.mock.calls.filter(([, kwargs]) => kwargs?.['training'] === true)).toHaveLength(2);
    const [a, b] = [stock.getWeights(), fused.getWeights()];
    expect(b).toHaveLength(a.length);
    a.forEach((w, i) => expect(maxAbsDiff(b[i]!.dataSync(), w.dataSync())).toBeLessThan(1e-5));
    // The moving mean moved, in both.
    const movingMean = stock.weights.findIndex((w) => w.originalName.endsWith('moving_mean'));
    expect(maxAbsDiff(a[movingMean]!.dataSync(), new Float32Array(4))).toBeGreaterThan(1e-3);
  });

  it('reaches the batch norms of a model nested as a layer (a backbone), with the same training outputs', () => {
    const build = () => {
      const input = tf.input({ shape: [4, 4, 3] });
      const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: 'glorotUniform', seed: 3 } as never);
      const backbone = tf.model({ inputs: input, outputs: tf.layers.batchNormalization().apply(conv.apply(input)) as tf.SymbolicTensor });
      return tf.sequential({ layers: [backbone, tf.layers.batchNormalization(), tf.layers.flatten()] });
    };
    const [stock, fused] = [build(), build()];
    fused.setWeights(stock.getWeights());
    expect(fuseBatchNormTraining(fused)).toBe(2);
    expect(fuseBatchNormTraining(fused)).toBe(0);
    const x = tf.tensor4d(randomValues(6 * 4 * 4 * 3, 33), [6, 4, 4, 3]);
    const [a, b] = [stock, fused].map((m) => (m.apply(x, { training: true }) as tf.Tensor).dataSync());
    expect(maxAbsDiff(b!, a!)).toBeLessThan(1e-5);
    stock.getWeights().forEach((w, i) => expect(maxAbsDiff(fused.getWeights()[i]!.dataSync(), w.dataSync())).toBeLessThan(1e-6));
  });

  it('leaves layers it cannot take, inference calls and the saved configuration as they were', () => {
    const off = tf.layers.batchNormalization({ center: false });
    const [channelsFirst, stockChannelsFirst] = [tf.layers.batchNormalization({ axis: 1 }), tf.layers.batchNormalization({ axis: 1 })];
    const input = tf.input({ shape: [4, 4, 2] });
    const bn = tf.layers.batchNormalization({});
    const model = tf.model({ inputs: input, outputs: bn.apply(input) as tf.SymbolicTensor });
    const json = JSON.stringify(model.toJSON(null, false));
    // Without β or γ: left alone. Channels first: changed, and its training calls go to tf.layers' own.
    expect(fuseBatchNormTraining([off, channelsFirst])).toBe(1);
    const nchw = tf.randomNormal([2, 3, 4, 4], 0, 1, 'float32', 7);
    const normalised = channelsFirst.apply(nchw, { training: true }) as tf.Tensor;
    expect(maxAbsDiff(normalised.dataSync(), (stockChannelsFirst.apply(nchw, { training: true }) as tf.Tensor).dataSync())).toBe(0);
    expect(fuseBatchNormTraining(model)).toBe(1);
    expect(fuseBatchNormTraining(model)).toBe(0);
    expect(JSON.stringify(model.toJSON(null, false))).toBe(json);
    expect(bn.getClassName()).toBe('BatchNormalization');
    const x = tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 6);
    const expected = bn.getWeights();
    // Inference uses the moving statistics and changes nothing.
    expect(maxAbsDiff((model.predict(x) as tf.Tensor).dataSync(), x.div(Math.sqrt(1 + 1e-3)).dataSync())).toBeLessThan(1e-5);
    bn.getWeights().forEach((w, i) => expect(maxAbsDiff(w.dataSync(), expected[i]!.dataSync())).toBe(0));
  });
});
