// Higher-order gradients (a gradient penalty: the gradient of a function of a gradient). The replaced
// gradients run the backend's own gradient kernels, which have no gradient; while an outer tape records
// the backward pass they must fall back to TF.js's, so the result is cpu's.
import * as tf from '@tensorflow/tfjs';

import { expectMatchesCpu, input } from './helpers';

/** x ↦ ∂/∂x Σ (∂f/∂x)²: differentiates f's backward pass. */
const penaltyGradient = (f: (y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor) =>
  tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.grad((y: tf.Tensor) => f(y))(t))))(x);

/** tf.layers' batch normalisation in training: moments on the tape, then FusedBatchNorm. */
function trainingBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean, variance, beta, gamma, 1e-3);
}

describe('a gradient of a gradient on onednn equals cpu’s', () => {
  test('Square and Sum: ∂/∂x Σ(2x)² = 8x', async () => {
    const x = input([3, 5], 1);
    const [g] = await expectMatchesCpu(
      [x],
      penaltyGradient((y) => tf.sum(tf.square(y))),
    );
    g!.values.forEach((v, i) => expect(v).toBeCloseTo(8 * x.values[i]!, 5));
  });

  test('Sum over an axis', async () => {
    await expectMatchesCpu(
      [input([3, 5], 2)],
      penaltyGradient((y) => tf.sum(tf.square(tf.sum(y, 1)))),
    );
  });

  test('Mean', async () => {
    await expectMatchesCpu(
      [input([2, 4, 4, 3], 3)],
      penaltyGradient((y) => tf.mean(tf.square(tf.mean(y, [1, 2])))),
    );
  });

  test('ReLU', async () => {
    await expectMatchesCpu(
      [input([4, 6], 4)],
      penaltyGradient((y) => tf.sum(tf.square(tf.relu(y)))),
    );
  });

  test('batch norm in training (moments on the tape), then ReLU', async () => {
    await expectMatchesCpu([input([2, 3, 3, 4], 5), input([4], 6), input([4], 7)], (x, gamma, beta) =>
      penaltyGradient((y) => tf.mean(tf.square(tf.relu(trainingBatchNorm(y, gamma!, beta!)))))(x!),
    );
  });

  test('batch norm in inference (moving statistics as inputs)', async () => {
    await expectMatchesCpu([input([2, 3, 3, 4], 8), input([4], 9), input([4], 10)], (x, gamma, beta) =>
      penaltyGradient((y) => tf.sum(tf.square(tf.batchNorm(y, tf.zeros([4]), tf.ones([4]), beta, gamma, 1e-3))))(x!),
    );
  });

  test('Concat (its override frees dy early, never while an outer tape records)', async () => {
    await expectMatchesCpu(
      [input([3, 5], 11)],
      penaltyGradient((y) => tf.sum(tf.square(tf.concat([tf.square(y), y], 1)))),
    );
  });
});
