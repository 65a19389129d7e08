import { DepthwiseConv2dNativeBackpropFilter } from '@tensorflow/tfjs-core';

import { type ConvAttrs, convBackwardFilter } from './conv-util';
import { nativeKernel } from './util';

export const depthwiseConv2dNativeBackpropFilterConfig = nativeKernel(DepthwiseConv2dNativeBackpropFilter, ({ x, dy }, backend, attrs) => {
  const { filterShape } = attrs as { filterShape: number[] };
  return convBackwardFilter(backend, x!, dy!, filterShape, attrs as unknown as ConvAttrs, true);
});
