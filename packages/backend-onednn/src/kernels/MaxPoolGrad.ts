import { MaxPoolGrad } from '@tensorflow/tfjs-core';

import { type PoolAttrs, poolBackward } from './pool-util';
import { nativeKernel } from './util';

export const maxPoolGradConfig = nativeKernel(MaxPoolGrad, ({ dy, input }, backend, attrs) =>
  poolBackward(backend, dy!, input!, attrs as unknown as PoolAttrs, true),
);
