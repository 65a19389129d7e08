import { SquaredDifference } from '@tensorflow/tfjs-core';

import { BinaryOp, binaryKernel } from './eltwise-util';

export const squaredDifferenceConfig = binaryKernel(SquaredDifference, BinaryOp.squaredDifference);
