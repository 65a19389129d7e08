import { LeakyRelu } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const leakyReluConfig = unaryKernel(LeakyRelu, UnaryOp.leakyRelu, (attrs) => (attrs as { alpha: number }).alpha);
