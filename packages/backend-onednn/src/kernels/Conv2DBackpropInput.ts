import { Conv2DBackpropInput } from '@tensorflow/tfjs-core';

import { type ConvAttrs, convBackwardData } from './conv-util';
import { nativeKernel } from './util';

export const conv2DBackpropInputConfig = nativeKernel(Conv2DBackpropInput, ({ dy, filter }, backend, attrs) => {
  const { inputShape } = attrs as { inputShape: number[] };
  return convBackwardData(backend, dy!, filter!, inputShape, attrs as unknown as ConvAttrs, false);
});
