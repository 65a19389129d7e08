import { Relu6 } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const relu6Config = unaryKernel(Relu6, UnaryOp.relu6);
