import { Slice, slice_util, type TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
import { native } from '../native';
import { cropInputGradient } from './conv-util';
import { nativeKernel, nativeOutput } from './util';

/**
 * A strided slice of a float32 tensor, natively; null for a contiguous one, which the cpu kernel returns
 * as a copy-free view.
 */
export function stridedSlice(backend: OneDnnBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo | null {
  if (x.dtype !== 'float32' || x.shape.length === 0 || slice_util.isSliceContinous(x.shape, begin, size)) return null;
  const xValues = backend.float32(x);
  return nativeOutput(backend, size, (out) => native.slice(xValues, x.shape, begin, out, size));
}

// E.g. the gradient of ZeroPadding2D, which TF.js's cpu kernel copies element by element; when it crops a
// convolution's input gradient not computed yet, only the window is computed (conv-util.ts).
export const sliceConfig = nativeKernel(Slice, ({ x }, backend, attrs) => {
  const { begin, size } = attrs as { begin: number | number[]; size: number | number[] };
  const [$begin, $size] = slice_util.parseSliceParams(x!, begin, size) as [number[], number[]];
  slice_util.assertParamsValid(x!, $begin, $size);
  return cropInputGradient(x!, $begin, $size) ?? stridedSlice(backend, x!, $begin, $size);
});
