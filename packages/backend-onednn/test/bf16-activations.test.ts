// bf16-backed activations: in bf16 mode a convolution writes its output, batch norm (+ residual) + ReLU
// theirs, and the batch-norm gradient its dx as bf16 storage behind float32 tensors (as torch.autocast keeps
// them), and the batch-norm, moment, ReLU-gradient and convolution kernels read that storage directly.
// The batch-norm kernels also take rows of few channels several at a time (float32 and bf16 alike).
//
// Native kernels are checked against the formulas computed here in float64 from the same (bf16-rounded)
// inputs; the backend's tensors against the cpu backend within bf16 precision, and against their own
// bf16 storage exactly.
import * as tf from '@tensorflow/tfjs';

import type { OneDnnBackend } from '../src/backend';
import { setPrecision } from '../src/index';
import { native } from '../src/native';
import { cosine, evaluate, input, random, relativeError } from './helpers';

const supported = native.bf16Support().supported;
const describeBf16 = supported ? describe : describe.skip;
const BF16_TOLERANCE = 2e-2;
// One bf16 rounding: half a unit in the last of 8 significant bits.
const BF16_ROUNDING = 2 ** -8;

/** `values` rounded to bf16 (packed two per element) and the rounded values widened back. */
function toBf16(values: Float32Array): { packed: Float32Array; rounded: Float32Array } {
  const packed = new Float32Array(Math.ceil(values.length / 2));
  native.toBf16(values, packed);
  const rounded = new Float32Array(values.length);
  native.fromBf16(packed, rounded);
  return { packed, rounded };
}

function fromBf16(packed: Float32Array, count: number): Float32Array {
  const out = new Float32Array(count);
  native.fromBf16(packed, out);
  return out;
}

function values(count: number, seed: number, offset = 0): Float32Array {
  const next = random(seed);
  return Float32Array.from({ length: count }, () => offset + next());
}

/** Asserts |actual − expected| ≤ relative·|expected| + absolute element by element. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number, absolute: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i]! - expected[i]!) - (relative * Math.abs(expected[i]!) + absolute);
    if (excess > worst) {
      worst = excess;
      at = i;
    }
  }
  if (at >= 0) throw new Error(`element ${at}: ${actual[at]} against ${expected[at]} (over the tolerance by ${worst})`);
}

interface BnCase {
  rows: number;
  channels: number;
}
// 16 and 32 channels are taken 4 and 2 rows at a time, with 3 and 1 rows left over; 48 and 3 are not.
const cases: BnCase[] = [
  { rows: 7, channels: 16 },
  { rows: 9, channels: 32 },
  { rows: 5, channels: 64 },
  { rows: 6, channels: 48 },
  { rows: 11, channels: 3 },
];

function bnParameters(channels: number, seed: number) {
  const mean = values(channels, seed, 0.1);
  const variance = values(channels, seed + 1).map((v) => 0.5 + Math.abs(v));
  const scale = values(channels, seed + 2, 1);
  const offset = values(channels, seed + 3);
  const epsilon = 1e-3;
  return { mean, variance, scale, offset, epsilon };
}

/** relu(γ·(x − μ)/√(v + ε) + β + r) in float64. */
function bnForwardReference(
  x: Float32Array,
  residual: Float32Array | null,
  relu: boolean,
  channels: number,
  p: ReturnType<typeof bnParameters>,
) {
  return Float64Array.from(x, (xv, i) => {
    const c = i % channels;
    let v = ((xv - p.mean[c]!) * p.scale[c]!) / Math.sqrt(p.variance[c]! + p.epsilon) + p.offset[c]!;
    if (residual !== null) v += residual[i]!;
    return relu ? Math.max(v, 0) : v;
  });
}

describe('batch norm over rows of few channels, taken several at a time', () => {
  test.each(cases)('forward, float32: $rows rows of $channels channels', ({ rows, channels }) => {
    const count = rows * channels;
    const p = bnParameters(channels, 1);
    const x = values(count, 5);
    const residual = values(count, 6);
    for (const [r, relu] of [
      [null, false],
      [null, true],
      [residual, true],
      [residual, false],
    ] as const) {
      const y = new Float32Array(count);
      native.bnForward(x, channels, p.mean, p.variance, p.scale, p.offset, p.epsilon, y, r, relu);
      expectClose(y, bnForwardReference(x, r, relu, channels, p), 1e-5, 1e-6);
    }
  });

  test.each(cases)('moments and gradient, float32: $rows rows of $channels channels', ({ rows, channels }) => {
    const count = rows * channels;
    const x = values(count, 7, 3);
    const mean = new Float32Array(channels);
    const variance = new Float32Array(channels);
    native.channelMoments(x, channels, mean, variance);
    const { mean: m, variance: v } = momentsReference(x, channels);
    expectClose(mean, m, 1e-5, 1e-6);
    expectClose(variance, v, 1e-4, 1e-6);

    const p = bnParameters(channels, 8);
    const dy = values(count, 9);
    const reluOutput = values(count, 10);
    const dx = new Float32Array(count);
    const dscale = new Float32Array(channels);
    const doffset = new Float32Array(channels);
    native.bnBackward(x, dy, channels, m32(m), v32(v), p.scale, p.epsilon, 1, dx, null, null, dscale, doffset, reluOutput);
    const expected = bnGradientReference(x, dy, reluOutput, channels, m, v, p.scale, p.epsilon);
    expectClose(dx, expected.dx, 1e-4, 1e-5);
    expectClose(dscale, expected.dscale, 1e-4, 1e-5);
    expectClose(doffset, expected.doffset, 1e-4, 1e-5);
  });
});

const m32 = (m: Float64Array) => Float32Array.from(m);
const v32 = (v: Float64Array) => Float32Array.from(v);

function momentsReference(x: ArrayLike<number>, channels: number) {
  const rows = x.length / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) mean[i % channels] = mean[i % channels]! + x[i]! / rows;
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    variance[c] = variance[c]! + (x[i]! - mean[c]!) ** 2 / rows;
  }
  return { mean, variance };
}

/** The training-mode batch-norm gradient (mean and variance the batch moments of x) in float64. */
function bnGradientReference(
  x: ArrayLike<number>,
  dyIn: ArrayLike<number>,
  reluOutput: ArrayLike<number> | null,
  channels: number,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  scale: ArrayLike<number>,
  epsilon: number,
) {
  const rows = x.length / channels;
  const dy = Float64Array.from(dyIn, (g, i) => (reluOutput === null || reluOutput[i]! > 0 ? g : 0));
  const rs = Float64Array.from({ length: channels }, (_, c) => 1 / Math.sqrt(Math.fround(variance[c]!) + epsilon));
  const sumDy = new Float64Array(channels);
  const sumDyXc = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    sumDy[c] = sumDy[c]! + dy[i]!;
    sumDyXc[c] = sumDyXc[c]! + dy[i]! * (x[i]! - Math.fround(mean[c]!));
  }
  const dx = Float64Array.from(x, (xv, i) => {
    const c = i % channels;
    const xc = xv - Math.fround(mean[c]!);
    return scale[c]! * rs[c]! * (dy[i]! - sumDy[c]! / rows - (xc * rs[c]! * rs[c]! * sumDyXc[c]!) / rows);
  });
  return { dx, dscale: Float64Array.from(sumDyXc, (s, c) => s * rs[c]!), doffset: sumDy };
}

describeBf16('batch-norm, moment and ReLU-gradient kernels read and write bf16', () => {
  test.each(cases)('forward: x, residual and y in bf16, $rows rows of $channels channels', ({ rows, channels }) => {
    const count = rows * channels;
    const p = bnParameters(channels, 11);
    const x = toBf16(values(count, 12));
    const residual = toBf16(values(count, 13));
    const expected = bnForwardReference(x.rounded, residual.rounded, true, channels, p);
    // x and y bf16 (the element count passed), the residual float32 or bf16.
    const y = new Float32Array(Math.ceil(count / 2));
    native.bnForward(x.packed, channels, p.mean, p.variance, p.scale, p.offset, p.epsilon, y, residual.packed, true, 1 | 2 | 4, count);
    expectClose(fromBf16(y, count), expected, BF16_ROUNDING, 1e-6);
    native.bnForward(x.packed, channels, p.mean, p.variance, p.scale, p.offset, p.epsilon, y, residual.rounded, true, 1 | 4, count);
    expectClose(fromBf16(y, count), expected, BF16_ROUNDING, 1e-6);
    // bf16 x into a float32 y: no rounding of the result.
    const y32 = new Float32Array(count);
    native.bnForward(x.packed, channels, p.mean, p.variance, p.scale, p.offset, p.epsilon, y32, null, false, 1);
    expectClose(y32, bnForwardReference(x.rounded, null, false, channels, p), 1e-5, 1e-6);
  });

  test.each(cases)('moments and gradient: x, ReLU output and dx in bf16, $rows rows of $channels channels', ({ rows, channels }) => {
    const count = rows * channels;
    const x = toBf16(values(count, 14, 3));
    const mean = new Float32Array(channels);
    const variance = new Float32Array(channels);
    native.channelMoments(x.packed, channels, mean, variance, true, count);
    const moments = momentsReference(x.rounded, channels);
    expectClose(mean, moments.mean, 1e-5, 1e-6);
    expectClose(variance, moments.variance, 1e-4, 1e-6);

    const p = bnParameters(channels, 15);
    const dy = values(count, 16);
    const reluOutput = toBf16(values(count, 17));
    const dx = new Float32Array(Math.ceil(count / 2));
    const dscale = new Float32Array(channels);
    const doffset = new Float32Array(channels);
    native.bnBackward(
      x.packed,
      dy,
      channels,
      mean,
      variance,
      p.scale,
      p.epsilon,
      1,
      dx,
      null,
      null,
      dscale,
      doffset,
      reluOutput.packed,
      1 | 2 | 4,
    );
    const expected = bnGradientReference(x.rounded, dy, reluOutput.rounded, channels, mean, variance, p.scale, p.epsilon);
    expectClose(fromBf16(dx, count), expected.dx, BF16_ROUNDING, 1e-6);
    expectClose(dscale, expected.dscale, 1e-4, 1e-5);
    expectClose(doffset, expected.doffset, 1e-4, 1e-5);
  });

  test('the batch-norm gradient reads a bf16 dy', () => {
    const { rows, channels } = { rows: 7, channels: 16 };
    const count = rows * channels;
    const x = toBf16(values(count, 40, 3));
    const { mean, variance } = momentsReference(x.rounded, channels);
    const p = bnParameters(channels, 41);
    const dy = toBf16(values(count, 42));
    const dx = new Float32Array(Math.ceil(count / 2));
    const dscale = new Float32Array(channels);
    const doffset = new Float32Array(channels);
    native.bnBackward(
      x.packed,
      dy.packed,
      channels,
      m32(mean),
      v32(variance),
      p.scale,
      p.epsilon,
      1,
      dx,
      null,
      null,
      dscale,
      doffset,
      null,
      1 | 4 | 8,
      count,
    );
    const expected = bnGradientReference(x.rounded, dy.rounded, null, channels, mean, variance, p.scale, p.epsilon);
    expectClose(fromBf16(dx, count), expected.dx, BF16_ROUNDING, 1e-6);
    expectClose(doffset, expected.doffset, 1e-4, 1e-5);
  });

  test('the ReLU gradient and same-shape sums read and write bf16', () => {
    const n = 2101;
    const dy = toBf16(values(n, 18));
    const y = toBf16(values(n, 19));
    const masked = Float64Array.from(dy.rounded, (g, i) => g * (y.rounded[i]! > 0 ? 1 : 0));
    const dx = new Float32Array(n);
    native.reluGrad(dy.rounded, y.packed, dx, 2);
    expect(Array.from(dx)).toEqual(Array.from(masked));
    const dxBf16 = new Float32Array(Math.ceil(n / 2));
    native.reluGrad(dy.packed, y.packed, dxBf16, 1 | 2 | 4, n);
    expect(Array.from(fromBf16(dxBf16, n))).toEqual(Array.from(masked)); // already bf16 values: exact

    const a = toBf16(values(n, 20));
    const b = values(n, 21);
    const sum = Float64Array.from(b, (v, i) => v + a.rounded[i]!);
    const out = new Float32Array(n);
    native.addSameShape(a.packed, b, out, 1, n);
    expectClose(out, sum, 2 ** -23, 0);
    const outBf16 = new Float32Array(Math.ceil(n / 2));
    native.addSameShape(b, a.packed, outBf16, 2 | 4, n);
    expectClose(fromBf16(outBf16, n), sum, BF16_ROUNDING, 1e-7);
  });
});

describeBf16('bf16-backed tensors of the onednn backend', () => {
  let backend: OneDnnBackend;
  beforeAll(async () => {
    await tf.setBackend('onednn');
    backend = tf.backend() as unknown as OneDnnBackend;
  });
  beforeEach(() => setPrecision('bf16'));
  afterEach(() => setPrecision('fp32'));

  test('a convolution’s output is bf16 storage; reading it gives exactly those values', () => {
    const x = tf.tensor4d(input([2, 6, 6, 8], 30).values, [2, 6, 6, 8]);
    const w = tf.tensor4d(input([3, 3, 8, 16], 31, 0.5).values, [3, 3, 8, 16]);
    const y = tf.conv2d(x, w, 1, 'same');
    const storage = backend.bf16Backed(y);
    expect(storage).toBeDefined();
    expect(Array.from(y.dataSync())).toEqual(Array.from(fromBf16(storage!, y.size)));
    // And the next convolution reads that storage as its bf16 input (no copy made from float32).
    const z = tf.conv2d(y, tf.tensor4d(input([1, 1, 16, 4], 32).values, [1, 1, 16, 4]), 1, 'same');
    expect(backend.bf16Backed(z)).toBeDefined();
    tf.dispose([x, w, y, z]);
  });

  test('an input gradient is bf16 storage, computed when first read', async () => {
    const inputs = [input([2, 6, 6, 8], 38), input([3, 3, 4, 8], 39, 0.5)];
    const build = (dy?: tf.Tensor, w?: tf.Tensor) => {
      const dx = tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [2, 6, 6, 4], 1, 'same');
      if (tf.getBackend() === 'onednn') {
        const storage = backend.bf16Backed(dx);
        expect(storage).toBeDefined();
        expect(Array.from(dx.dataSync())).toEqual(Array.from(fromBf16(storage!, dx.size)));
      }
      return dx;
    };
    const actual = await evaluate('onednn', inputs, build);
    const expected = await evaluate('cpu', inputs, build);
    expect(relativeError(actual[0]!.values, expected[0]!.values)).toBeLessThan(BF16_TOLERANCE);
  });

  test('conv → batch norm (training) → residual add → ReLU: forward within bf16 precision of cpu, gradients in its direction', async () => {
    const inputs = [input([4, 8, 8, 16], 33), input([3, 3, 16, 16], 34, 0.3), input([4, 8, 8, 16], 35)];
    const block = (x?: tf.Tensor, w?: tf.Tensor, shortcut?: tf.Tensor) => {
      const bn = tf.layers.batchNormalization({ epsilon: 1e-3 });
      const f = (xt: tf.Tensor, wt: tf.Tensor) => {
        const y = tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same');
        return tf.relu(tf.add(bn.apply(y, { training: true }) as tf.Tensor, shortcut!));
      };
      const out = f(x!, w!);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), shortcut!)))([x!, w!]);
      return [out, dx!, dw!];
    };
    const spy = jest.spyOn(native, 'bnBackward');
    const actual = await evaluate('onednn', inputs, block);
    // The batch-norm gradient ran with bf16 x, ReLU output and dx (its dy here is the loss's float32 product).
    expect(spy.mock.calls.some((call) => ((call[14] ?? 0) & 7) === 7)).toBe(true);
    spy.mockRestore();
    const expected = await evaluate('cpu', inputs, block);
    expect(relativeError(actual[0]!.values, expected[0]!.values)).toBeLessThan(BF16_TOLERANCE);
    // The gradients of a training-mode batch norm amplify rounding (they are what is left after removing
    // the mean and the x̂ component of dy): bf16 convolutions alone, before activations were bf16, gave
    // them errors of 7 % of their scale here. So they are held to their direction (cosine 0.9993 measured).
    for (const i of [1, 2]) expect(cosine(actual[i]!.values, expected[i]!.values)).toBeGreaterThan(0.995);
  });

  test('bf16-backed tensors kept across a switch to fp32 read as their float32 values', () => {
    const x = tf.tensor4d(input([2, 6, 6, 8], 43).values, [2, 6, 6, 8]);
    const w = tf.tensor4d(input([3, 3, 8, 16], 44, 0.5).values, [3, 3, 8, 16]);
    const y = tf.conv2d(x, w, 1, 'same');
    setPrecision('fp32');
    const widened = tf.tensor4d(y.dataSync().slice(), y.shape as [number, number, number, number]);
    const f = (t: tf.Tensor) => {
      const { mean, variance } = tf.moments(t, [0, 1, 2]);
      return tf.relu(tf.add(tf.batchNorm(t, mean, variance), t));
    };
    const [fromStorage, fromValues] = [f(y), f(widened)];
    expect(Array.from(fromStorage.dataSync())).toEqual(Array.from(fromValues.dataSync()));
    tf.dispose([x, w, y, widened, fromStorage, fromValues]);
  });

  test('bf16 storage comes back to the pool with its tensors', () => {
    const x = tf.tensor4d(input([2, 8, 8, 16], 36).values, [2, 8, 8, 16]);
    const w = tf.tensor4d(input([3, 3, 16, 16], 37, 0.3).values, [3, 3, 16, 16]);
    const run = () =>
      tf.tidy(() => {
        const y = tf.conv2d(x, w, 1, 'same');
        const { mean, variance } = tf.moments(y, [0, 1, 2]);
        return tf.relu(tf.batchNorm(y, mean, variance)).dataSync();
      });
    run();
    const tensors = tf.memory().numTensors;
    const inUse = backend.poolStats().inUseBytes;
    run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.poolStats().inUseBytes).toBe(inUse);
    tf.dispose([x, w]);
  });
});
