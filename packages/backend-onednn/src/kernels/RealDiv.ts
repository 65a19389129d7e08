import { RealDiv } from '@tensorflow/tfjs-core';

import { BinaryOp, binaryKernel } from './eltwise-util';

export const realDivConfig = binaryKernel(RealDiv, BinaryOp.div);
