import { Add } from '@tensorflow/tfjs-core';

import { BinaryOp, binaryKernel } from './eltwise-util';

export const addConfig = binaryKernel(Add, BinaryOp.add);
