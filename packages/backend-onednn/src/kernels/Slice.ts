import { Slice, slice_util } from '@tensorflow/tfjs-core';

import { native } from '../native';
import { nativeKernel, nativeOutput } from './util';

// A contiguous slice is a view on the cpu backend (no copy), so only strided ones run natively —
// e.g. the gradient of ZeroPadding2D, which TF.js's cpu kernel copies element by element.
export const sliceConfig = nativeKernel(Slice, ({ x }, backend, attrs) => {
  if (x!.dtype !== 'float32' || x!.shape.length === 0) return null;
  const { begin, size } = attrs as { begin: number | number[]; size: number | number[] };
  const [$begin, $size] = slice_util.parseSliceParams(x!, begin, size) as [number[], number[]];
  slice_util.assertParamsValid(x!, $begin, $size);
  if (slice_util.isSliceContinous(x!.shape, $begin, $size)) return null;
  const xValues = backend.float32(x!);
  return nativeOutput(backend, $size, (out) => native.slice(xValues, x!.shape, $begin, out, $size));
});
