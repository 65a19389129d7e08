import { DepthwiseConv2dNative } from '@tensorflow/tfjs-core';

import { type ConvAttrs, convForward } from './conv-util';
import { nativeKernel } from './util';

// A depthwise convolution is a grouped convolution with one input channel per group.
export const depthwiseConv2dNativeConfig = nativeKernel(DepthwiseConv2dNative, ({ x, filter }, backend, attrs) =>
  convForward(backend, x!, filter!, attrs as unknown as ConvAttrs, true, undefined, 'linear', 0),
);
