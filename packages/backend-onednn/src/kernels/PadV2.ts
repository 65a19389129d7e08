import { PadV2 } from '@tensorflow/tfjs-core';

import { native } from '../native';
import { nativeKernel, nativeOutput } from './util';

export const padV2Config = nativeKernel(PadV2, ({ x }, backend, attrs) => {
  const { paddings, constantValue } = attrs as { paddings: [number, number][]; constantValue: number };
  if (x!.dtype !== 'float32' || x!.shape.length === 0 || paddings.some(([b, a]) => b < 0 || a < 0)) return null;
  const outShape = paddings.map(([before, after], i) => before + x!.shape[i]! + after);
  const xValues = backend.float32(x!);
  const before = paddings.map(([b]) => b);
  return nativeOutput(backend, outShape, (out) => native.pad(xValues, x!.shape, before, out, outShape, constantValue));
});
