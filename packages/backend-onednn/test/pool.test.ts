import * as tf from '@tensorflow/tfjs';

import { native } from '../src/native';
import { expectMatchesCpu, input } from './helpers';

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
