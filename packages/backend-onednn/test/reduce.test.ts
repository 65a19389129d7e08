import * as tf from '@tensorflow/tfjs';

import { native } from '../src/native';
import { expectMatchesCpu, input } from './helpers';

const reductions: [string, (x: tf.Tensor, axis: number | number[] | undefined, keepDims: boolean) => tf.Tensor][] = [
  ['sum', (x, a, k) => tf.sum(x, a, k)],
  ['mean', (x, a, k) => tf.mean(x, a, k)],
  ['max', (x, a, k) => tf.max(x, a, k)],
  ['min', (x, a, k) => tf.min(x, a, k)],
];

// Batch-norm moments (all but channels), global pooling (H, W), last axis, first axis, everything,
// a long run split across threads, and axes separated by an extent-1 axis.
const views: [number[], number | number[] | undefined][] = [
  [
    [4, 9, 9, 13],
    [0, 1, 2],
  ],
  [
    [4, 9, 9, 13],
    [1, 2],
  ],
  [[7, 11], 1],
  [[7, 11], 0],
  [[3, 5, 7], undefined],
  [[2, 100003], 1],
  [
    [5, 1, 6, 7],
    [0, 2],
  ],
  [[48, 9001], 0],
];

describe('reductions match the cpu backend', () => {
  test.each(reductions)('%s', async (_name, op) => {
    const spy = jest.spyOn(native, 'reduce');
    for (const [i, [shape, axis]] of views.entries()) {
      for (const keepDims of [false, true]) {
        await expectMatchesCpu([input(shape, 30 + i)], (x) => op(x!, axis, keepDims));
      }
    }
    expect(spy).toHaveBeenCalled();
  });

  test('axes that are not contiguous fall back to the cpu kernel', async () => {
    const spy = jest.spyOn(native, 'reduce');
    await expectMatchesCpu([input([4, 5, 6], 1)], (x) => tf.sum(x!, [0, 2]));
    expect(spy).not.toHaveBeenCalled();
  });
});
