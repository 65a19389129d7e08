import { Min } from '@tensorflow/tfjs-core';

import { ReduceOp, reduceKernel } from './reduce-util';

export const minConfig = reduceKernel(Min, ReduceOp.min, 'axis');
