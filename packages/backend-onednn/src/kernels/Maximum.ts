import { Maximum } from '@tensorflow/tfjs-core';

import { BinaryOp, binaryKernel } from './eltwise-util';

export const maximumConfig = binaryKernel(Maximum, BinaryOp.maximum);
