import { Conv2D } from '@tensorflow/tfjs-core';

import { type ConvAttrs, convForward } from './conv-util';
import { nativeKernel } from './util';

export const conv2DConfig = nativeKernel(Conv2D, ({ x, filter }, backend, attrs) =>
  convForward(backend, x!, filter!, attrs as unknown as ConvAttrs, false, undefined, 'linear', 0),
);
