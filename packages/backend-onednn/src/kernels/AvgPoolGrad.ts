import { AvgPoolGrad } from '@tensorflow/tfjs-core';

import { type PoolAttrs, poolBackward } from './pool-util';
import { nativeKernel } from './util';

export const avgPoolGradConfig = nativeKernel(AvgPoolGrad, ({ dy, input }, backend, attrs) =>
  poolBackward(backend, dy!, input!, attrs as unknown as PoolAttrs, false),
);
