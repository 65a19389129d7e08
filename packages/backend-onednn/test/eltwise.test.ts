import * as tf from '@tensorflow/tfjs';

import { native } from '../src/native';
import { expectMatchesCpu, input, intInput } from './helpers';

const binaryOps: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
  ['add', tf.add],
  ['sub', tf.sub],
  ['mul', tf.mul],
  ['div', tf.div],
  ['squaredDifference', tf.squaredDifference],
  ['maximum', tf.maximum],
  ['minimum', tf.minimum],
];

// Same shape, scalar on either side, channel vector, middle broadcast, both sides broadcast, rank mismatch.
const broadcasts: [number[], number[]][] = [
  [
    [3, 5, 7],
    [3, 5, 7],
  ],
  [[4, 6], []],
  [[], [4, 6]],
  [[2, 4, 4, 13], [13]],
  [
    [2, 4, 4, 13],
    [2, 1, 1, 13],
  ],
  [
    [5, 1, 7],
    [1, 4, 1],
  ],
  [
    [3, 1],
    [1, 9],
  ],
  [
    [6, 3, 5],
    [3, 1],
  ],
  [[1], [17]],
];

describe('binary element-wise kernels broadcast like the cpu backend', () => {
  test.each(binaryOps)('%s', async (_name, op) => {
    const spy = jest.spyOn(native, 'binary');
    for (const [i, [a, b]] of broadcasts.entries()) {
      // Divisors kept away from zero so that the comparison measures arithmetic, not cancellation.
      await expectMatchesCpu([input(a, 10 + i), input(b, 20 + i)], (x, y) => op(x!, _name === 'div' ? tf.add(tf.abs(y!), 0.5) : y!));
    }
    expect(spy).toHaveBeenCalled();
  });

  test('int32 operands use the cpu kernels', async () => {
    const spy = jest.spyOn(native, 'binary');
    const [sum] = await expectMatchesCpu([intInput([3, 4], 1), intInput([4], 2)], (a, b) => tf.add(a!, b!));
    expect(sum!.values).toBeInstanceOf(Int32Array);
    expect(spy).not.toHaveBeenCalled();
  });

  test('addN', async () => {
    await expectMatchesCpu([input([3, 7, 5], 1), input([3, 7, 5], 2), input([3, 7, 5], 3)], (a, b, c) => tf.addN([a!, b!, c!]));
  });

  test('NaN propagates through maximum and relu as on cpu', async () => {
    const nan = { shape: [4], values: new Float32Array([NaN, 1, -1, 0]) };
    await expectMatchesCpu([nan, input([4], 5)], (a, b) => [tf.maximum(a!, b!), tf.relu(a!), tf.step(a!)]);
  });
});

const unaryOps: [string, (x: tf.Tensor) => tf.Tensor, number][] = [
  ['relu', tf.relu, 3],
  ['relu6', tf.relu6, 10],
  ['leakyRelu', (x) => tf.leakyRelu(x, 0.15), 3],
  ['elu', tf.elu, 3],
  ['sigmoid', tf.sigmoid, 5],
  ['tanh', tf.tanh, 3],
  ['neg', tf.neg, 3],
  ['square', tf.square, 3],
  ['sqrt', (x) => tf.sqrt(tf.abs(x)), 3],
  ['rsqrt', (x) => tf.rsqrt(tf.add(tf.abs(x), 0.1)), 3],
  ['exp', tf.exp, 3],
  ['log', (x) => tf.log(tf.add(tf.abs(x), 0.1)), 3],
  ['abs', tf.abs, 3],
  ['reciprocal', (x) => tf.reciprocal(tf.add(tf.abs(x), 0.1)), 3],
  ['step', (x) => tf.step(x, 0.25), 3],
];

describe('unary element-wise kernels match the cpu backend', () => {
  test.each(unaryOps)('%s', async (_name, op, scale) => {
    const spy = jest.spyOn(native, 'unary');
    await expectMatchesCpu([input([3, 33, 17], 7, scale)], (x) => op(x!));
    await expectMatchesCpu([input([200003], 8, scale)], (x) => op(x!));
    expect(spy).toHaveBeenCalled();
  });
});

describe('float32 tensors whose storage is not a Float32Array', () => {
  // The cpu Cast kernel shares an int32 or bool tensor's storage when casting to float32.
  test('casts from bool and int32 feed native kernels', async () => {
    await expectMatchesCpu([input([4, 6], 1), input([4, 6], 2), intInput([4, 6], 3)], (a, b, i) => {
      const same = tf.cast(tf.greater(a!, b!), 'float32');
      const asFloat = tf.cast(i!, 'float32');
      return [tf.mean(same), tf.add(asFloat, a!), tf.relu(tf.sub(asFloat, 5)), tf.sum(same, 1)];
    });
  });
});
