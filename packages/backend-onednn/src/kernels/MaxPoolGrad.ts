import { MaxPoolGrad } from '@tensorflow/tfjs-core';

import { type PoolAttrs, poolBackward } from './pool-util';
import { nativeKernel } from './util';

export const maxPoolGradConfig = nativeKernel(MaxPoolGrad, ({ dy, input, output }, backend, attrs) =>
  poolBackward(backend, dy!, input!, attrs as unknown as PoolAttrs, true, output),
);
