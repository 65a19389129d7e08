import { Conv2DBackpropFilter } from '@tensorflow/tfjs-core';

import { type ConvAttrs, convBackwardFilter } from './conv-util';
import { nativeKernel } from './util';

export const conv2DBackpropFilterConfig = nativeKernel(Conv2DBackpropFilter, ({ x, dy }, backend, attrs) => {
  const { filterShape } = attrs as { filterShape: number[] };
  return convBackwardFilter(backend, x!, dy!, filterShape, attrs as unknown as ConvAttrs, false);
});
