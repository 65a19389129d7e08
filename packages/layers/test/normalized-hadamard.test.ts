import * as tf from '@tensorflow/tfjs';
import { hadamardTransform } from '@fixclf/hadamard';
import { composed, normalizedHadamard, type NormalizedHadamardAttrs } from '../src/ops/normalized-hadamard';
import { maxAbsDiff, randomValues } from './reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** s · (H · pad(x/(‖x‖+ε)))[:outputs] for each row, float64, from the dense matrix. */
function formula(x: Float32Array, batch: number, features: number, a: NormalizedHadamardAttrs): Float64Array {
  const h = hadamardTransform(a.order).matrix();
  const y = new Float64Array(batch * a.outputs);
  for (let b = 0; b < batch; b++) {
    let norm = 0;
    for (let k = 0; k < features; k++) norm += x[b * features + k]! ** 2;
    const d = Math.sqrt(norm) + a.epsilon;
    for (let c = 0; c < a.outputs; c++) {
      let s = 0;
      for (let k = 0; k < Math.min(features, a.order); k++) s += h[c * a.order + k]! * (x[b * features + k]! / d);
      y[b * a.outputs + c] = s * a.scale;
    }
  }
  return y;
}

describe('normalizedHadamard (the fused CPU kernels) against the formula and the composed ops', () => {
  it.each<[number, NormalizedHadamardAttrs]>([
    [64, { order: 64, outputs: 10, scale: 0.125, epsilon: 1e-8 }],
    [342, { order: 336, outputs: 100, scale: 0.3, epsilon: 1e-8 }],
    [30, { order: 52, outputs: 50, scale: 0.2, epsilon: 1e-3 }],
    [48, { order: 48, outputs: 48, scale: 1, epsilon: 1e-8 }],
  ])('inputDim %i, %p: forward and gradient', (features, attrs) => {
    const batch = 3;
    const xv = randomValues(batch * features, features);
    const x = tf.tensor2d(xv, [batch, features]);
    const fused = normalizedHadamard(x, attrs);
    const ops = composed(x, attrs);
    const expected = formula(xv, batch, features, attrs);
    expect(maxAbsDiff(fused.dataSync(), expected)).toBeLessThan(1e-5);
    expect(maxAbsDiff(ops.dataSync(), expected)).toBeLessThan(1e-5);

    const probe = tf.tensor2d(randomValues(batch * attrs.outputs, 7), [batch, attrs.outputs]);
    const gFused = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(normalizedHadamard(v as tf.Tensor2D, attrs), probe)))(x);
    const gOps = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(composed(v as tf.Tensor2D, attrs), probe)))(x);
    expect(maxAbsDiff(gFused.dataSync(), gOps.dataSync())).toBeLessThan(1e-5);
  });

  it('gives a zero row the finite gradient g/ε', () => {
    const attrs = { order: 8, outputs: 4, scale: 1, epsilon: 1e-2 };
    const g = tf.grad((v: tf.Tensor) => tf.sum(normalizedHadamard(v as tf.Tensor2D, attrs)))(tf.zeros([1, 8]));
    const h = hadamardTransform(8).matrix();
    const expected = Array.from({ length: 8 }, (_, k) => [0, 1, 2, 3].reduce((s, c) => s + h[c * 8 + k]!, 0) / 1e-2);
    expect(maxAbsDiff(g.dataSync(), expected)).toBeLessThan(1e-3);
  });
});
