import * as tf from '@tensorflow/tfjs';

import { setPrecision } from '../src/index';
import { native } from '../src/native';
import { expectMatchesCpu, input } from './helpers';

const positive = (shape: number[], seed: number) => {
  const i = input(shape, seed);
  return { shape, values: i.values.map((v) => 0.5 + Math.abs(v)) };
};

describe('FusedBatchNorm matches the cpu backend', () => {
  test.each([
    { x: [2, 5, 5, 7], params: [7] },
    { x: [64, 3], params: [3] },
    { x: [2, 4, 4, 6], params: [1] },
  ])('forward and all five gradients, x $x, parameters $params', async ({ x, params }) => {
    const spies = [jest.spyOn(native, 'bnForward'), jest.spyOn(native, 'bnBackward')];
    await expectMatchesCpu(
      [input(x, 1, 2), input(params, 2), positive(params, 3), input(params, 4), input(params, 5), input(x, 6)],
      (xt, mean, variance, offset, scale, dy) => {
        const f = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, s: tf.Tensor) => tf.batchNorm(a, m, v, o, s, 0.01);
        const grads = tf.grads((a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, s: tf.Tensor) =>
          tf.sum(tf.mul(f(a, m, v, o, s), dy!)),
        )([xt!, mean!, variance!, offset!, scale!]);
        return [f(xt!, mean!, variance!, offset!, scale!), ...grads];
      },
    );
    for (const spy of spies) expect(spy).toHaveBeenCalled();
  });

  // Past 4096 channels the native pass cannot take the ReLU's mask: the gradient is made first.
  test.each(['fp32', 'bf16'] as const)('gradients through a ReLU after a batch norm of 5,000 channels (%s)', async (precision) => {
    const spy = jest.spyOn(native, 'bnBackward');
    const c = 5000;
    setPrecision(precision);
    try {
      await expectMatchesCpu(
        [input([4, c], 31, 2), input([c], 32), positive([c], 33), input([c], 34), input([c], 35), input([4, c], 36)],
        (xt, mean, variance, offset, scale, w) =>
          tf.grads((a: tf.Tensor, o: tf.Tensor, s: tf.Tensor) =>
            tf.sum(tf.mul(tf.relu(tf.batchNorm(a, mean!, variance!, o, s, 0.01)), w!)),
          )([xt!, offset!, scale!]),
        precision === 'bf16' ? 2e-2 : 1e-4,
      );
    } finally {
      setPrecision('fp32');
    }
    expect(spy).toHaveBeenCalled();
  });

  // (TF.js cannot differentiate batchNorm without a scale: it saves the missing input.)
  test('forward without scale and offset', async () => {
    await expectMatchesCpu([input([3, 4, 4, 5], 7), input([5], 8), positive([5], 9)], (x, m, v) => tf.batchNorm(x!, m!, v!));
  });

  test('parameters that broadcast over more than the channel axis fall back to cpu', async () => {
    const spy = jest.spyOn(native, 'bnForward');
    await expectMatchesCpu([input([2, 3, 4, 5], 11), input([4, 5], 12), positive([4, 5], 13)], (x, m, v) => tf.batchNorm(x!, m!, v!));
    expect(spy).not.toHaveBeenCalled();
  });
});

describe('training-mode batch normalisation of tf.layers matches the cpu backend', () => {
  test('BatchNormalization layer: output, input gradient, gamma and beta gradients', async () => {
    const x = input([4, 6, 6, 10], 20, 3);
    const gamma = input([10], 21);
    const beta = input([10], 22);
    const dy = input([4, 6, 6, 10], 23);
    await expectMatchesCpu(
      [x, gamma, beta, dy],
      (xt, g, b, dyt) => {
        const layer = tf.layers.batchNormalization({ epsilon: 1e-3 });
        layer.build(xt!.shape);
        layer.setWeights([g!, b!, tf.zeros([10]), tf.ones([10])]);
        const f = (a: tf.Tensor) => tf.sum(tf.mul(layer.apply(a, { training: true }) as tf.Tensor, dyt!));
        const { grads } = tf.variableGrads(
          () => f(xt!) as tf.Scalar,
          layer.trainableWeights.map((w) => w.read() as tf.Variable),
        );
        const gx = tf.grad(f)(xt!);
        const out = layer.apply(xt!, { training: true }) as tf.Tensor;
        const result = [
          out,
          gx,
          ...Object.values(grads),
          ...layer
            .getWeights()
            .slice(2)
            .map((w) => tf.clone(w)),
        ];
        layer.weights.forEach((w) => w.dispose());
        return result;
      },
      2e-4,
    );
  });
});

describe('deferred batch-norm outputs feed ReLU and residual additions in one pass', () => {
  const x = input([3, 6, 6, 8], 30, 2);
  const shortcut = input([3, 6, 6, 8], 31);
  const params = [input([8], 32), positive([8], 33), input([8], 34), input([8], 35)];
  const bn = (t: tf.Tensor, [m, v, o, s]: tf.Tensor[]) => tf.batchNorm(t, m!, v!, o!, s!, 1e-3);

  test('relu(bn(x) + shortcut), its gradients, and two deferred outputs added together', async () => {
    const forward = jest.spyOn(native, 'bnForward');
    await expectMatchesCpu([x, shortcut, ...params, input([3, 6, 6, 8], 36)], (xt, st, m, v, o, s, dy) => {
      const p = [m!, v!, o!, s!];
      const block = (a: tf.Tensor, r: tf.Tensor) => tf.relu(tf.add(bn(a, p), r));
      const [gx, gs] = tf.grads((a: tf.Tensor, r: tf.Tensor) => tf.sum(tf.mul(block(a, r), dy!)))([xt!, st!]);
      const projection = tf.relu(tf.add(bn(xt!, p), bn(st!, p)));
      return [block(xt!, st!), gx!, gs!, projection, bn(xt!, p)];
    });
    // The block's output came from one fused pass: relu with the shortcut as residual.
    expect(forward.mock.calls.some((call) => call[8] !== null && call[9] === true)).toBe(true);
  });
});
