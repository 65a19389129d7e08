import * as tf from '@tensorflow/tfjs';

import { native } from '../src/native';
import { expectMatchesCpu, input } from './helpers';

describe('BatchMatMul and _FusedMatMul match the cpu backend', () => {
  test.each([
    { a: [5, 7], b: [7, 3], ta: false, tb: false },
    { a: [7, 5], b: [7, 3], ta: true, tb: false },
    { a: [5, 7], b: [3, 7], ta: false, tb: true },
    { a: [7, 5], b: [3, 7], ta: true, tb: true },
    { a: [4, 6, 9], b: [4, 9, 2], ta: false, tb: false },
    { a: [1, 6, 9], b: [3, 9, 2], ta: false, tb: false },
    { a: [3, 9, 6], b: [1, 2, 9], ta: true, tb: true },
    { a: [2, 3, 5, 4], b: [2, 3, 4, 6], ta: false, tb: false },
    { a: [1, 1], b: [1, 33], ta: false, tb: false },
  ])('a $a (transposed: $ta) × b $b (transposed: $tb)', async ({ a, b, ta, tb }) => {
    const spy = jest.spyOn(native, 'matmul');
    await expectMatchesCpu([input(a, 1), input(b, 2)], (x, y) => tf.matMul(x!, y!, ta, tb));
    expect(spy).toHaveBeenCalled();
  });

  test('gradients of a dense layer product', async () => {
    await expectMatchesCpu([input([8, 10], 3), input([10, 4], 4), input([8, 4], 5)], (x, w, dy) => {
      const [gx, gw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q), dy!)))([x!, w!]);
      return [gx!, gw!];
    });
  });

  test('an empty product (k = 0): zeros, and with a fused bias and activation, activation(bias)', async () => {
    const empty = (shape: number[]) => ({ shape, values: new Float32Array(0) });
    await expectMatchesCpu([empty([2, 0]), empty([0, 3]), input([3], 6)], (x, w, bias) => [
      tf.matMul(x!, w!),
      tf.fused.matMul({ a: x!, b: w!, bias: bias!, activation: 'sigmoid' }),
    ]);
  });

  test.each(['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const)('fused bias and %s', async (activation) => {
    await expectMatchesCpu([input([6, 10], 6), input([10, 5], 7), input([5], 8)], (a, b, bias) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation, leakyreluAlpha: 0.1 }),
    );
  });

  test('batches that neither agree nor broadcast by 1, a row bias and PReLU fall back to cpu', async () => {
    const spy = jest.spyOn(native, 'matmul');
    await expectMatchesCpu([input([2, 1, 3, 4], 9), input([1, 5, 4, 2], 10)], (a, b) => tf.matMul(a!, b!));
    await expectMatchesCpu([input([6, 10], 11), input([10, 5], 12), input([6, 5], 13)], (a, b, bias) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias }),
    );
    await expectMatchesCpu([input([6, 10], 14), input([10, 5], 15), input([5], 16)], (a, b, alpha) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, activation: 'prelu', preluActivationWeights: alpha }),
    );
    expect(spy).not.toHaveBeenCalled();
  });
});
