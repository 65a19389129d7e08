import { Add } from '@tensorflow/tfjs-core';

import { BinaryOp, binaryKernel } from './eltwise-util';

// The tape accumulates gradients with Add; batch norm's moments contribute known zeros (src/moments.ts).
export const addConfig = binaryKernel(Add, BinaryOp.add, true);
