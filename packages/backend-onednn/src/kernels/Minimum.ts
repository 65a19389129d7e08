import { Minimum } from '@tensorflow/tfjs-core';

import { BinaryOp, binaryKernel } from './eltwise-util';

export const minimumConfig = binaryKernel(Minimum, BinaryOp.minimum);
