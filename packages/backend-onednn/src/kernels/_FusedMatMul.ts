import { _FusedMatMul } from '@tensorflow/tfjs-core';

import { batchMatmul } from './matmul-util';
import { nativeKernel } from './util';

// Bias and activation are oneDNN post-ops; PReLU and non-channel biases fall back to the cpu kernel.
export const fusedMatMulConfig = nativeKernel(_FusedMatMul, ({ a, b, bias }, backend, attrs) => {
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as {
    transposeA: boolean;
    transposeB: boolean;
    activation?: string;
    leakyreluAlpha?: number;
  };
  return batchMatmul(backend, a!, b!, transposeA, transposeB, bias, activation, leakyreluAlpha);
});
