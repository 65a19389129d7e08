import { Relu } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const reluConfig = unaryKernel(Relu, UnaryOp.relu);
