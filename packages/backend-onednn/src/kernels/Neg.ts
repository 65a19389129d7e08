import { Neg } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const negConfig = unaryKernel(Neg, UnaryOp.neg, undefined, true);
