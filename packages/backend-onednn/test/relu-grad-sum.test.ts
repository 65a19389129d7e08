// The gradient reaching a residual block's input is the sum of its shortcut's masked gradient dy·step(y),
// still deferred, and its convolution's input gradient. Add computes that sum in one pass without storing
// the masked gradient: the same values as the two passes (bit for bit, bf16 rounding included), the cpu
// backend's within float32 or bf16 precision, and the deferred gradient still readable afterwards.
import * as tf from '@tensorflow/tfjs';

import { setPrecision } from '../src/index';
import { OneDnnReluGrad } from '../src/kernels/custom-names';
import { native } from '../src/native';
import { evaluate, input, relativeError } from './helpers';

const precisions = native.bf16Support().supported ? (['fp32', 'bf16'] as const) : (['fp32'] as const);

describe.each(precisions)('a sum with a deferred ReLU gradient in %s', (precision) => {
  afterEach(() => setPrecision('fp32'));

  test.each([[[2, 5, 5, 16]], [[3, 7, 5]], [[1]]])('shape %p, either operand order', async (shape) => {
    setPrecision(precision);
    // y with exact zeros (ReLU outputs are) and negatives, which the mask treats alike.
    const [dy, y, other] = [input(shape, 1), input(shape, 2), input(shape, 3)];
    y.values = y.values.map((v, i) => (i % 5 === 0 ? 0 : v));
    const reluGrad = jest.spyOn(native, 'reluGrad');
    const sum = jest.spyOn(native, 'reluGradAdd');
    const [fusedAB, fusedBA, twoPass, deferred] = await evaluate('onednn', [dy, y, other], (d, r, o) => {
      const masked = () => tf.engine().runKernel(OneDnnReluGrad, { dy: d!, y: r! }) as tf.Tensor;
      const m = masked();
      const ab = tf.add(m, o!);
      const ba = tf.add(o!, masked());
      expect(reluGrad).not.toHaveBeenCalled();
      expect(sum).toHaveBeenCalledTimes(2);
      // Computed first (dataSync), then added: the two-pass sum.
      const stored = masked();
      stored.dataSync();
      return [ab, ba, tf.add(stored, o!), m];
    });
    expect(Array.from(fusedAB!.values)).toEqual(Array.from(twoPass!.values));
    expect(Array.from(fusedBA!.values)).toEqual(Array.from(twoPass!.values));
    const [reference, masked] = await evaluate('cpu', [dy, y, other], (d, r, o) => {
      const m = tf.mul(d!, tf.step(r!));
      return [tf.add(m, o!), m];
    });
    const tolerance = precision === 'bf16' ? 2e-2 : 1e-6;
    expect(relativeError(fusedAB!.values, reference!.values)).toBeLessThan(tolerance);
    // The deferred gradient itself is intact.
    expect(relativeError(deferred!.values, masked!.values)).toBeLessThan(tolerance);
  });
});
