import { BatchMatMul } from '@tensorflow/tfjs-core';

import { batchMatmul } from './matmul-util';
import { nativeKernel } from './util';

export const batchMatMulConfig = nativeKernel(BatchMatMul, ({ a, b }, backend, attrs) => {
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  return batchMatmul(backend, a!, b!, transposeA, transposeB, undefined, 'linear', 0);
});
