import { Elu } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const eluConfig = unaryKernel(Elu, UnaryOp.elu);
