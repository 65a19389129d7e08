// Optimizer steps in one native call: fusedSgdUpdate (PyTorch's SGD, what @fixclf/train uses) and the
// replaced applyGradients of tf.train.momentum / tf.train.sgd. Each against the same update computed with
// TF.js ops on the cpu backend, over several steps.
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

import { fusedSgdUpdate, setPrecision } from '../src/index';
import { native } from '../src/native';
import { silenceCpuFirstUseWarning } from '../src/tfjs-internals';
import { input, kernelNames, relativeError } from './helpers';

async function use(backend: 'onednn' | 'cpu') {
  await tf.setBackend(backend);
  silenceCpuFirstUseWarning(tf.backend() as MathBackendCPU);
}

/** A variable that alone holds its storage. */
function variable(values: Float32Array, shape: number[], trainable = true): tf.Variable {
  const t = tf.tensor(values, shape);
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
}

// Shapes of a small network, and one big enough (> 16k elements) for the update to be split across
// threads in the middle of a tensor.
const SHAPES = [[3, 3, 3, 8], [8], [8], [3, 3, 8, 16], [16], [50_000], [16, 10], [10]];
const STEPS = 5;
const LRS = [0.1, 0.1, 0.05, 0.2, 0.01];
const gradient = (step: number, i: number) => input(SHAPES[i]!, 1000 + 17 * step + i, 0.5).values as Float32Array;
const initial = (i: number) => input(SHAPES[i]!, 500 + i).values as Float32Array;

/** @fixclf/train's sgd.ts with TF.js ops: d = g + w·wd; v = v·μ + d (v = d first); w = w − u·lr. */
function referenceSgd(momentum: number, nesterov: boolean, decays: number[]): Float32Array[] {
  const weights = SHAPES.map((shape, i) => variable(initial(i), shape));
  const buffers: (tf.Tensor | null)[] = SHAPES.map(() => null);
  for (let step = 0; step < STEPS; step++) {
    weights.forEach((w, i) => {
      const g = tf.tensor(gradient(step, i), SHAPES[i]);
      tf.tidy(() => {
        const d = decays[i]! > 0 ? tf.add(g, tf.mul(w, decays[i]!)) : g;
        let update: tf.Tensor = d;
        if (momentum > 0) {
          const v = buffers[i] === null ? d.clone() : tf.add(tf.mul(buffers[i]!, momentum), d);
          buffers[i]?.dispose();
          buffers[i] = tf.keep(v);
          update = nesterov ? tf.add(d, tf.mul(v, momentum)) : v;
        }
        w.assign(tf.sub(w, tf.mul(update, LRS[step]!)));
      });
      g.dispose();
    });
  }
  const out = weights.map((w) => (w.dataSync() as Float32Array).slice());
  tf.dispose([...weights, ...buffers.filter((b): b is tf.Tensor => b !== null)]);
  return out;
}

function fusedSgd(momentum: number, nesterov: boolean, decays: number[]): { weights: Float32Array[]; inPlace: boolean } {
  const weights = SHAPES.map((shape, i) => variable(initial(i), shape));
  let buffers: (tf.Variable | null)[] = SHAPES.map(() => null);
  let inPlace = true;
  for (let step = 0; step < STEPS; step++) {
    const grads = SHAPES.map((shape, i) => tf.tensor(gradient(step, i), shape));
    const ids = weights.map((w) => w.dataId);
    buffers = fusedSgdUpdate(weights, grads, buffers, { lr: LRS[step]!, momentum, nesterov, weightDecay: decays });
    // From the second step on, every weight's storage is private to it: updated in place.
    if (step > 0) inPlace &&= weights.every((w, i) => w.dataId === ids[i]);
    tf.dispose(grads);
  }
  const out = weights.map((w) => (w.dataSync() as Float32Array).slice());
  tf.dispose([...weights, ...buffers.filter((b): b is tf.Variable => b !== null)]);
  return { weights: out, inPlace };
}

describe('fusedSgdUpdate: PyTorch’s SGD over every weight in one native call', () => {
  // Weight decay 5e-4, with two weights (the batch-norm-like vectors) excluded.
  const decays = SHAPES.map((_, i) => (i === 1 || i === 2 ? 0 : 5e-4));
  test.each([
    { momentum: 0.9, nesterov: false, decays },
    { momentum: 0.9, nesterov: true, decays },
    { momentum: 0, nesterov: false, decays },
    { momentum: 0.5, nesterov: false, decays: SHAPES.map(() => 0) },
  ])(
    'momentum $momentum, Nesterov $nesterov: within 1e-6 of the TF.js update over 5 steps, in place',
    async ({ momentum, nesterov, decays }) => {
      await use('cpu');
      const expected = referenceSgd(momentum, nesterov, decays);
      await use('onednn');
      const spy = jest.spyOn(native, 'sgdUpdate');
      const actual = fusedSgd(momentum, nesterov, decays);
      expect(spy).toHaveBeenCalledTimes(STEPS);
      expect(actual.inPlace).toBe(true);
      actual.weights.forEach((w, i) => {
        const error = relativeError(w, expected[i]!);
        if (!(error <= 1e-6)) throw new Error(`weight ${i}: relative error ${error}`);
      });
    },
  );

  test('storage that another tensor shares, or that was read out, is not written in place', async () => {
    await use('onednn');
    const start = new Float32Array([1, 2, 3]);
    const shared = tf.tensor(start);
    const w = tf.variable(shared); // shares `shared`'s storage
    const g = tf.tensor([1, 1, 1]);
    fusedSgdUpdate([w], [g], [null], { lr: 0.5 });
    expect(Array.from(shared.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(w.dataSync())).toEqual([0.5, 1.5, 2.5]);
    const seen = w.dataSync(); // the storage itself: it must keep the values it showed
    fusedSgdUpdate([w], [g], [null], { lr: 0.5 });
    expect(Array.from(seen)).toEqual([0.5, 1.5, 2.5]);
    expect(Array.from(w.dataSync())).toEqual([0, 1, 2]);
    tf.dispose([shared, w, g]);
  });

  test('does not leak tensors across steps', async () => {
    await use('onednn');
    const w = variable(new Float32Array(10).fill(1), [10]);
    const g = tf.ones([10]);
    let buffers = fusedSgdUpdate([w], [g], [null], { lr: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: true });
    const count = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) buffers = fusedSgdUpdate([w], [g], buffers, { lr: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: true });
    expect(tf.memory().numTensors).toBe(count);
    tf.dispose([w, g, ...buffers.filter((b): b is tf.Variable => b !== null)]);
  });

  test('rejects what it cannot do, naming it', async () => {
    await use('onednn');
    const w = variable(new Float32Array(4), [4]);
    expect(() => fusedSgdUpdate([w], [tf.zeros([3])], [null], { lr: 0.1 })).toThrow(/gradient 0 has shape \[3\], its variable \[4\]/);
    expect(() => fusedSgdUpdate([w], [tf.zeros([4], 'int32')], [null], { lr: 0.1 })).toThrow(/gradient 0 is int32/);
    expect(() => fusedSgdUpdate([w], [tf.zeros([4])], [null], { lr: 0.1, nesterov: true })).toThrow(/Nesterov momentum needs momentum > 0/);
    expect(() => fusedSgdUpdate([w], [], [], { lr: 0.1 })).toThrow(/1 variables, 0 gradients/);
    const g = tf.zeros([4]);
    expect(() => fusedSgdUpdate([w, w], [g, g], [null, null], { lr: 0.1, weightDecay: [0, -1e-4] })).toThrow(
      /weight decay 1 is -0\.0001; each must be a number ≥ 0/,
    );
    expect(() => fusedSgdUpdate([w], [g], [null], { lr: 0.1, weightDecay: Number.NaN })).toThrow(/weight decay 0 is NaN/);
    await use('cpu');
    expect(() => fusedSgdUpdate([w], [tf.zeros([4])], [null], { lr: 0.1 })).toThrow(/needs the 'onednn' backend active/);
    await use('onednn');
    w.dispose();
  });
});

describe('bf16 copies of a weight updated in place', () => {
  afterAll(() => setPrecision('fp32'));

  (native.bf16Support().supported ? test : test.skip)('the next convolution uses the updated weight', async () => {
    await use('onednn');
    setPrecision('bf16');
    const x = tf.tensor4d(input([2, 6, 6, 4], 1).values, [2, 6, 6, 4]);
    const w = variable(input([3, 3, 4, 8], 2, 0.5).values as Float32Array, [3, 3, 4, 8]);
    const g = tf.tensor(input([3, 3, 4, 8], 3).values, [3, 3, 4, 8]);
    fusedSgdUpdate([w], [g], [null], { lr: 0.5 }); // now w's storage is its own
    const y1 = tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
    const id = w.dataId;
    fusedSgdUpdate([w], [g], [null], { lr: 0.5 });
    expect(w.dataId).toBe(id); // updated in place: same dataId, new values
    const y2 = tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
    const copy = tf.tensor4d(w.dataSync().slice(), [3, 3, 4, 8]);
    const expected = tf.conv2d(x, copy, 1, 'same');
    expect(Array.from(y2.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(relativeError(y2.dataSync(), y1.dataSync())).toBeGreaterThan(0.1);
    tf.dispose([x, w, g, y1, y2, copy, expected]);
  });
});

describe('tf.train.momentum and tf.train.sgd run their update in one native call', () => {
  /** Trains SHAPES' variables with `make()` for 5 steps; weights and optimizer weights after. */
  async function train(backend: 'onednn' | 'cpu', make: () => tf.Optimizer) {
    await use(backend);
    const weights = SHAPES.map((shape, i) => variable(initial(i), shape));
    const optimizer = make();
    let kernels: string[] = [];
    for (let step = 0; step < STEPS; step++) {
      const grads: tf.NamedTensorMap = {};
      weights.forEach((w, i) => (grads[w.name] = tf.tensor(gradient(step, i), SHAPES[i])));
      // One weight without a gradient in this step: TF.js skips it (keeping its place: momentum's
      // accumulations are matched to gradients by position).
      if (step === 2) {
        grads[weights[1]!.name]!.dispose();
        (grads as Record<string, tf.Tensor | null>)[weights[1]!.name] = null;
      }
      if (step === 3) kernels = await kernelNames(() => optimizer.applyGradients(grads));
      else optimizer.applyGradients(grads);
      tf.dispose(Object.values(grads).filter((g) => g != null));
    }
    const values = weights.map((w) => (w.dataSync() as Float32Array).slice());
    const state = await optimizer.getWeights();
    const optimizerValues = state.map(({ name, tensor }) => ({ name, values: (tensor.dataSync() as Float32Array).slice() }));
    const names = weights.map((w) => w.name);
    optimizer.dispose();
    tf.dispose(weights);
    return { values, optimizerValues, kernels, names };
  }

  test.each([
    { name: 'momentum', make: () => tf.train.momentum(0.05, 0.9) },
    { name: 'momentum (Nesterov)', make: () => tf.train.momentum(0.05, 0.9, true) },
    { name: 'sgd', make: () => tf.train.sgd(0.1) },
  ])('$name: within 1e-6 of TF.js on cpu over 5 steps, with no element-wise kernels', async ({ make }) => {
    const expected = await train('cpu', make);
    const spy = jest.spyOn(native, 'sgdUpdate');
    const actual = await train('onednn', make);
    expect(spy).toHaveBeenCalledTimes(STEPS);
    expect(expected.kernels).toEqual(expect.arrayContaining(['Multiply', 'Add']));
    expect(actual.kernels).toEqual([]);
    actual.values.forEach((w, i) => {
      const error = relativeError(w, expected.values[i]!);
      if (!(error <= 1e-6)) throw new Error(`weight ${i}: relative error ${error}`);
    });
    // The same optimizer state: iterations, then (momentum) the accumulations named `${weight}/momentum`.
    const rename = (run: typeof actual) =>
      run.optimizerValues.map(({ name }, i) => (i === 0 ? name : name.replace(run.names[i - 1]!, 'w')));
    expect(rename(actual)).toEqual(rename(expected));
    expect(actual.optimizerValues[0]!.name).toBe('iter');
    actual.optimizerValues.forEach((entry, i) => {
      expect(relativeError(entry.values, expected.optimizerValues[i]!.values)).toBeLessThanOrEqual(1e-6);
    });
  });

  test('a tf.layers model trained with optimizer "sgd" on onednn', async () => {
    await use('onednn');
    const spy = jest.spyOn(native, 'sgdUpdate');
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = tf.tensor(input([8, 4], 5).values, [8, 4]);
    const ys = tf.tensor(input([8, 3], 6).values, [8, 3]);
    const before = (await model.evaluate(xs, ys)) as tf.Scalar;
    await model.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0 });
    const after = (await model.evaluate(xs, ys)) as tf.Scalar;
    expect(spy).toHaveBeenCalledTimes(3);
    expect(after.dataSync()[0]).toBeLessThan(before.dataSync()[0]!);
    tf.dispose([xs, ys, before, after]);
    model.dispose();
  });
});
