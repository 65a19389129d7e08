import { Sigmoid } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const sigmoidConfig = unaryKernel(Sigmoid, UnaryOp.sigmoid);
