import { Rsqrt } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const rsqrtConfig = unaryKernel(Rsqrt, UnaryOp.rsqrt);
