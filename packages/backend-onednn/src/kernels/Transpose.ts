import { Transpose } from '@tensorflow/tfjs-core';

import { native } from '../native';
import { nativeKernel, nativeOutput } from './util';

export const transposeConfig = nativeKernel(Transpose, ({ x }, backend, attrs) => {
  // The native pass takes ranks 1 to 12 (TF.js's cpu kernel, any rank).
  if (x!.dtype !== 'float32' || x!.shape.length === 0 || x!.shape.length > 12) return null;
  const { perm } = attrs as { perm: number[] };
  const outShape = perm.map((p) => x!.shape[p]!);
  const xValues = backend.float32(x!);
  return nativeOutput(backend, outShape, (out) => native.transpose(xValues, x!.shape, perm, out));
});
