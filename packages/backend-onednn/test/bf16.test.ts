// bf16 mode: convolutions (forward, input and filter gradients) and matrix products read bf16 copies of
// their inputs and accumulate and write float32. Checked against the cpu backend's float32 kernels within
// bf16's precision (2e-2 of the output's scale), that the bf16 primitives really ran, and that converted
// weights follow the weights they were made from.
import * as tf from '@tensorflow/tfjs';

import { getPrecision, setPrecision } from '../src/index';
import { native, type PrecisionRuns } from '../src/native';
import { applyPrecisionFromEnv } from '../src/precision';
import { evaluate, expectMatchesCpu, input, random, relativeError } from './helpers';

const BF16_TOLERANCE = 2e-2;
const supported = native.bf16Support().supported;
const describeBf16 = supported ? describe : describe.skip;

/** A variable that alone holds its storage (so that disposing it frees the storage). */
function variable(values: Float32Array, shape: number[]): tf.Variable {
  const t = tf.tensor(values, shape);
  const v = tf.variable(t);
  t.dispose();
  return v;
}

/** bf16 executions of each family while `fn` runs. */
async function bf16Runs(fn: () => Promise<unknown>): Promise<Record<keyof PrecisionRuns, number>> {
  const before = native.precisionRuns();
  await fn();
  const after = native.precisionRuns();
  const delta = (f: keyof PrecisionRuns) => after[f].bf16 - before[f].bf16;
  return {
    convForward: delta('convForward'),
    convBackwardData: delta('convBackwardData'),
    convBackwardWeights: delta('convBackwardWeights'),
    matmul: delta('matmul'),
  };
}

test('the CPU check answers, and the precision defaults to fp32', () => {
  expect(typeof native.bf16Support().isa).toBe('string');
  expect(getPrecision()).toBe('fp32');
  expect(() => setPrecision('fp16' as never)).toThrow(/'fp32' or 'bf16', got "fp16"/);
});

test('toBf16 rounds to nearest even and keeps NaN and infinities', () => {
  const values = new Float32Array([
    1,
    -2.5,
    1 + 2 ** -8,
    1 + 3 * 2 ** -8,
    1 + 2 ** -7 + 2 ** -9,
    Infinity,
    -Infinity,
    NaN,
    0,
    -0,
    3e38,
    1e-40,
  ]);
  const packed = new Float32Array(Math.ceil(values.length / 2));
  native.toBf16(values, packed);
  const back = new Float32Array(values.length);
  native.fromBf16(packed, back);
  // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1); 1 + 3·2^-8 to 1 + 2^-6.
  expect(Array.from(back.slice(0, 5))).toEqual([1, -2.5, 1, 1 + 2 ** -6, 1 + 2 ** -7]);
  expect(back[5]).toBe(Infinity);
  expect(back[6]).toBe(-Infinity);
  expect(back[7]).toBeNaN();
  expect(Object.is(back[8], 0)).toBe(true);
  expect(Object.is(back[9], -0)).toBe(true);
  expect(Math.abs(back[10]! - 3e38) / 3e38).toBeLessThan(2 ** -8);
});

describeBf16('bf16 kernels match the cpu backend within bf16 precision', () => {
  beforeAll(() => setPrecision('bf16'));
  afterAll(() => setPrecision('fp32'));

  test('setPrecision(bf16) takes effect on this CPU', () => {
    expect(getPrecision()).toBe('bf16');
  });

  // Randomised shapes: batch, size, channels (not multiples of 8), 1×1 / 3×3 / 5×5, strides 1 and 2, padding.
  const next = random(2024);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(((next() + 1) / 2) * list.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(((next() + 1) / 2) * (hi - lo + 1));
  const convCases = Array.from({ length: 6 }, (_, i) => ({
    id: i,
    x: [between(1, 3), between(5, 12), between(5, 12), pick([1, 3, 5, 8, 13, 16, 20])] as [number, number, number, number],
    k: pick([1, 3, 5]),
    outChannels: pick([2, 7, 16, 19]),
    stride: pick([1, 2]),
    pad: pick(['same', 'valid'] as const),
  }));

  test.each(convCases)('conv $id: x $x, $k×$k, $outChannels out, stride $stride, $pad', async (c) => {
    const x = input(c.x, 100 + c.id);
    const w = input([c.k, c.k, c.x[3], c.outChannels], 200 + c.id, 0.5);
    const outShape: number[] = tf.tidy(
      () => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(w.shape as [number, number, number, number]), c.stride, c.pad).shape,
    );
    const dy = input(outShape, 300 + c.id);
    const runs = await bf16Runs(() =>
      expectMatchesCpu(
        [x, w, dy],
        (xt, wt, dyt) => {
          const y = tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, c.stride, c.pad);
          const dx = tf.conv2dTranspose(dyt as tf.Tensor4D, wt as tf.Tensor4D, c.x, c.stride, c.pad);
          const dw = tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xt as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), dyt!)))(wt!);
          return [y, dx, dw];
        },
        BF16_TOLERANCE,
      ),
    );
    expect(runs.convForward).toBeGreaterThan(0);
    expect(runs.convBackwardData).toBeGreaterThan(0);
    expect(runs.convBackwardWeights).toBeGreaterThan(0);
  });

  test('fused bias and relu, depthwise, and gradients through tf.grads', async () => {
    const runs = await bf16Runs(async () => {
      await expectMatchesCpu(
        [input([2, 9, 9, 6], 1), input([3, 3, 6, 10], 2, 0.5), input([10], 3)],
        (x, w, b) =>
          tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }),
        BF16_TOLERANCE,
      );
      await expectMatchesCpu(
        [input([2, 8, 8, 4], 4), input([3, 3, 4, 2], 5, 0.5), input([2, 8, 8, 8], 6)],
        (x, w, dy) => {
          const conv = (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same');
          const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), dy!)))([x!, w!]);
          return [conv(x!, w!), gx!, gw!];
        },
        BF16_TOLERANCE,
      );
    });
    expect(runs.convForward).toBeGreaterThan(0);
  });

  test.each([
    { a: [33, 70], b: [70, 12], ta: false, tb: false },
    { a: [70, 33], b: [70, 12], ta: true, tb: false },
    { a: [33, 70], b: [12, 70], ta: false, tb: true },
    { a: [70, 33], b: [12, 70], ta: true, tb: true },
    { a: [3, 17, 40], b: [1, 40, 9], ta: false, tb: false },
    { a: [2, 40, 17], b: [2, 9, 40], ta: true, tb: true },
  ])('matmul a $a (transposed: $ta) × b $b (transposed: $tb)', async ({ a, b, ta, tb }) => {
    const runs = await bf16Runs(() => expectMatchesCpu([input(a, 7), input(b, 8)], (x, y) => tf.matMul(x!, y!, ta, tb), BF16_TOLERANCE));
    expect(runs.matmul).toBeGreaterThan(0);
  });

  test('matmul with a fused bias and activation, and a dense layer’s gradients', async () => {
    const runs = await bf16Runs(async () => {
      await expectMatchesCpu(
        [input([16, 24], 9), input([24, 10], 10), input([10], 11)],
        (x, w, b) => tf.fused.matMul({ a: x!, b: w!, bias: b, activation: 'relu' }),
        BF16_TOLERANCE,
      );
      await expectMatchesCpu(
        [input([16, 24], 12), input([24, 10], 13), input([16, 10], 14)],
        (x, w, dy) => {
          const [gx, gw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q), dy!)))([x!, w!]);
          return [gx!, gw!];
        },
        BF16_TOLERANCE,
      );
    });
    expect(runs.matmul).toBeGreaterThanOrEqual(3);
  });

  test('bf16 differs from fp32 (the bf16 path really rounds its inputs)', async () => {
    const inputs = [input([2, 8, 8, 16], 15), input([3, 3, 16, 16], 16, 0.5)];
    const build = (x?: tf.Tensor, w?: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
    const low = await evaluate('onednn', inputs, build);
    setPrecision('fp32');
    const high = await evaluate('onednn', inputs, build);
    setPrecision('bf16');
    const error = relativeError(low[0]!.values, high[0]!.values);
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(BF16_TOLERANCE);
  });
});

describeBf16('the converted-weight cache', () => {
  beforeAll(async () => {
    await tf.setBackend('onednn');
    setPrecision('bf16');
  });
  afterAll(() => setPrecision('fp32'));

  test('a weight changed between two convolutions: the second uses the new weight', () => {
    const x = tf.tensor(input([2, 8, 8, 5], 20).values, [2, 8, 8, 5]) as tf.Tensor4D;
    const first = input([3, 3, 5, 7], 21, 0.5);
    const second = input([3, 3, 5, 7], 22, 0.5);
    const w = variable(first.values as Float32Array, first.shape);
    const y1 = tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
    const y1Again = tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
    expect(Array.from(y1Again.dataSync())).toEqual(Array.from(y1.dataSync()));
    const replacement = tf.tensor(second.values, second.shape);
    w.assign(replacement);
    const y2 = tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
    // A tensor of its own: converted afresh, so equal only if the second convolution used the new weight.
    const fresh = tf.tensor4d(second.values.slice(), second.shape as [number, number, number, number]);
    const expected = tf.conv2d(x, fresh, 1, 'same');
    expect(Array.from(y2.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(relativeError(y2.dataSync(), y1.dataSync())).toBeGreaterThan(0.1);
    tf.dispose([x, w, y1, y1Again, replacement, y2, fresh, expected]);
  });

  test('one step converts each filter once: the backward-data layout is derived from the forward one', () => {
    const x = tf.tensor(input([2, 8, 8, 8], 23).values, [2, 8, 8, 8]) as tf.Tensor4D;
    const w1 = variable(input([3, 3, 8, 16], 24, 0.5).values as Float32Array, [3, 3, 8, 16]);
    const w2 = variable(input([3, 3, 16, 16], 25, 0.5).values as Float32Array, [3, 3, 16, 16]);
    const loss = () => tf.sum(tf.conv2d(tf.relu(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'same')), w2 as tf.Tensor4D, 1, 'same')) as tf.Scalar;
    const before = native.bf16WeightStats();
    const { value, grads } = tf.variableGrads(loss, [w1, w2]);
    const after = native.bf16WeightStats();
    // Forward: w1, w2 converted from float32. Backward: only w2's input gradient is needed (x's is never
    // read), from w2's forward copy: reordered into the backward layout (avx512_core_bf16), or as it is
    // where both passes want the same layout.
    expect(after.conversions - before.conversions).toBe(2);
    expect(after.derived - before.derived + (after.hits - before.hits)).toBe(1);
    tf.dispose([value, ...Object.values(grads)]);
    // Disposing a weight frees its converted copies (forgotten in a batch before the next conversion).
    const held = native.bf16WeightStats().weights;
    tf.dispose([w1, w2]);
    const w3 = variable(input([3, 3, 8, 4], 26, 0.5).values as Float32Array, [3, 3, 8, 4]);
    tf.dispose(tf.conv2d(x, w3 as tf.Tensor4D, 1, 'same'));
    expect(native.bf16WeightStats().weights).toBe(held - 2 + 1);
    tf.dispose([x, w3]);
  });

  test('a filter reshaped to another filter shape (one dataId, two shapes) gets copies of its own shape', () => {
    const values = input([3, 3, 4, 8], 29, 0.5).values as Float32Array;
    const w = tf.tensor4d(values, [3, 3, 4, 8]);
    const reshaped = tf.reshape(w, [3, 3, 8, 4]) as tf.Tensor4D;
    expect(reshaped.dataId).toBe(w.dataId);
    const x1 = tf.tensor4d(input([1, 5, 5, 4], 30).values, [1, 5, 5, 4]);
    const x2 = tf.tensor4d(input([1, 5, 5, 8], 31).values, [1, 5, 5, 8]);
    const dy = tf.tensor4d(input([1, 5, 5, 4], 32).values, [1, 5, 5, 4]);
    const y1 = tf.conv2d(x1, w, 1, 'same');
    const y2 = tf.conv2d(x2, reshaped, 1, 'same');
    const dx2 = tf.conv2dTranspose(dy, reshaped, [1, 5, 5, 8], 1, 'same');
    const fresh = tf.tensor4d(values.slice(), [3, 3, 8, 4]);
    expect(Array.from(y2.dataSync())).toEqual(Array.from(tf.conv2d(x2, fresh, 1, 'same').dataSync()));
    expect(Array.from(dx2.dataSync())).toEqual(Array.from(tf.conv2dTranspose(dy, fresh, [1, 5, 5, 8], 1, 'same').dataSync()));
    tf.dispose([w, reshaped, x1, x2, dy, y1, y2, dx2, fresh]);
  });

  test('copies of activations live and die with their tensors', () => {
    const backend = tf.backend() as unknown as { bf16: { has(dataId: object): boolean } };
    const x = tf.tensor(input([1, 6, 6, 3], 27).values, [1, 6, 6, 3]) as tf.Tensor4D;
    const w = tf.tensor(input([3, 3, 3, 4], 28).values, [3, 3, 3, 4]) as tf.Tensor4D;
    const y = tf.conv2d(x, w, 1, 'same');
    expect(backend.bf16.has(x.dataId)).toBe(true);
    x.dispose();
    expect(backend.bf16.has(x.dataId)).toBe(false);
    tf.dispose([w, y]);
  });
});

describeBf16('FIXCLF_ONEDNN_PRECISION', () => {
  afterEach(() => setPrecision('fp32'));

  test('bf16 selects bf16; an unknown value warns and keeps fp32', () => {
    applyPrecisionFromEnv({ FIXCLF_ONEDNN_PRECISION: 'bf16' });
    expect(getPrecision()).toBe('bf16');
    applyPrecisionFromEnv({ FIXCLF_ONEDNN_PRECISION: 'fp32' });
    expect(getPrecision()).toBe('fp32');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    applyPrecisionFromEnv({ FIXCLF_ONEDNN_PRECISION: 'half' });
    expect(getPrecision()).toBe('fp32');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/ignoring FIXCLF_ONEDNN_PRECISION=half/));
  });

  test('is read at import', () => {
    const saved = process.env.FIXCLF_ONEDNN_PRECISION;
    process.env.FIXCLF_ONEDNN_PRECISION = 'bf16';
    let precision: string | undefined;
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules needs a synchronous load
        precision = (require('../src/precision') as typeof import('../src/precision')).getPrecision();
      });
    } finally {
      if (saved === undefined) delete process.env.FIXCLF_ONEDNN_PRECISION;
      else process.env.FIXCLF_ONEDNN_PRECISION = saved;
    }
    expect(precision).toBe('bf16');
  });
});
