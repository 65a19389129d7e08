import { native } from '../native';
import { coreOf, NORMALIZED_HADAMARD_GRAD, type NormalizedHadamardAttrs } from './head-names';
import { nativeKernel, nativeOutput } from './util';

/** @fixclf/layers' NORMALIZED_HADAMARD_GRAD: dx of the fixed classifier's projection (native/hadamard.cc). */
export const fixclfNormalizedHadamardGradConfig = nativeKernel(NORMALIZED_HADAMARD_GRAD, ({ dy, x }, backend, attrs) => {
  const a = attrs as unknown as NormalizedHadamardAttrs;
  const core = coreOf(a);
  if (dy!.dtype !== 'float32' || x!.dtype !== 'float32' || x!.shape.length !== 2 || core === undefined) return null;
  if (a.outputs > a.order) throw new RangeError(`outputs (${a.outputs}) must be at most the order (${a.order}).`);
  const [batch, features] = x!.shape as [number, number];
  if (backend.lazyKind(dy!) === 'zeros') return backend.makeZeros32([batch, features]);
  const dyValues = backend.float32(dy!);
  const xValues = backend.float32(x!);
  return nativeOutput(backend, [batch, features], (dx) =>
    native.headBackward(dyValues, xValues, batch, features, a.order, core, a.outputs, a.scale, a.epsilon, dx),
  );
});
