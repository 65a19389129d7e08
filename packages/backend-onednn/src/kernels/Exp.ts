import { Exp } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const expConfig = unaryKernel(Exp, UnaryOp.exp);
