import * as tf from '@tensorflow/tfjs';

import { convolutionCeiling } from '../src/index';
import { native } from '../src/native';
import { expectMatchesCpu, input } from './helpers';

type Pad = 'same' | 'valid';

interface ConvCase {
  x: [number, number, number, number];
  k: number;
  outChannels: number;
  stride: number;
  pad: Pad;
}

// Strides 1 and 2, 'same' and 'valid', 1×1, 3×3 and 7×7, batch 1, odd sizes, channels not multiples of 8.
const cases: ConvCase[] = [
  { x: [1, 7, 7, 3], k: 3, outChannels: 5, stride: 1, pad: 'same' },
  { x: [2, 9, 11, 5], k: 3, outChannels: 7, stride: 2, pad: 'same' },
  { x: [3, 8, 8, 16], k: 1, outChannels: 32, stride: 2, pad: 'valid' },
  { x: [2, 13, 13, 3], k: 7, outChannels: 6, stride: 2, pad: 'same' },
  { x: [1, 15, 10, 6], k: 7, outChannels: 9, stride: 1, pad: 'valid' },
  { x: [2, 10, 10, 12], k: 3, outChannels: 12, stride: 2, pad: 'valid' },
  { x: [4, 6, 6, 17], k: 1, outChannels: 3, stride: 1, pad: 'same' },
];

describe('Conv2D and its gradients match the cpu backend', () => {
  test.each(cases)('x $x, $k×$k filter, stride $stride, $pad: forward, input and filter gradients', async (c) => {
    const spies = [jest.spyOn(native, 'convForward'), jest.spyOn(native, 'convBackwardData'), jest.spyOn(native, 'convBackwardFilter')];
    const x = input(c.x, 1);
    const w = input([c.k, c.k, c.x[3], c.outChannels], 2, 0.5);
    const outShape: number[] = tf.tidy(
      () => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(w.shape as [number, number, number, number]), c.stride, c.pad).shape,
    );
    const dy = input(outShape, 3);
    await expectMatchesCpu([x, w, dy], (xt, wt, dyt) => {
      const y = tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, c.stride, c.pad);
      const dx = tf.conv2dTranspose(dyt as tf.Tensor4D, wt as tf.Tensor4D, c.x, c.stride, c.pad);
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), dyt!)),
      )([xt!, wt!]);
      return [y, dx, gx!, gw!];
    });
    for (const spy of spies) expect(spy).toHaveBeenCalled();
  });

  test('dilated forward convolution', async () => {
    const spy = jest.spyOn(native, 'convForward');
    await expectMatchesCpu([input([2, 12, 12, 5], 4), input([3, 3, 5, 6], 5)], (x, w) =>
      tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', 2),
    );
    expect(spy).toHaveBeenCalled();
  });

  test('fused bias and activations run inside the convolution', async () => {
    const x = input([2, 9, 9, 4], 6);
    const w = input([3, 3, 4, 6], 7, 0.5);
    const b = input([6], 8);
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
      await expectMatchesCpu([x, w, b], (xt, wt, bt) =>
        tf.fused.conv2d({
          x: xt as tf.Tensor4D,
          filter: wt as tf.Tensor4D,
          strides: 2,
          pad: 'same',
          bias: bt,
          activation,
          leakyreluAlpha: 0.3,
        }),
      );
    }
  });

  test('unsupported attributes fall back to the cpu kernel: NCHW and PReLU', async () => {
    const spy = jest.spyOn(native, 'convForward');
    await expectMatchesCpu([input([2, 4, 7, 7], 9), input([3, 3, 4, 5], 10)], (x, w) =>
      tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NCHW'),
    );
    await expectMatchesCpu([input([2, 7, 7, 4], 11), input([3, 3, 4, 5], 12), input([5], 13)], (x, w, alpha) =>
      tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: w as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        activation: 'prelu',
        preluActivationWeights: alpha,
      }),
    );
    expect(spy).not.toHaveBeenCalled();
  });

  test('explicit padding', async () => {
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [1, 2],
      [0, 3],
      [0, 0],
    ];
    await expectMatchesCpu([input([2, 8, 9, 3], 14), input([3, 3, 3, 4], 15)], (x, w) =>
      tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, pad),
    );
  });
});

describe('DepthwiseConv2dNative and its gradients match the cpu backend', () => {
  test.each([
    { x: [2, 9, 9, 5] as [number, number, number, number], k: 3, mult: 1, stride: 1, pad: 'same' as Pad },
    { x: [1, 10, 10, 3] as [number, number, number, number], k: 3, mult: 2, stride: 2, pad: 'same' as Pad },
    { x: [2, 11, 11, 6] as [number, number, number, number], k: 5, mult: 1, stride: 2, pad: 'valid' as Pad },
  ])('depthwise %#', async (c) => {
    const spies = [jest.spyOn(native, 'convForward'), jest.spyOn(native, 'convBackwardData'), jest.spyOn(native, 'convBackwardFilter')];
    const x = input(c.x, 21);
    const w = input([c.k, c.k, c.x[3], c.mult], 22, 0.5);
    const outShape: number[] = tf.tidy(
      () => tf.depthwiseConv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(w.shape as [number, number, number, number]), c.stride, c.pad).shape,
    );
    const dy = input(outShape, 23);
    await expectMatchesCpu([x, w, dy], (xt, wt, dyt) => {
      const conv = (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), dyt!)))([xt!, wt!]);
      return [conv(xt!, wt!), gx!, gw!];
    });
    for (const spy of spies) expect(spy).toHaveBeenCalled();
  });

  test('fused depthwise with bias and relu', async () => {
    await expectMatchesCpu([input([2, 8, 8, 4], 24), input([3, 3, 4, 2], 25), input([8], 26)], (x, w, b) =>
      tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }),
    );
  });
});

test('convolutionCeiling refuses a layer it cannot time, naming the value (a stride of 0 used to crash the process)', () => {
  expect(() => convolutionCeiling([[8, 8, 3, 4, 3, 0, 1]], 2)).toThrow(
    'convolutionCeiling: layers[0] must be 7 positive integers [height, width, inChannels, outChannels, kernel, stride, count], got [8, 8, 3, 4, 3, 0, 1] (stride 0)',
  );
  expect(() => convolutionCeiling([[8, 8, 3, 4, 3, 1]] as never, 2)).toThrow(/layers\[0\] must be 7 positive integers/);
  expect(() => convolutionCeiling([[8, 8, 3, 4, 3, 1, 1]], 0)).toThrow('convolutionCeiling: batch must be a positive integer, got 0.');
  const timed = convolutionCeiling([[8, 8, 3, 4, 3, 1, 1]], 2, { repetitions: 1 });
  expect(timed).toBeDefined();
});
