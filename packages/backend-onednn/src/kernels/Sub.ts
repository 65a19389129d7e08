import { Sub } from '@tensorflow/tfjs-core';

import { BinaryOp, binaryKernel } from './eltwise-util';

export const subConfig = binaryKernel(Sub, BinaryOp.sub);
