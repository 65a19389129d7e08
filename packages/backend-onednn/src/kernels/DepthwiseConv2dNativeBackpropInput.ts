import { DepthwiseConv2dNativeBackpropInput } from '@tensorflow/tfjs-core';

import { type ConvAttrs, convBackwardData } from './conv-util';
import { nativeKernel } from './util';

export const depthwiseConv2dNativeBackpropInputConfig = nativeKernel(
  DepthwiseConv2dNativeBackpropInput,
  ({ dy, filter }, backend, attrs) => {
    const { inputShape } = attrs as { inputShape: number[] };
    return convBackwardData(backend, dy!, filter!, inputShape, attrs as unknown as ConvAttrs, true);
  },
);
