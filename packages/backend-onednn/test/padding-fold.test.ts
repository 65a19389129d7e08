// ZeroPadding2D before a convolution: the padding is deferred and folded into the convolution's own, and
// its gradient (a Slice of the convolution's input gradient) computes only the window it keeps. Results
// against the cpu backend, which pads and slices for real; the spies show what was (not) computed.
import * as tf from '@tensorflow/tfjs';

import { setPrecision } from '../src/index';
import { native } from '../src/native';
import { evaluate, expectMatchesCpu, input, relativeError } from './helpers';

interface FoldCase {
  x: [number, number, number, number];
  // [[top, bottom], [left, right]]
  padding: [[number, number], [number, number]];
  k: number;
  stride: number;
  pad: 'same' | 'valid';
  depthwise: boolean;
}

// ResNet's stride-2 case (1 on each side, 'valid'), asymmetric paddings, 'same' on top of a padding,
// stride 1, a depthwise filter, odd sizes and channel counts.
const cases: FoldCase[] = [
  {
    x: [2, 8, 8, 4],
    padding: [
      [1, 1],
      [1, 1],
    ],
    k: 3,
    stride: 2,
    pad: 'valid',
    depthwise: false,
  },
  {
    x: [3, 9, 7, 5],
    padding: [
      [2, 0],
      [0, 3],
    ],
    k: 3,
    stride: 2,
    pad: 'valid',
    depthwise: false,
  },
  {
    x: [2, 6, 6, 3],
    padding: [
      [1, 2],
      [2, 1],
    ],
    k: 3,
    stride: 1,
    pad: 'same',
    depthwise: false,
  },
  {
    x: [1, 10, 10, 6],
    padding: [
      [3, 3],
      [3, 3],
    ],
    k: 7,
    stride: 2,
    pad: 'valid',
    depthwise: false,
  },
  {
    x: [2, 7, 9, 6],
    padding: [
      [1, 1],
      [1, 1],
    ],
    k: 3,
    stride: 2,
    pad: 'valid',
    depthwise: true,
  },
];

const label = (c: FoldCase) =>
  `x [${c.x}] padded ${JSON.stringify(c.padding)}, ${c.k}×${c.k}, stride ${c.stride}, ${c.pad}${c.depthwise ? ', depthwise' : ''}`;
const labelled = cases.map((c) => [label(c), c] as const);

function conv(x: tf.Tensor, w: tf.Tensor, c: FoldCase): tf.Tensor4D {
  return c.depthwise
    ? tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad)
    : tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad);
}

function filterShape(c: FoldCase): [number, number, number, number] {
  return [c.k, c.k, c.x[3], c.depthwise ? 2 : 7];
}

/** The case's padding as tf.pad takes it: height and width only. */
function paddings(c: FoldCase): [number, number][] {
  return [[0, 0], c.padding[0], c.padding[1], [0, 0]];
}

function outShape(c: FoldCase): number[] {
  return tf.tidy(() => {
    const padded = tf.zeros(c.x).pad(paddings(c));
    return conv(padded, tf.zeros(filterShape(c)), c).shape;
  });
}

/** conv(pad(x)), and the gradients of Σ conv(pad(x))·dy with respect to x and the filter. */
function padConvAndGradients(c: FoldCase) {
  return (x?: tf.Tensor, w?: tf.Tensor, dy?: tf.Tensor) => {
    const f = (a: tf.Tensor, b: tf.Tensor) => conv(tf.pad(a, paddings(c)), b, c);
    const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), dy!)))([x!, w!]);
    return [f(x!, w!), gx!, gw!];
  };
}

const describeBf16 = native.bf16Support().supported ? describe : describe.skip;

afterEach(() => {
  setPrecision('fp32');
  jest.restoreAllMocks();
});

describe('ZeroPadding2D folded into the convolution that reads it', () => {
  test.each(labelled)('%s', async (_, c) => {
    const pad = jest.spyOn(native, 'pad');
    const slice = jest.spyOn(native, 'slice');
    const backwardData = jest.spyOn(native, 'convBackwardData');
    const inputs = [input(c.x, 1), input(filterShape(c), 2, 0.5), input(outShape(c), 3)];
    await expectMatchesCpu(inputs, padConvAndGradients(c));
    // Neither the padded input nor the padded gradient was made: the input gradient came out at x's shape.
    expect(pad).not.toHaveBeenCalled();
    expect(slice).not.toHaveBeenCalled();
    expect(backwardData).toHaveBeenCalled();
    for (const call of backwardData.mock.calls) expect(call[6]).toEqual(c.x);
  });

  test('the padded tensor still reads back as the padding, before and after a convolution used it', async () => {
    const padding: [number, number][] = [
      [0, 0],
      [1, 2],
      [2, 1],
      [0, 0],
    ];
    await expectMatchesCpu([input([2, 5, 6, 3], 4), input([3, 3, 3, 4], 5)], (x, w) => {
      const read = tf.pad(x!, padding);
      const used = tf.pad(x!, padding);
      const y = tf.conv2d(used as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid');
      return [read, y, used];
    });
  });

  test('a deferred padding outlives its source moving to another backend', async () => {
    await tf.setBackend('onednn');
    const values = input([1, 2, 2, 1], 6).values as Float32Array;
    const x = tf.tensor4d(values, [1, 2, 2, 1]);
    const padded = tf.pad(x, [
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    // A cpu kernel reading x moves its storage there and force-disposes it here; the padding still reads back.
    await tf.setBackend('cpu');
    const moved = tf.add(x, 1);
    expect(Array.from(moved.dataSync())).toEqual(Array.from(values, (v) => Math.fround(v + 1)));
    expect(Array.from(padded.dataSync())).toEqual([0, 0, 0, values[0], values[1], 0, values[2], values[3], 0]);
    tf.dispose([x, padded, moved]);
    await tf.setBackend('onednn');
  });

  test('other paddings are made at once: batch or channel padding, a non-zero constant', async () => {
    await expectMatchesCpu([input([2, 4, 4, 3], 6)], (x) => [
      tf.pad(x!, [
        [1, 0],
        [1, 1],
        [0, 0],
        [0, 0],
      ]),
      tf.pad(x!, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 2],
      ]),
      tf.pad(
        x!,
        [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ],
        0.5,
      ),
    ]);
  });

  test('a window of a convolution input gradient is computed directly; other slices of it are copied', async () => {
    const x: [number, number, number, number] = [2, 9, 8, 4];
    const w = input([3, 3, 4, 5], 7, 0.5);
    const dy = input([2, 5, 4, 5], 8);
    const slice = jest.spyOn(native, 'slice');
    const backwardData = jest.spyOn(native, 'convBackwardData');
    await expectMatchesCpu([w, dy], (wt, dyt) => {
      const window = tf.conv2dTranspose(dyt as tf.Tensor4D, wt as tf.Tensor4D, x, 2, 'same').slice([0, 2, 1, 0], [2, 5, 6, 4]);
      const batch = tf.conv2dTranspose(dyt as tf.Tensor4D, wt as tf.Tensor4D, x, 2, 'same').slice([1, 0, 0, 0], [1, 9, 8, 4]);
      const channels = tf.conv2dTranspose(dyt as tf.Tensor4D, wt as tf.Tensor4D, x, 2, 'same').slice([0, 1, 1, 1], [2, 7, 6, 2]);
      return [window, batch, channels];
    });
    // The window: one call at its own shape; the other two: the whole gradient, then a copy (the batch
    // slice is contiguous, a view).
    const shapes = backwardData.mock.calls.map((call) => call[6]);
    expect(shapes).toContainEqual([2, 5, 6, 4]);
    expect(shapes.filter((s) => JSON.stringify(s) === JSON.stringify(x))).toHaveLength(2);
    expect(slice).toHaveBeenCalledTimes(1);
  });
});

describeBf16('ZeroPadding2D folded in bf16 mode', () => {
  test.each(labelled)('%s', async (_, c) => {
    const pad = jest.spyOn(native, 'pad');
    const inputs = [input(c.x, 1), input(filterShape(c), 2, 0.5), input(outShape(c), 3)];
    const expected = await evaluate('cpu', inputs, padConvAndGradients(c));
    setPrecision('bf16');
    const actual = await evaluate('onednn', inputs, padConvAndGradients(c));
    actual.forEach((a, i) => {
      expect(a.shape).toEqual(expected[i]!.shape);
      expect(relativeError(a.values, expected[i]!.values)).toBeLessThan(2e-2);
    });
    expect(pad).not.toHaveBeenCalled();
  });
});
