import * as tf from '@tensorflow/tfjs';

import { native } from '../src/native';
import { expectMatchesCpu, input } from './helpers';

describe('data movement kernels match the cpu backend', () => {
  // prettier-ignore
  test.each([
    [[5, 7], [1, 0]],
    [[2, 3, 4, 5], [0, 3, 1, 2]],
    [[2, 3, 4, 5], [3, 2, 1, 0]],
    [[3, 1, 4], [2, 0, 1]],
    [[2, 3, 2, 3, 2], [4, 1, 3, 0, 2]],
  ])('transpose %j by %j', async (shape, perm) => {
    const spy = jest.spyOn(native, 'transpose');
    await expectMatchesCpu([input(shape, 1)], (x) => tf.transpose(x!, perm));
    expect(spy).toHaveBeenCalled();
  });

  test('a transpose of rank 13 goes to the cpu kernel (the native pass takes ranks up to 12)', async () => {
    const spy = jest.spyOn(native, 'transpose');
    const shape = [2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2];
    const perm = [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    await expectMatchesCpu([input(shape, 2)], (x) => tf.transpose(x!, perm));
    expect(spy).not.toHaveBeenCalled();
  });

  test.each([0, 1, 2, 3, -1])('concat along axis %d', async (axis) => {
    const spy = jest.spyOn(native, 'concat');
    const shapes = [
      [2, 3, 4, 5],
      [2, 3, 4, 5],
      [2, 3, 4, 5],
    ].map((s) => {
      const shape = [...s];
      const a = axis < 0 ? shape.length + axis : axis;
      return shape.map((d, i) => (i === a ? d + shape.length - i : d));
    });
    const withEmpty = [...shapes];
    await expectMatchesCpu(
      withEmpty.map((s, i) => input(s, 10 + i)),
      (...xs) => tf.concat(xs, axis),
    );
    expect(spy).toHaveBeenCalled();
  });

  test('concat of DenseNet-like feature maps with an empty input', async () => {
    await expectMatchesCpu([input([2, 4, 4, 12], 1), input([2, 4, 4, 0], 2), input([2, 4, 4, 6], 3)], (a, b, c) =>
      tf.concat([a!, b!, c!], 3),
    );
  });

  // prettier-ignore
  test.each([
    [[3, 4], [[1, 2], [0, 3]], 0],
    [[2, 5, 5, 3], [[0, 0], [1, 1], [2, 1], [0, 0]], 0],
    [[2, 3, 3, 2], [[1, 0], [0, 2], [1, 1], [3, 0]], -1.5],
    [[7], [[2, 3]], 4],
  ] as [number[], [number, number][], number][])('pad %j by %j with %d', async (shape, paddings, value) => {
    const spy = jest.spyOn(native, 'pad');
    await expectMatchesCpu([input(shape, 4)], (x) => tf.pad(x!, paddings, value));
    expect(spy).toHaveBeenCalled();
  });
});

describe('strided slices (e.g. the gradient of ZeroPadding2D) match the cpu backend', () => {
  // prettier-ignore
  test.each([
    [[2, 6, 6, 3], [0, 1, 1, 0], [2, 4, 4, 3]],
    [[5, 7], [1, 2], [3, 4]],
    [[3, 4, 5], [1, 0, 2], [2, 4, 3]],
  ])('slice %j from %j, size %j', async (shape, begin, size) => {
    const spy = jest.spyOn(native, 'slice');
    await expectMatchesCpu([input(shape, 5)], (x) => tf.slice(x!, begin, size));
    expect(spy).toHaveBeenCalled();
  });

  test('a contiguous slice stays a copy-free view', async () => {
    const spy = jest.spyOn(native, 'slice');
    await expectMatchesCpu([input([6, 4, 3], 6)], (x) => tf.slice(x!, [2, 0, 0], [3, 4, 3]));
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('SplitV (the gradient of Concat) matches the cpu backend', () => {
  // prettier-ignore
  test.each([
    [[2, 4, 4, 12], [5, 3, 4], 3],
    [[2, 4, 4, 12], 3, -1],
    [[6, 5], [2, 4], 0],
  ] as [number[], number | number[], number][])('split %j into %j along %d', async (shape, splits, axis) => {
    const spy = jest.spyOn(native, 'slice');
    await expectMatchesCpu([input(shape, 7)], (x) => tf.split(x!, splits, axis));
    if (axis !== 0) expect(spy).toHaveBeenCalled();
  });

  test('the gradient of a channel concatenation', async () => {
    await expectMatchesCpu([input([2, 3, 3, 4], 8), input([2, 3, 3, 6], 9), input([2, 3, 3, 10], 10)], (a, b, dy) =>
      tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.concat([p, q], 3), dy!)))([a!, b!]),
    );
  });
});
