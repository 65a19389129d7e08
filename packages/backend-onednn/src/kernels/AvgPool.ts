import { AvgPool } from '@tensorflow/tfjs-core';

import { type PoolAttrs, poolForward } from './pool-util';
import { nativeKernel } from './util';

export const avgPoolConfig = nativeKernel(AvgPool, ({ x }, backend, attrs) =>
  poolForward(backend, x!, attrs as unknown as PoolAttrs, false),
);
