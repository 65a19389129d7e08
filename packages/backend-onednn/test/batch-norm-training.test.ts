// @fixclf/layers' training-mode batch norm as one op (fuseBatchNormTraining) on 'onednn': its gradient
// kernel is this backend's native batch-norm pass, registered under the name layers defines. Against
// tf.layers' own batch norm on the same backend: the same outputs, moving averages and gradients, in
// float32 and bf16, through a whole ResNet-20 step, with far fewer kernel calls.
// The forward kernel computes moments, normalisation and the moving averages in one call.
import * as tf from '@tensorflow/tfjs';

import {
  BATCH_NORM_TRAINING as LAYERS_BATCH_NORM_TRAINING,
  BATCH_NORM_TRAINING_GRAD as LAYERS_BATCH_NORM_TRAINING_GRAD,
  fuseBatchNormTraining,
} from '@fixclf/layers';
import { createModel } from '@fixclf/models';

import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, setPrecision } from '../src/index';
import { input, relativeError } from './helpers';

const SIZE = 16;

beforeAll(async () => {
  await tf.setBackend('onednn');
});

afterEach(() => setPrecision('fp32'));

test('the kernels have the names @fixclf/layers gives them, and are registered for onednn', () => {
  expect(BATCH_NORM_TRAINING).toBe(LAYERS_BATCH_NORM_TRAINING);
  expect(BATCH_NORM_TRAINING_GRAD).toBe(LAYERS_BATCH_NORM_TRAINING_GRAD);
  expect(tf.getKernel(BATCH_NORM_TRAINING, 'onednn')).toBeDefined();
  expect(tf.getKernel(BATCH_NORM_TRAINING_GRAD, 'onednn')).toBeDefined();
});

interface Step {
  loss: number;
  grads: Map<string, Float32Array>;
  moving: Map<string, Float32Array>;
  kernels: string[];
}

// One ResNet-20 training step from the same weights and batch, with tf.layers' batch norm or the fused one.
async function resnetStep(fused: boolean, batch: number): Promise<Step> {
  const model = createModel('resnet20', { numClasses: 10, classifier: 'learned', inputShape: [SIZE, SIZE, 3], seed: 3 });
  if (fused) expect(fuseBatchNormTraining(model)).toBe(21);
  const x = tf.tensor4d(input([batch, SIZE, SIZE, 3], 11).values, [batch, SIZE, SIZE, 3]);
  const labels = tf
    .oneHot(
      tf.tensor1d(
        [...Array(batch).keys()].map((i) => (i * 7) % 10),
        'int32',
      ),
      10,
    )
    .toFloat();
  let step: Omit<Step, 'kernels'> | null = null;
  const profile = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    );
    step = { loss: value.dataSync()[0]!, grads: new Map(), moving: new Map() };
    for (const [name, g] of Object.entries(grads)) step.grads.set(name.replace(/_\d+$/, ''), (g.dataSync() as Float32Array).slice());
    tf.dispose([value, ...Object.values(grads)]);
  });
  for (const w of model.weights) {
    if (w.originalName.includes('moving')) step!.moving.set(w.originalName, (w.read().dataSync() as Float32Array).slice());
  }
  tf.dispose([x, labels]);
  model.weights.forEach((w) => w.read().dispose());
  return { ...step!, kernels: profile.kernels.map((k) => k.name) };
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
