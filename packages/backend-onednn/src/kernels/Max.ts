import { Max } from '@tensorflow/tfjs-core';

import { ReduceOp, reduceKernel } from './reduce-util';

export const maxConfig = reduceKernel(Max, ReduceOp.max, 'reductionIndices');
