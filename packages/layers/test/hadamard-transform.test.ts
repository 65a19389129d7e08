import * as tf from '@tensorflow/tfjs';
import { hadamardTransform } from '@fixclf/hadamard';
import { hadamardTransformOp } from '../src';
import { factoredTransform } from '../src/ops/hadamard-transform';
import { maxAbsDiff, randomValues } from './reference';

/** rows H·v (or Hᵀ·v) by the dense definition, float64. */
function denseTransform(x: Float32Array, batch: number, n: number, transpose: boolean): Float64Array {
  const h = hadamardTransform(n).matrix();
  const y = new Float64Array(batch * n);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (transpose ? h[j * n + i]! : h[i * n + j]!) * x[b * n + j]!;
      y[b * n + i] = s;
    }
  }
  return y;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Orders: powers of two, Kronecker orders m·2^k with a non-symmetric m block, and a pure m.
const ORDERS = [1, 2, 8, 12, 20, 24, 48, 256, 1664];

describe('hadamardTransformOp', () => {
  it('reads integer input as float32, as the layer does (it blamed the backend before)', () => {
    const ints = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4], 'int32');
    const y = hadamardTransformOp(ints as tf.Tensor2D);
    expect(y.dtype).toBe('float32');
    expect(maxAbsDiff(y.dataSync(), denseTransform(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 2, 4, false))).toBe(0);
    tf.dispose([ints, y]);
  });

  it.each(ORDERS)('multiplies every row by H (and Hᵀ) for n = %i, on the CPU kernel and the matMul path', (n) => {
    const batch = 3;
    const x = randomValues(batch * n, n);
    for (const transpose of [false, true]) {
      const expected = denseTransform(x, batch, n, transpose);
      const input = tf.tensor2d(x, [batch, n]);
      const kernel = hadamardTransformOp(input, { transpose });
      const matmul = factoredTransform(input, { order: n, transpose });
      const tol = 1e-5 * Math.sqrt(n);
      expect(maxAbsDiff(kernel.dataSync(), expected)).toBeLessThan(tol);
      expect(maxAbsDiff(matmul.dataSync(), expected)).toBeLessThan(tol);
      tf.dispose([input, kernel, matmul]);
    }
  });

  it.each([8, 12, 48])('has gradient Hᵀ·dy (n = %i)', (n) => {
    const batch = 2;
    const x = tf.tensor2d(randomValues(batch * n, 1), [batch, n]);
    const w = randomValues(batch * n, 2);
    const weights = tf.tensor2d(w, [batch, n]);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(hadamardTransformOp(v as tf.Tensor2D), weights)))(x);
    expect(maxAbsDiff(grad.dataSync(), denseTransform(w, batch, n, true))).toBeLessThan(1e-4);
    tf.dispose([x, weights, grad]);
  });

  it('leaves its input untouched and leaks no tensors', () => {
    const x = tf.tensor2d(randomValues(16, 3), [2, 8]);
    const before = Array.from(x.dataSync());
    const start = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) hadamardTransformOp(x).dispose();
    expect(tf.memory().numTensors).toBe(start);
    expect(Array.from(x.dataSync())).toEqual(before);
    x.dispose();
  });

  it('refuses a tensor that is not [batch, order], which the kernel would transform in wrong blocks', () => {
    for (const shape of [[2, 8, 4], [8]]) {
      const x = tf.zeros(shape) as unknown as tf.Tensor2D;
      expect(() => hadamardTransformOp(x)).toThrow(
        `hadamardTransformOp: x must be rank 2, [batch, order], got shape [${shape.join(', ')}]; reshape it to [-1, order] first.`,
      );
      x.dispose();
    }
  });

  it('names an order that has no Hadamard matrix', () => {
    const x = tf.zeros([1, 6]) as tf.Tensor2D;
    expect(() => hadamardTransformOp(x)).toThrow(/6/);
    x.dispose();
  });
});
