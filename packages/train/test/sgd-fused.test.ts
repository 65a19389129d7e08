// On @fixclf/backend-onednn, SGD.step updates every weight in one native call (the backend's
// fusedSgdUpdate). It must give what the TF.js ops give on the cpu backend: to 1e-6 over several steps,
// with and without Nesterov, with weights excluded from weight decay and weights without gradients.
import * as tf from '@tensorflow/tfjs';

import { SGD, type SgdOptions } from '../src/optim/sgd';

type OneDnn = typeof import('@fixclf/backend-onednn');
let onednn: OneDnn | null = null;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: skipped where the addon is not built
  onednn = require('@fixclf/backend-onednn') as OneDnn;
} catch {
  onednn = null;
}
const describeOneDnn = onednn ? describe : describe.skip;

/** Deterministic values in [-scale, scale). */
function values(n: number, seed: number, scale = 1): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32) * 2 * scale - scale;
  }
  return out;
}

const SHAPES = [[3, 3, 3, 16], [16], [16], [3, 3, 16, 16], [20_000], [16, 10], [10]];
const LRS = [0.1, 0.1, 0.05, 0.2, 0.02, 0.1];

/** Runs SGD on `backend` for LRS.length steps; the weights after, and the momentum buffers. */
async function run(backend: 'onednn' | 'cpu', options: SgdOptions): Promise<{ weights: Float32Array[]; buffers: (Float32Array | null)[] }> {
  await tf.setBackend(backend);
  Object.assign(tf.backend(), { firstUse: false });
  const weights = SHAPES.map((shape, i) => {
    const t = tf.tensor(
      values(
        shape.reduce((a, b) => a * b, 1),
        10 + i,
      ),
      shape,
    );
    const v = tf.variable(t, true, `w${i}-${backend}-${Math.random()}`);
    t.dispose();
    return v;
  });
  const excluded = new Set([weights[1]!.name, weights[2]!.name]);
  const sgd = new SGD(weights, { ...options, noWeightDecay: (name) => excluded.has(name) });
  LRS.forEach((lr, step) => {
    const grads: tf.NamedTensorMap = {};
    weights.forEach((w, i) => {
      // weight 6 gets no gradient in step 2 (the loss does not reach it then)
      if (!(i === 6 && step === 2)) grads[w.name] = tf.tensor(values(w.size, 100 * step + i, 0.5), w.shape);
    });
    sgd.step(grads, lr);
    tf.dispose(Object.values(grads));
  });
  const result = {
    weights: weights.map((w) => (w.dataSync() as Float32Array).slice()),
    buffers: sgd.getState().map((b) => (b ? (b.dataSync() as Float32Array).slice() : null)),
  };
  sgd.dispose();
  tf.dispose(weights);
  return result;
}

function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  let scale = 1e-6;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst / scale;
}

describeOneDnn('SGD on onednn: one fused native update per step', () => {
  test.each<SgdOptions>([
    { momentum: 0.9, weightDecay: 5e-4 },
    { momentum: 0.9, weightDecay: 5e-4, nesterov: true },
    { momentum: 0, weightDecay: 1e-3 },
    { momentum: 0.5 },
  ])('%p: within 1e-6 of the TF.js ops on cpu', async (options) => {
    const fused = jest.spyOn(onednn!.OneDnnBackend.prototype, 'fusedSgdUpdate');
    const expected = await run('cpu', options);
    expect(fused).not.toHaveBeenCalled();
    const actual = await run('onednn', options);
    expect(fused).toHaveBeenCalledTimes(LRS.length);
    fused.mockRestore();
    actual.weights.forEach((w, i) => {
      const error = maxRelativeError(w, expected.weights[i]!);
      if (!(error <= 1e-6)) throw new Error(`weight ${i}: relative error ${error}`);
    });
    actual.buffers.forEach((b, i) => {
      expect(b === null).toBe(expected.buffers[i] === null);
      if (b !== null) expect(maxRelativeError(b, expected.buffers[i]!)).toBeLessThanOrEqual(1e-6);
    });
  });

  test('fused: false takes the TF.js ops on onednn too, with the same result', async () => {
    const fused = jest.spyOn(onednn!.OneDnnBackend.prototype, 'fusedSgdUpdate');
    const plain = await run('onednn', { momentum: 0.9, weightDecay: 5e-4, nesterov: true, fused: false });
    expect(fused).not.toHaveBeenCalled();
    const withFused = await run('onednn', { momentum: 0.9, weightDecay: 5e-4, nesterov: true });
    expect(fused).toHaveBeenCalled();
    fused.mockRestore();
    withFused.weights.forEach((w, i) => expect(maxRelativeError(w, plain.weights[i]!)).toBeLessThanOrEqual(1e-6));
  });

  test('restores its momentum buffers from getState, continuing identically', async () => {
    await tf.setBackend('onednn');
    const trainFor = (restart: boolean) => {
      const w = tf.variable(tf.tensor1d([1, 2]));
      let sgd = new SGD([w], { momentum: 0.9, weightDecay: 1e-3 });
      for (let i = 0; i < 6; i++) {
        if (restart && i === 3) {
          const state = sgd.getState().map((t) => (t ? t.clone() : null));
          sgd.dispose();
          sgd = new SGD([w], { momentum: 0.9, weightDecay: 1e-3 });
          sgd.setState(state);
          tf.dispose(state.filter((t): t is tf.Tensor => t != null));
        }
        const g = tf.tensor1d([0.3 * i, -0.1]);
        sgd.step({ [w.name]: g }, 0.1);
        g.dispose();
      }
      const out = Array.from(w.dataSync());
      sgd.dispose();
      w.dispose();
      return out;
    };
    expect(trainFor(true)).toEqual(trainFor(false));
  });
});
