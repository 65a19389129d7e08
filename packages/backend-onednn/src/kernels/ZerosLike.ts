import { ZerosLike } from '@tensorflow/tfjs-core';

import { nativeKernel, nativeOutput } from './util';

// Pooled storage filled with zeros (tf.train.momentum makes its accumulations with zerosLike).
export const zerosLikeConfig = nativeKernel(ZerosLike, ({ x }, backend) => {
  if (x!.dtype !== 'float32') return null;
  return nativeOutput(backend, [...x!.shape], (out) => out.fill(0));
});
