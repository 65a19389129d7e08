import { Mean } from '@tensorflow/tfjs-core';

import { ReduceOp, reduceKernel } from './reduce-util';

export const meanConfig = reduceKernel(Mean, ReduceOp.mean, 'axis');
