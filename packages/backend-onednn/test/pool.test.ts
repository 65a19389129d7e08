import * as tf from '@tensorflow/tfjs';

import { native } from '../src/native';
import { evaluate, expectMatchesCpu, input, type Input } from './helpers';

describe('pooling and its gradients match the cpu backend', () => {
  test.each([
    { x: [2, 8, 8, 5], size: 2, stride: 2, pad: 'valid' as const },
    { x: [1, 9, 11, 3], size: 3, stride: 2, pad: 'same' as const },
    { x: [2, 7, 7, 17], size: 3, stride: 1, pad: 'same' as const },
    { x: [3, 10, 10, 4], size: 3, stride: 2, pad: 'valid' as const },
  ])('x $x, window $size, stride $stride, $pad', async ({ x, size, stride, pad }) => {
    const spies = [jest.spyOn(native, 'poolForward'), jest.spyOn(native, 'poolBackward')];
    const outShape: number[] = tf.tidy(
      () => tf.maxPool(tf.zeros(x as [number, number, number, number]) as tf.Tensor4D, size, stride, pad).shape,
    );
    await expectMatchesCpu([input(x, 1), input(outShape, 2)], (xt, dy) => {
      const max = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, size, stride, pad);
      const avg = (t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, size, stride, pad);
      const gMax = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(max(t), dy!)))(xt!);
      const gAvg = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(avg(t), dy!)))(xt!);
      return [max(xt!), avg(xt!), gMax, gAvg];
    });
    for (const spy of spies) expect(spy).toHaveBeenCalled();
  });
});

describe('max pooling over −∞ gives cpu’s result', () => {
  // oneDNN starts each window at the lowest finite float (−3.4e38) where TF.js starts at −∞.
  const I = Number.NEGATIVE_INFINITY;
  const LOWEST = -3.4028234663852886e38;
  const x: Input = { shape: [1, 2, 4, 1], values: new Float32Array([I, I, 1, I, I, I, 2, LOWEST]) };
  const cases: [string, (t: tf.Tensor) => tf.Tensor][] = [
    ['1 × 1 windows', (t) => tf.maxPool(t as tf.Tensor4D, 1, 1, 'valid')],
    ['2 × 2 windows, one of −∞ only, one of 2 and −3.4e38', (t) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid')],
    ['1 × 2 windows, same padding', (t) => tf.maxPool(t as tf.Tensor4D, [1, 2], 1, 'same')],
    ['a window of −3.4e38 and −∞', (t) => tf.maxPool(t as tf.Tensor4D, [1, 2], [1, 2], 'valid')],
    [
      'windows of padding only',
      (t) =>
        tf.maxPool(t as tf.Tensor4D, 2, 2, [
          [0, 0],
          [2, 2],
          [2, 2],
          [0, 0],
        ]),
    ],
  ];

  test.each(cases)('%s: the output and its gradient', async (_, pool) => {
    const build = (t: tf.Tensor) => {
      const y = pool(t);
      const weights = tf.range(1, y.size + 1).reshape(y.shape);
      return [y, tf.grad((u: tf.Tensor) => tf.sum(tf.mul(pool(u), weights)))(t)];
    };
    const [actual, expected] = [await evaluate('onednn', [x], build), await evaluate('cpu', [x], build)];
    actual.forEach((a, i) => expect(Array.from(a.values)).toEqual(Array.from(expected[i]!.values)));
  });

  test('finite inputs still pool natively, forward and backward', async () => {
    const spies = [jest.spyOn(native, 'poolForward'), jest.spyOn(native, 'poolBackward')];
    const finite: Input = { shape: [1, 2, 4, 1], values: new Float32Array([-1e30, -5, 1, 0, 3, -2, 2, -7]) };
    await expectMatchesCpu([finite], (t) => [
      tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'),
      tf.grad((u: tf.Tensor) => tf.sum(tf.maxPool(u as tf.Tensor4D, 2, 2, 'valid')))(t!),
    ]);
    for (const spy of spies) expect(spy).toHaveBeenCalled();
  });
});
