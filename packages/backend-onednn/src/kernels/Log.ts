import { Log } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const logConfig = unaryKernel(Log, UnaryOp.log);
