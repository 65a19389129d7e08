import { Multiply } from '@tensorflow/tfjs-core';

import { BinaryOp, binaryKernel } from './eltwise-util';

export const multiplyConfig = binaryKernel(Multiply, BinaryOp.mul);
