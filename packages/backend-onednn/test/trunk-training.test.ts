// @fixclf/layers' trunk as one op (fuseTrunkTraining) on 'onednn': the trunk kernels run the plan's steps
// as this backend's own kernels, called directly. Against tf.layers on the same backend (layer by layer,
// the batch norms fused as `fixclf train` runs them): the same loss, gradients and moving averages, in
// float32 and bf16, through a ResNet-20 step, with one kernel call each way instead of hundreds; a small
// plan against the same graph as TF.js ops on the cpu backend; nothing left behind whether or not the
// gradient is taken. (resnet-step.test.ts compares the fused step with the cpu backend's as well.)
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

import {
  TRUNK_TRAINING as LAYERS_TRUNK_TRAINING,
  TRUNK_TRAINING_GRAD as LAYERS_TRUNK_TRAINING_GRAD,
  type TrunkPlan,
  fuseBatchNormTraining,
  fuseTrunkTraining,
} from '@fixclf/layers';
import { createModel } from '@fixclf/models';

import type { OneDnnBackend } from '../src/backend';
import { TRUNK_TRAINING, TRUNK_TRAINING_GRAD, setPrecision } from '../src/index';
import { silenceCpuFirstUseWarning } from '../src/tfjs-internals';
import { input, lossAndGradients, movingAverages, relativeError, spreadLabels, type TrainingStep } from './helpers';

const SIZE = 16;

interface Step extends TrainingStep {
  moving: Map<string, Float32Array>;
  kernels: string[];
}

type Mode = 'batchNorm' | 'trunk';

// One ResNet-20 training step from the same weights and batch: layer by layer with each batch norm as one
// op, or with the whole trunk as one op.
async function resnetStep(mode: Mode, batch: number, name = 'resnet20', size = SIZE, trunkLayers = 73): Promise<Step> {
  await tf.setBackend('onednn');
  const model = createModel(name, { numClasses: 10, classifier: 'hadamard', inputShape: [size, size, 3], seed: 3 });
  fuseBatchNormTraining(model);
  // ResNet-20: 19 + 2 convolutions and batch norms, 19 ReLUs, 9 adds, 2 paddings, the pool: all but the input and the head.
  if (mode === 'trunk') expect(fuseTrunkTraining(model)).toBe(trunkLayers);
  const x = tf.tensor4d(input([batch, size, size, 3], 11).values, [batch, size, size, 3]);
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

test('the kernels have the names @fixclf/layers gives them, and are registered for onednn', () => {
  expect(TRUNK_TRAINING).toBe(LAYERS_TRUNK_TRAINING);
  expect(TRUNK_TRAINING_GRAD).toBe(LAYERS_TRUNK_TRAINING_GRAD);
  expect(tf.getKernel(TRUNK_TRAINING, 'onednn')).toBeDefined();
  expect(tf.getKernel(TRUNK_TRAINING_GRAD, 'onednn')).toBeDefined();
});

describe.each(['fp32', 'bf16'] as const)('a ResNet-20 training step in %s with the trunk as one op', (precision) => {
  it('gives the loss, gradients and moving averages of the layer-by-layer step, in two kernel calls', async () => {
    setPrecision(precision);
    const layered = await resnetStep('batchNorm', 8);
    const trunk = await resnetStep('trunk', 8);
    expect(trunk.loss).toBeCloseTo(layered.loss, 6);
    expect([...trunk.grads.keys()].sort()).toEqual([...layered.grads.keys()].sort());
    expect(trunk.grads.size).toBe(65); // 21 filters, 21 γ and 21 β, the head's α and bias
    // The same kernels in the same order: the same numbers, up to the order of parallel sums (the thread
    // count follows the machine's load between the two steps).
    for (const [name, g] of layered.grads) expect(relativeError(trunk.grads.get(name)!, g)).toBeLessThan(1e-5);
    expect(trunk.moving.size).toBe(42);
    for (const [name, m] of layered.moving) expect(relativeError(trunk.moving.get(name)!, m)).toBeLessThan(1e-6);
    expect(trunk.kernels.filter((k) => k === TRUNK_TRAINING)).toHaveLength(1);
    expect(trunk.kernels.filter((k) => k === TRUNK_TRAINING_GRAD)).toHaveLength(1);
    // No convolution, batch norm or ReLU goes through the engine: only the head, the loss and their gradients.
    for (const kernel of ['FusedConv2D', 'Conv2DBackpropFilter', 'FixclfBatchNormTraining', 'Relu']) {
      expect(trunk.kernels.filter((k) => k === kernel)).toHaveLength(0);
    }
    expect(trunk.kernels.length).toBeLessThan(60);
    expect(layered.kernels.length).toBeGreaterThan(300);
  });
});

// The ImageNet ResNets' trunks include the stem's max pooling; only the head is left to tf.layers.
test('resnet18: the trunk (72 layers) gives the numbers of the layer-by-layer step', async () => {
  setPrecision('fp32');
  const layered = await resnetStep('batchNorm', 2, 'resnet18', 32, 72);
  const trunk = await resnetStep('trunk', 2, 'resnet18', 32, 72);
  expect(trunk.loss).toBeCloseTo(layered.loss, 6);
  expect(trunk.grads.size).toBe(layered.grads.size);
  for (const [key, g] of layered.grads) expect(relativeError(trunk.grads.get(key)!, g)).toBeLessThan(1e-5);
  for (const [key, m] of layered.moving) expect(relativeError(trunk.moving.get(key)!, m)).toBeLessThan(1e-6);
  expect(trunk.kernels.length).toBeLessThan(layered.kernels.length / 4);
});

test('models whose trunk it cannot take are left as they are', async () => {
  await tf.setBackend('onednn');
  // DenseNet concatenates (Concatenate is not a trunk step, and what follows reads many of its tensors).
  const model = createModel('densenet-bc-100', { numClasses: 10, classifier: 'learned', inputShape: [8, 8, 3], seed: 3 });
  expect(fuseTrunkTraining(model)).toBe(0);
  model.weights.forEach((w) => w.read().dispose());
});

describe('the trunk state', () => {
  // conv → batch norm → ReLU → add (the ReLU and the conv's output) → pool: a small plan by hand.
  const plan: TrunkPlan = {
    steps: [
      { op: 'conv2d', input: 0, filter: 0, strides: [1, 1], pad: 'same' },
      { op: 'batchNorm', input: 1, scale: 1, offset: 2, epsilon: 1e-5, momentum: 0.9 },
      { op: 'relu', input: 2 },
      { op: 'add', inputs: [3, 1] },
      { op: 'mean', input: 4, axes: [1, 2] },
    ],
    output: 5,
  };
  const inputs = () => ({
    x: tf.tensor4d(input([2, 5, 5, 3], 1).values, [2, 5, 5, 3]),
    w0: tf.tensor4d(input([3, 3, 3, 4], 2).values, [3, 3, 3, 4]),
    w1: tf.tensor1d([1, 2, 0.5, 1]),
    w2: tf.tensor1d([0, 0.1, -0.2, 0.3]),
    // An unused weight: its gradient is zeros.
    w3: tf.tensor1d([7, 7]),
    movingMean0: tf.zeros([4]),
    movingVariance0: tf.ones([4]),
  });

  beforeEach(async () => {
    await tf.setBackend('onednn');
    setPrecision('fp32');
  });

  it('frees everything it saved when no gradient is taken, and after the one it serves', () => {
    const backend = tf.backend() as unknown as OneDnnBackend;
    const tensors = tf.memory().numTensors;
    const inUse = backend.poolStats().inUseBytes;
    const named = inputs();
    const [y, state, ...moving] = tf.engine().runKernel(TRUNK_TRAINING, named, { plan } as never) as tf.Tensor[];
    expect(y!.shape).toEqual([2, 4]);
    expect(moving.map((t) => t.shape)).toEqual([[4], [4]]);
    const dy = tf.onesLike(y!);
    const grads = tf.engine().runKernel(TRUNK_TRAINING_GRAD, { dy, state: state! }, { plan } as never) as tf.Tensor[];
    expect(grads.map((g) => g.shape)).toEqual([[2, 5, 5, 3], [3, 3, 3, 4], [4], [4], [2]]);
    expect(Array.from(grads[4]!.dataSync())).toEqual([0, 0]);
    // The state serves one gradient.
    expect(() => tf.engine().runKernel(TRUNK_TRAINING_GRAD, { dy, state: state! }, { plan } as never)).toThrow(/already taken/);
    tf.dispose([y!, dy, state!, ...moving, ...grads]);
    // Without a gradient: disposing the state frees what the forward pass saved.
    const [y2, state2, ...moving2] = tf.engine().runKernel(TRUNK_TRAINING, named, { plan } as never) as tf.Tensor[];
    tf.dispose([y2!, state2!, ...moving2]);
    tf.dispose(Object.values(named));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.poolStats().inUseBytes).toBe(inUse);
  });

  it('computes the plan as TF.js ops compute it on the cpu backend: output, every gradient, moving averages', async () => {
    const r = tf.tensor2d(input([2, 4], 5).values, [2, 4]);
    // The reference: the same graph as TF.js ops, differentiated by TF.js, on the cpu backend.
    await tf.setBackend('cpu');
    silenceCpuFirstUseWarning(tf.backend() as MathBackendCPU);
    const named = inputs();
    const expected = tf.tidy(() => {
      const f = (x: tf.Tensor4D, w: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => {
        const c = tf.conv2d(x, w, 1, 'same');
        const { mean, variance } = tf.moments(c, [0, 1, 2]);
        const out = tf.mean(tf.add(tf.relu(tf.batchNorm(c, mean, variance, beta, gamma, 1e-5)), c), [1, 2]);
        return tf.sum(tf.mul(out, r));
      };
      const grads = tf.grads(f as never)([named.x, named.w0, named.w1, named.w2]);
      const c = tf.conv2d(named.x, named.w0, 1, 'same');
      const { mean, variance } = tf.moments(c, [0, 1, 2]);
      const y = tf.mean(tf.add(tf.relu(tf.batchNorm(c, mean, variance, named.w2, named.w1, 1e-5)), c), [1, 2]);
      return [y, ...grads, tf.mul(mean, 0.1), tf.add(tf.mul(variance, 0.1), 0.9)].map((t) => t.dataSync().slice() as Float32Array);
    });
    tf.dispose(Object.values(named));
    await tf.setBackend('onednn');
    const onednn = inputs();
    const actual = tf.tidy(() => {
      const [y, state, ...moving] = tf.engine().runKernel(TRUNK_TRAINING, onednn, { plan } as never) as tf.Tensor[];
      const grads = tf.engine().runKernel(TRUNK_TRAINING_GRAD, { dy: r, state: state! }, { plan } as never) as tf.Tensor[];
      return [y!, ...grads.slice(0, 4), ...moving].map((t) => t.dataSync().slice() as Float32Array);
    });
    tf.dispose([...Object.values(onednn), r]);
    expect(actual).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(relativeError(actual[i]!, e)).toBeLessThan(1e-5));
  });

  it('names what is missing', () => {
    const named: Record<string, tf.Tensor> = inputs();
    delete named['movingVariance0'];
    expect(() => tf.engine().runKernel(TRUNK_TRAINING, named, { plan } as never)).toThrow(/movingVariance0/);
    tf.dispose(Object.values(named));
  });
});
