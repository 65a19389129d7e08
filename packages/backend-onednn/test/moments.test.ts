import * as tf from '@tensorflow/tfjs';

import { native } from '../src/native';
import { evaluate, expectMatchesCpu, input, relativeError } from './helpers';

// Training-mode batch norm as tf.layers runs it: moments on the tape, then FusedBatchNorm.
function trainingBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean, variance, beta, gamma, 1e-3);
}

describe('batch moments are recognised and their intermediates stay deferred', () => {
  const x = input([4, 5, 5, 6], 1, 2);
  const gamma = input([6], 2);
  const beta = input([6], 3);
  const dy = input([4, 5, 5, 6], 4);

  test('the full training gradient comes from one fused kernel, matching cpu', async () => {
    const backward = jest.spyOn(native, 'bnBackward');
    const binary = jest.spyOn(native, 'binary');
    await expectMatchesCpu([x, gamma, beta, dy], (xt, g, b, d) => {
      const f = (a: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(trainingBatchNorm(a, s, o), d!));
      return [trainingBatchNorm(xt!, g!, b!), ...tf.grads(f)([xt!, g!, b!])];
    });
    expect(backward).toHaveBeenCalled();
    expect(backward.mock.calls.every((call) => call[7] === 1)).toBe(true); // mode 'moments'
    // Neither x − μ nor (x − μ)² nor the zero gradients through them were ever computed at full size.
    const fullSize = x.values.length;
    const subOrSquare = (op: number) => op === 1 || op === 4;
    expect(binary.mock.calls.some((call) => subOrSquare(call[0]) && (call[5] as Float32Array).length === fullSize)).toBe(false);
  });

  test('moments computed before the tape are constants: the plain FusedBatchNorm gradient applies', async () => {
    const backward = jest.spyOn(native, 'bnBackward');
    await expectMatchesCpu([x, gamma, beta, dy], (xt, g, b, d) => {
      const { mean, variance } = tf.moments(xt!, [0, 1, 2]);
      return tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(a, mean, variance, b!, g!, 1e-3), d!)))(xt!);
    });
    expect(backward.mock.calls.every((call) => call[7] === 0)).toBe(true); // mode 'inputs'
  });

  test('deferred tensors read like ordinary ones, even after their sources are disposed', async () => {
    const [actualCentered, actualSquared] = await evaluate('onednn', [x], (xt) => {
      const mean = tf.mean(xt!, [0, 1, 2]);
      const centered = tf.sub(xt!, mean);
      const squared = tf.square(centered);
      xt!.dispose();
      mean.dispose();
      return [centered, squared];
    });
    const [expectedCentered, expectedSquared] = await evaluate('cpu', [x], (xt) => {
      const centered = tf.sub(xt!, tf.mean(xt!, [0, 1, 2]));
      return [centered, tf.square(centered)];
    });
    expect(relativeError(actualCentered!.values, expectedCentered!.values)).toBeLessThan(1e-6);
    expect(relativeError(actualSquared!.values, expectedSquared!.values)).toBeLessThan(1e-6);
  });

  test('the variance computed with the mean equals Mean(Square(Sub(x, Mean(x))))', async () => {
    const variance = jest.spyOn(native, 'channelMoments');
    await expectMatchesCpu([x], (xt) => tf.moments(xt!, [0, 1, 2]).variance);
    expect(variance).toHaveBeenCalled();
  });

  test('the one-pass variance keeps its accuracy when the mean is far from zero', async () => {
    const offset = { shape: x.shape, values: x.values.map((v, i) => 500 + (i % 6) * 100 + 0.05 * v) };
    await expectMatchesCpu([offset], (xt) => {
      const { mean, variance } = tf.moments(xt!, [0, 1, 2]);
      return [mean, variance];
    });
  });

  test('no tensors or storage are left behind by deferred tensors', async () => {
    await tf.setBackend('onednn');
    const xt = tf.tensor(x.values, x.shape);
    const g = tf.tensor(gamma.values, gamma.shape);
    const b = tf.tensor(beta.values, beta.shape);
    const before = tf.memory();
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        tf.grads((a: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(trainingBatchNorm(a, s, o)))([xt, g, b]);
      });
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([xt, g, b]);
  });
});
