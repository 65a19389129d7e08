import * as tf from '@tensorflow/tfjs';

import { createModel } from '@fixclf/models';

import type { OneDnnBackend } from '../src/backend';
import { BACKEND_NAME } from '../src/backend';
import { installEarlyRelease } from '../src/gradients/early-release';
import { setThreads } from '../src/index';
import { expectMatchesCpu, input } from './helpers';

// The backward pass frees each tape node's saved tensors and gradients once the tape has moved past it
// (src/gradients/early-release.ts). What matters: the gradients do not change by a bit, memory falls to
// about what the forward pass saved, and nothing a caller can still see is freed.

const onOneDnn = () => tf.getBackend() === BACKEND_NAME;

function withRelease<T>(on: boolean, f: () => T): T {
  installEarlyRelease(on ? onOneDnn : () => false);
  try {
    return f();
  } finally {
    installEarlyRelease(onOneDnn);
  }
}

// A fixed thread count: oneDNN's reductions (the filter gradients) may round differently with another,
// and by default the count follows the machine's load.
beforeAll(async () => {
  await tf.setBackend(BACKEND_NAME);
  setThreads(2);
});
afterAll(() => setThreads('auto'));

describe('early release in the backward pass', () => {
  const SIZE = 16;
  const BATCH = 8;

  function resnetStep() {
    const pool = (tf.backend() as OneDnnBackend).pool;
    const model = createModel('resnet20', { numClasses: 10, classifier: 'learned', inputShape: [SIZE, SIZE, 3], seed: 5 });
    const { values, shape } = input([BATCH, SIZE, SIZE, 3], 11);
    const xs = tf.tensor(values, shape);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10).toFloat();
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    let forwardBytes = 0;
    const before = pool.snapshot().inUseBytes;
    (pool as unknown as { stats: { peakInUseBytes: number } }).stats.peakInUseBytes = before;
    const { value, grads } = tf.variableGrads(() => {
      const loss = tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar;
      forwardBytes = pool.snapshot().inUseBytes - before;
      return loss;
    }, weights);
    const backwardPeak = pool.snapshot().peakInUseBytes - before - forwardBytes;
    const result = {
      loss: value.dataSync()[0]!,
      grads: weights.map((w) => grads[w.name]!.dataSync().slice()),
      forwardBytes,
      backwardPeak,
    };
    tf.dispose([value, xs, ys, ...Object.values(grads)]);
    model.layers.forEach((l) => l.dispose());
    return result;
  }

  test('a ResNet-20 step: the same loss and gradients to the bit, and the backward pass adds little memory', () => {
    const kept = withRelease(false, resnetStep);
    const released = withRelease(true, resnetStep);
    expect(released.loss).toBe(kept.loss);
    expect(released.grads.length).toBe(kept.grads.length);
    released.grads.forEach((g, i) => expect(Buffer.from(g.buffer).equals(Buffer.from(kept.grads[i]!.buffer))).toBe(true));
    // Kept, the backward pass piles up more than the forward pass saved (150 % here); released, the
    // activations go as fast as the gradients come (18 %: a few activation-sized gradients in flight).
    expect(kept.backwardPeak).toBeGreaterThan(kept.forwardBytes);
    expect(released.backwardPeak).toBeLessThan(0.25 * released.forwardBytes);
  });

  test('a dy the caller passes, the inputs and the returned gradients stay usable', () => {
    const x = tf.tensor1d([1, -2, 3]);
    const dy = tf.tensor1d([0.5, 1, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.relu(t.mul(t)))(x, dy);
    expect(Array.from(g.dataSync())).toEqual([1, -4, 12]); // 2t·dy
    expect(dy.isDisposed).toBe(false);
    expect(Array.from(dy.dataSync())).toEqual([0.5, 1, 2]);
    expect(Array.from(x.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([x, dy, g]);
  });

  test('a custom gradient that hands one tensor to two inputs: both receive it', () => {
    const shared = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [a, b] = args as [tf.Tensor, tf.Tensor];
      return { value: a.add(b), gradFunc: (dy: tf.Tensor) => [dy, dy] };
    });
    const x = tf.tensor1d([1, 2, 3]);
    // d/dx sum(shared(2x, 3x)) = 2 + 3, whatever the order the tape frees things in.
    const g = tf.grad((t: tf.Tensor) => tf.sum(shared(t.mul(2), t.mul(3)) as tf.Tensor))(x);
    expect(Array.from(g.dataSync())).toEqual([5, 5, 5]);
    tf.dispose([x, g]);
  });

  test.each([
    ['Concat', (a: tf.Tensor, b: tf.Tensor) => [tf.concat([a, b], 1), tf.concat([b, a], 1)]],
    ['ReLU', (a: tf.Tensor, b: tf.Tensor) => [tf.relu(tf.concat([a, b], 1)), tf.relu(tf.concat([b, a], 1))]],
    [
      'batch norm',
      (a: tf.Tensor, b: tf.Tensor) => {
        // The kernel itself: tf.batchNorm reshapes its output, and Reshape's gradient makes a new dy per node.
        const [zeros, ones] = [tf.zeros([6]), tf.ones([6])];
        const bn = (t: tf.Tensor) =>
          tf.engine().runKernel(
            tf.FusedBatchNorm,
            { x: t.reshape([1, 2, 1, 6]), mean: zeros, variance: ones, scale: ones, offset: zeros },
            {
              varianceEpsilon: 1e-3,
            },
          ) as tf.Tensor;
        return [bn(tf.concat([a, b], 1)), bn(tf.concat([b, a], 1))];
      },
    ],
  ] as const)('a custom gradient that hands one dy to two %s nodes: both read it (their override frees dy)', async (_, ops) => {
    const shared = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [a, b] = args as [tf.Tensor, tf.Tensor];
      return { value: a.add(b), gradFunc: (dy: tf.Tensor) => [dy, dy] };
    });
    const inputs = [input([2, 3], 21), input([2, 3], 22)];
    await expectMatchesCpu(inputs, (p, q) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => {
        const y = shared(...ops(a, b)) as tf.Tensor;
        return tf.sum(tf.mul(y, tf.range(0, 12).reshape(y.shape)));
      })([p!, q!]),
    );
    await tf.setBackend(BACKEND_NAME);
  });

  test('a second-order gradient keeps its tape whole', () => {
    const x = tf.tensor1d([1, -2, 0.5]);
    const cube = (t: tf.Tensor) => tf.sum(t.mul(t).mul(t));
    // d²/dx² Σx³ = 6x
    const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.grad(cube)(t)))(x);
    expect(Array.from(g2.dataSync())).toEqual([6, -12, 3]);
    tf.dispose([x, g2]);
  });

  test('no tensor leaks: a step leaves the tensor count where it was', () => {
    const w = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    const x = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const step = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.relu(tf.matMul(x, w)).square()) as tf.Scalar, [w]);
        return [value.dataSync()[0], grads[w.name]!.dataSync()];
      });
    step();
    const count = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(count);
    tf.dispose([w, x]);
  });
});
