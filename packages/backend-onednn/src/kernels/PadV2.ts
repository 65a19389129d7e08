import { PadV2 } from '@tensorflow/tfjs-core';

import { native } from '../native';
import type { SpatialZeroPadding } from './conv-util';
import { nativeKernel, nativeOutput } from './util';

export const padV2Config = nativeKernel(PadV2, ({ x }, backend, attrs) => {
  const { paddings, constantValue } = attrs as { paddings: [number, number][]; constantValue: number };
  if (x!.dtype !== 'float32' || x!.shape.length === 0 || paddings.some(([b, a]) => b < 0 || a < 0)) return null;
  const outShape = paddings.map(([before, after], i) => before + x!.shape[i]! + after);
  const before = paddings.map(([b]) => b);
  const pad = (out: Float32Array) => native.pad(backend.float32(x!), x!.shape, before, out, outShape, constantValue);
  // ZeroPadding2D (the explicit padding of a stride-2 convolution, as PyTorch places it): deferred, so that
  // the convolutions reading it take the padding into their own (conv-util.ts) and the padded copy is
  // only made if something else reads it.
  const [batch, height, width, channels] = paddings;
  if (x!.shape.length === 4 && constantValue === 0 && batch!.every((p) => p === 0) && channels!.every((p) => p === 0)) {
    const detail: SpatialZeroPadding = { top: height![0], bottom: height![1], left: width![0], right: width![1] };
    return backend.makeLazyOutput32(outShape, 'padded', [x!], pad, detail);
  }
  return nativeOutput(backend, outShape, pad);
});
