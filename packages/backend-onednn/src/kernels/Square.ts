import { Square } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const squareConfig = unaryKernel(Square, UnaryOp.square);
