// @fixclf/layers' training-mode batch norm as one op (fuseBatchNormTraining) on 'onednn': its gradient
// kernel is this backend's native batch-norm pass, registered under the name layers defines. Against
// tf.layers' own batch norm on the same backend: the same outputs, moving averages and gradients, in
// float32 and bf16, through a whole ResNet-20 step, with far fewer kernel calls.
// The forward kernel computes moments, normalisation and the moving averages in one call.
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

import {
  BATCH_NORM_TRAINING as LAYERS_BATCH_NORM_TRAINING,
  BATCH_NORM_TRAINING_GRAD as LAYERS_BATCH_NORM_TRAINING_GRAD,
  fuseBatchNormTraining,
} from '@fixclf/layers';
import { createModel } from '@fixclf/models';

import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, setPrecision } from '../src/index';
import { silenceCpuFirstUseWarning } from '../src/tfjs-internals';
import { input, lossAndGradients, movingAverages, relativeError, spreadLabels, type TrainingStep } from './helpers';

const SIZE = 16;

type BatchNorm = ReturnType<typeof tf.layers.batchNormalization>;

/** One training call of a batch norm on `backend`: output, moving statistics and the gradients of Σ y·w. */
async function batchNormStep(backend: 'onednn' | 'cpu', fused: boolean, shape: number[], seed: number) {
  await tf.setBackend(backend);
  silenceCpuFirstUseWarning(tf.backend() as MathBackendCPU);
  const channels = shape.at(-1)!;
  const layer: BatchNorm = tf.layers.batchNormalization({ momentum: 0.7, epsilon: 1e-3 });
  layer.build([null, ...shape.slice(1)]);
  layer.setWeights([1, 2, 3, 4].map((k) => tf.tensor1d(input([channels], seed + k).values.map((v) => (k === 4 ? 1 + Math.abs(v) : v)))));
  if (fused) expect(fuseBatchNormTraining([layer])).toBe(1);
  const x = tf.tensor(
    input(shape, seed).values.map((v) => 3 * v - 1),
    shape,
  );
  const w = tf.tensor(input(shape, seed + 9).values, shape);
  const [gamma, beta] = layer.trainableWeights.map((v) => v.read());
  let y: Float32Array | null = null;
  const grads = tf.grads((xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    layer.trainableWeights[0]!.write(g);
    layer.trainableWeights[1]!.write(b);
    const out = layer.apply(xs, { training: true }) as tf.Tensor;
    y = (out.dataSync() as Float32Array).slice();
    return tf.sum(tf.mul(out, w));
  })([x, gamma!, beta!]);
  return {
    y: y!,
    grads: grads.map((g) => (g.dataSync() as Float32Array).slice()),
    moving: layer
      .getWeights()
      .slice(2)
      .map((t) => (t.dataSync() as Float32Array).slice()),
  };
}

describe.each(['fp32', 'bf16'] as const)('one batch norm as one op in %s, against tf.layers on cpu', (precision) => {
  it.each([[[6, 5]], [[4, 3, 33]], [[2, 3, 3, 20]], [[3, 2, 2, 64]]])(
    'shape %p: output, gradients for x, γ and β, moving averages',
    async (shape) => {
      const reference = await batchNormStep('cpu', false, shape, 40);
      setPrecision(precision);
      const native = await batchNormStep('onednn', true, shape, 40);
      setPrecision('fp32');
      // bf16 rounds the normalised activations and the gradients' inputs: bf16's tolerance, 2e-2 of the scale.
      const tolerance = precision === 'bf16' ? 2e-2 : 1e-4;
      expect(relativeError(native.y, reference.y)).toBeLessThan(tolerance);
      native.grads.forEach((g, i) => expect(relativeError(g, reference.grads[i]!)).toBeLessThan(tolerance));
      // The moving averages come from the batch moments of x, which bf16 does not round here (x is float32).
      native.moving.forEach((m, i) => expect(relativeError(m, reference.moving[i]!)).toBeLessThan(1e-5));
    },
  );
});

test('an empty batch moves the moving averages as tf.layers does (batch moments 0), never by pooled garbage', async () => {
  const moving = async (backend: 'onednn' | 'cpu', fused: boolean) => {
    await tf.setBackend(backend);
    silenceCpuFirstUseWarning(tf.backend() as MathBackendCPU);
    const layer: BatchNorm = tf.layers.batchNormalization({ momentum: 0.7 });
    layer.build([null, 5]);
    if (fused) expect(fuseBatchNormTraining([layer])).toBe(1);
    // TF.js cannot differentiate an empty batch (its Sub gradient reshapes 0 values to 5): forward only.
    tf.dispose(layer.apply(tf.zeros([0, 5]), { training: true }) as tf.Tensor);
    return layer
      .getWeights()
      .slice(2)
      .map((t) => Array.from(t.dataSync()));
  };
  const reference = await moving('cpu', false);
  expect(reference[0]!.every((m) => m === 0)).toBe(true); // the moving mean: 0 moved towards 0
  // Fill the pool with numbers first, so that memory left unwritten would show.
  await tf.setBackend('onednn');
  tf.dispose(tf.tidy(() => [1, 2, 3, 4].map((k) => tf.add(tf.ones([5]), k))));
  expect(await moving('onednn', true)).toEqual(reference);
});

beforeEach(async () => {
  await tf.setBackend('onednn');
});

afterEach(() => setPrecision('fp32'));

test('the kernels have the names @fixclf/layers gives them, and are registered for onednn', () => {
  expect(BATCH_NORM_TRAINING).toBe(LAYERS_BATCH_NORM_TRAINING);
  expect(BATCH_NORM_TRAINING_GRAD).toBe(LAYERS_BATCH_NORM_TRAINING_GRAD);
  expect(tf.getKernel(BATCH_NORM_TRAINING, 'onednn')).toBeDefined();
  expect(tf.getKernel(BATCH_NORM_TRAINING_GRAD, 'onednn')).toBeDefined();
});

interface Step extends TrainingStep {
  moving: Map<string, Float32Array>;
  kernels: string[];
}

// One ResNet-20 training step from the same weights and batch, with tf.layers' batch norm or the fused one.
async function resnetStep(fused: boolean, batch: number): Promise<Step> {
  const model = createModel('resnet20', { numClasses: 10, classifier: 'learned', inputShape: [SIZE, SIZE, 3], seed: 3 });
  if (fused) expect(fuseBatchNormTraining(model)).toBe(21);
  const x = tf.tensor4d(input([batch, SIZE, SIZE, 3], 11).values, [batch, SIZE, SIZE, 3]);
  const labels = spreadLabels(batch);
  let step: TrainingStep | null = null;
  const profile = await tf.profile(() => {
    step = lossAndGradients(model, x, labels);
  });
  const moving = movingAverages(model);
  tf.dispose([x, labels]);
  model.dispose();
  return { ...step!, moving, kernels: profile.kernels.map((k) => k.name) };
}

describe.each(['fp32', 'bf16'] as const)('a ResNet-20 training step in %s', (precision) => {
  it('gives the loss, gradients and moving averages of tf.layers batch norm, with far fewer kernels', async () => {
    setPrecision(precision);
    const stock = await resnetStep(false, 8);
    const fused = await resnetStep(true, 8);
    expect(fused.loss).toBeCloseTo(stock.loss, 6);
    expect([...fused.grads.keys()].sort()).toEqual([...stock.grads.keys()].sort());
    expect(fused.grads.size).toBe(65);
    // The same native passes, the moving averages rounded as TF.js's ops round them: the same numbers up
    // to the order of parallel sums (the thread count follows the machine's load between the two steps).
    for (const [name, g] of stock.grads) expect(relativeError(fused.grads.get(name)!, g)).toBeLessThan(1e-5);
    expect(fused.moving.size).toBe(42);
    for (const [name, m] of stock.moving) expect(relativeError(fused.moving.get(name)!, m)).toBeLessThan(1e-6);
    // One native call each way per batch norm (19 on the main path, 2 on projection shortcuts), and no
    // moments, FusedBatchNorm or moving-average arithmetic as TF.js ops.
    for (const kernel of [BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD]) {
      expect(fused.kernels.filter((k) => k === kernel)).toHaveLength(21);
      expect(stock.kernels.filter((k) => k === kernel)).toHaveLength(0);
    }
    for (const kernel of ['FusedBatchNorm', 'Square']) expect(fused.kernels.filter((k) => k === kernel)).toHaveLength(0);
    // The one Mean left is the global average pool's; tf.moments adds two per batch norm.
    expect(fused.kernels.filter((k) => k === 'Mean')).toHaveLength(1);
    expect(stock.kernels.filter((k) => k === 'Mean')).toHaveLength(1 + 2 * 21);
    expect(fused.kernels.length).toBeLessThan(0.5 * stock.kernels.length);
  });
});
