import { Abs } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const absConfig = unaryKernel(Abs, UnaryOp.abs);
