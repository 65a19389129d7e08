import { MaxPool } from '@tensorflow/tfjs-core';

import { type PoolAttrs, poolForward } from './pool-util';
import { nativeKernel } from './util';

export const maxPoolConfig = nativeKernel(MaxPool, ({ x }, backend, attrs) =>
  poolForward(backend, x!, attrs as unknown as PoolAttrs, true),
);
