import { native } from '../native';
import { coreOf, NORMALIZED_HADAMARD, type NormalizedHadamardAttrs } from './head-names';
import { nativeKernel, nativeOutput } from './util';

/**
 * @fixclf/layers' NORMALIZED_HADAMARD, the fixed classifier's projection: normalise each row, transform
 * the first min(features, order) features with H, keep the first `outputs`, scale (native/hadamard.cc).
 */
export const fixclfNormalizedHadamardConfig = nativeKernel(NORMALIZED_HADAMARD, ({ x }, backend, attrs) => {
  const a = attrs as unknown as NormalizedHadamardAttrs;
  const core = coreOf(a);
  if (x!.dtype !== 'float32' || x!.shape.length !== 2 || core === undefined) return null;
  if (a.outputs > a.order) throw new RangeError(`outputs (${a.outputs}) must be at most the order (${a.order}).`);
  const [batch, features] = x!.shape as [number, number];
  const xValues = backend.float32(x!);
  return nativeOutput(backend, [batch, a.outputs], (y) =>
    native.headForward(xValues, batch, features, a.order, core, a.outputs, a.scale, a.epsilon, y),
  );
});
