import { native } from '../native';
import { coreOf, HADAMARD_TRANSFORM, type HadamardTransformAttrs } from './head-names';
import { nativeKernel, nativeOutput } from './util';

/** @fixclf/layers' HADAMARD_TRANSFORM: every row times H (or Hᵀ), by fast Walsh–Hadamard butterflies. */
export const fixclfHadamardTransformConfig = nativeKernel(HADAMARD_TRANSFORM, ({ x }, backend, attrs) => {
  const a = attrs as unknown as HadamardTransformAttrs;
  const core = coreOf(a);
  if (x!.dtype !== 'float32' || x!.shape.length !== 2 || x!.shape[1] !== a.order || core === undefined) return null;
  const [batch, order] = x!.shape as [number, number];
  const xValues = backend.float32(x!);
  return nativeOutput(backend, [batch, order], (y) => native.hadamardRows(xValues, batch, order, core, a.transpose === true, y));
});
