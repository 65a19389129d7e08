import { Sum } from '@tensorflow/tfjs-core';

import { ReduceOp, reduceKernel } from './reduce-util';

export const sumConfig = reduceKernel(Sum, ReduceOp.sum, 'axis');
