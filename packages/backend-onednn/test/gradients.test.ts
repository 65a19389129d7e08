import * as tf from '@tensorflow/tfjs';

import { native } from '../src/native';
import { expectMatchesCpu, input } from './helpers';

describe('gradient overrides compute what TF.js computes, in one native kernel', () => {
  test('relu', async () => {
    const spy = jest.spyOn(native, 'reluGrad');
    await expectMatchesCpu([input([3, 9, 9, 5], 1), input([3, 9, 9, 5], 2)], (x, dy) =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), dy!)))(x!),
    );
    expect(spy).toHaveBeenCalled();
  });

  test('square', async () => {
    const spy = jest.spyOn(native, 'squareGrad');
    await expectMatchesCpu([input([7, 13], 3), input([7, 13], 4)], (x, dy) =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.square(t), dy!)))(x!),
    );
    expect(spy).toHaveBeenCalled();
  });

  test.each([
    [[4, 5, 6, 7], [0, 1, 2], false],
    [[4, 5, 6, 7], [1, 2], true],
    [[9, 11], 1, false],
    [[9, 11], undefined, false],
  ] as [number[], number | number[] | undefined, boolean][])('mean and sum of %j over %j (keepDims %s)', async (shape, axis, keepDims) => {
    const spy = jest.spyOn(native, 'binary');
    const reducedShape = tf.tidy(() => tf.sum(tf.zeros(shape), axis, keepDims).shape);
    await expectMatchesCpu([input(shape, 5), input(reducedShape, 6)], (x, dy) => [
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(t, axis, keepDims), dy!)))(x!),
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.sum(t, axis, keepDims), dy!)))(x!),
    ]);
    expect(spy).toHaveBeenCalled();
  });

  test('the cpu backend keeps the gradients it had', async () => {
    await tf.setBackend('cpu');
    const spy = jest.spyOn(native, 'reluGrad');
    const g = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => tf.sum(tf.relu(t)))(tf.tensor([-1, 2, 0, 3]))
        .arraySync(),
    );
    expect(g).toEqual([0, 1, 0, 1]);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('gradients no longer needed are freed during the backward pass', () => {
  test('but never a dy the caller passed in', async () => {
    await tf.setBackend('onednn');
    const x = tf.tensor(input([2, 3, 3, 4], 7).values, [2, 3, 3, 4]);
    const dy = tf.ones([2, 3, 3, 4]);
    const m = tf.zeros([4]);
    const v = tf.ones([4]);
    tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy).dispose();
    tf.grad((t: tf.Tensor) => tf.batchNorm(t, m, v, tf.zeros([4]), tf.ones([4])))(x, dy).dispose();
    expect(dy.isDisposed).toBe(false);
    expect(Array.from(dy.dataSync().slice(0, 3))).toEqual([1, 1, 1]);
    tf.dispose([x, dy, m, v]);
  });
});
