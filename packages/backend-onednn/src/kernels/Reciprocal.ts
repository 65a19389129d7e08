import { Reciprocal } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const reciprocalConfig = unaryKernel(Reciprocal, UnaryOp.reciprocal);
