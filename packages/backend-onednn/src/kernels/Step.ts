import { Step } from '@tensorflow/tfjs-core';

import { UnaryOp, unaryKernel } from './eltwise-util';

export const stepConfig = unaryKernel(Step, UnaryOp.step, (attrs) => (attrs as { alpha?: number }).alpha ?? 0);
