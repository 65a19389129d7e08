import * as tf from '@tensorflow/tfjs';
import { SGD } from '../src/optim/sgd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** PyTorch's torch.optim.SGD update, written out for one scalar weight, in float64. */
function pytorchSgd(w0: number, grads: number[], lrs: number[], mu: number, wd: number, nesterov: boolean): number[] {
  let w = w0;
  let v: number | null = null;
  const out: number[] = [];
  grads.forEach((g, i) => {
    const d = g + wd * w;
    v = v == null ? d : mu * v + d;
    w -= lrs[i]! * (nesterov ? d + mu * v : v);
    out.push(w);
  });
  return out;
}

describe('SGD in PyTorch semantics', () => {
  it.each([
    [0.9, 1e-4, false],
    [0.9, 5e-4, true],
    [0, 1e-2, false],
    [0.5, 0, false],
  ])('momentum %p, weight decay %p, nesterov %p: weights follow torch.optim.SGD', (mu, wd, nesterov) => {
    const w = tf.variable(tf.tensor1d([0.5, -2, 3]));
    const sgd = new SGD([w], { momentum: mu, weightDecay: wd, nesterov });
    const grads = [
      [0.1, 0.2, -0.3],
      [0.4, -0.1, 0.2],
      [-0.2, 0.3, 0.1],
      [0.05, 0.05, 0.05],
    ];
    const lrs = [0.1, 0.1, 0.05, 0.2];
    grads.forEach((g, i) => {
      const t = tf.tensor1d(g);
      sgd.step({ [w.name]: t }, lrs[i]!);
      t.dispose();
    });
    const got = Array.from(w.dataSync());
    [0.5, -2, 3].forEach((w0, j) => {
      const expected = pytorchSgd(
        w0,
        grads.map((g) => g[j]!),
        lrs,
        mu,
        wd,
        nesterov,
      ).at(-1)!;
      expect(got[j]).toBeCloseTo(expected, 5);
    });
    sgd.dispose();
    w.dispose();
  });

  it('skips weight decay for excluded weights and leaves weights without gradients alone', () => {
    const a = tf.variable(tf.scalar(1));
    const b = tf.variable(tf.scalar(1));
    const c = tf.variable(tf.scalar(1));
    const sgd = new SGD([a, b, c], { momentum: 0, weightDecay: 0.1, noWeightDecay: (name) => name === b.name });
    sgd.step({ [a.name]: tf.scalar(0), [b.name]: tf.scalar(0) }, 1);
    expect(a.dataSync()[0]).toBeCloseTo(0.9, 6);
    expect(b.dataSync()[0]).toBe(1);
    expect(c.dataSync()[0]).toBe(1);
  });

  it('restores its momentum buffers from getState, continuing identically', () => {
    const run = (restart: boolean) => {
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
        sgd.step({ [w.name]: tf.tensor1d([0.3 * i, -0.1]) }, 0.1);
      }
      const out = Array.from(w.dataSync());
      sgd.dispose();
      w.dispose();
      return out;
    };
    expect(run(true)).toEqual(run(false));
  });

  it('does not leak tensors across steps', () => {
    const w = tf.variable(tf.ones([4]));
    const sgd = new SGD([w], { momentum: 0.9, weightDecay: 1e-4, nesterov: true });
    const g = tf.ones([4]);
    sgd.step({ [w.name]: g }, 0.1);
    const n = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) sgd.step({ [w.name]: g }, 0.1);
    expect(tf.memory().numTensors).toBe(n);
  });

  it.each([
    [{ momentum: 1 }, /momentum must be in \[0, 1\), got 1/],
    [{ weightDecay: -1 }, /weightDecay must be ≥ 0, got -1/],
    [{ momentum: 0, nesterov: true }, /Nesterov momentum needs momentum > 0/],
  ])('rejects %p', (options, message) => {
    expect(() => new SGD([], options)).toThrow(message);
  });
});

describe('SGD takes a LayersModel’s weights as they are', () => {
  it('steps the variables behind trainableWeights exactly as when given those variables', () => {
    const build = () => tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: 'ones' })] });
    const [a, b] = [build(), build()];
    // LayerVariables as they are (read() inside SGD), and the tf.Variables users cast them to before.
    const fromWeights = new SGD(a.trainableWeights, { momentum: 0.9, weightDecay: 1e-2 });
    const fromVariables = new SGD(
      b.trainableWeights.map((w) => w.read() as tf.Variable),
      { momentum: 0.9, weightDecay: 1e-2 },
    );
    expect(fromWeights.variables).toEqual(a.trainableWeights.map((w) => w.read()));
    for (const sgd of [fromWeights, fromVariables]) {
      for (let step = 1; step <= 3; step++) {
        const grads = Object.fromEntries(sgd.variables.map((v) => [v.name, tf.fill(v.shape, 0.1 * step)]));
        sgd.step(grads, 0.5);
        tf.dispose(Object.values(grads));
      }
    }
    const [kernelA, kernelB] = [a, b].map((model) => Array.from(model.getWeights()[0]!.dataSync()));
    expect(kernelA).toEqual(kernelB);
    expect(kernelA).not.toEqual(Array(12).fill(1)); // it moved
    for (const disposable of [fromWeights, fromVariables, a, b]) disposable.dispose();
  });
});
