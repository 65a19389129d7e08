import { FusedDepthwiseConv2D } from '@tensorflow/tfjs-core';

import { type ConvAttrs, convForward } from './conv-util';
import { nativeKernel } from './util';

export const fusedDepthwiseConv2DConfig = nativeKernel(FusedDepthwiseConv2D, ({ x, filter, bias }, backend, attrs) => {
  const { activation, leakyreluAlpha } = attrs as { activation?: string; leakyreluAlpha?: number };
  return convForward(backend, x!, filter!, attrs as unknown as ConvAttrs, true, bias, activation, leakyreluAlpha);
});
