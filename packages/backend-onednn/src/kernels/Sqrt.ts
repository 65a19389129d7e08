import { Sqrt } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const sqrtConfig = unaryKernel(Sqrt, UnaryOp.sqrt);
