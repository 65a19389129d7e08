import { FusedConv2D } from '@tensorflow/tfjs-core';

import { type ConvAttrs, convForward } from './conv-util';
import { nativeKernel } from './util';

// Bias and activation run as oneDNN post-ops inside the convolution; PReLU falls back to the cpu kernel.
export const fusedConv2DConfig = nativeKernel(FusedConv2D, ({ x, filter, bias }, backend, attrs) => {
  const { activation, leakyreluAlpha } = attrs as { activation?: string; leakyreluAlpha?: number };
  return convForward(backend, x!, filter!, attrs as unknown as ConvAttrs, false, bias, activation, leakyreluAlpha);
});
