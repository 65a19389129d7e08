import { Tanh } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const tanhConfig = unaryKernel(Tanh, UnaryOp.tanh);
