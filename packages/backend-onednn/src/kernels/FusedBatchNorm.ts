import { FusedBatchNorm } from '@tensorflow/tfjs-core';

import { native } from '../native';
import { channelsOf, perChannel } from './batch-norm-util';
import { nativeKernel, nativeOutput } from './util';

export const fusedBatchNormConfig = nativeKernel(FusedBatchNorm, ({ x, mean, variance, offset, scale }, backend, attrs) => {
  if (x!.dtype !== 'float32' || x!.shape.length === 0) return null;
  const channels = channelsOf(x!);
  const m = perChannel(backend, mean, channels);
  const v = perChannel(backend, variance, channels);
  const o = perChannel(backend, offset, channels);
  const s = perChannel(backend, scale, channels);
  if (!m || !v || o === null || s === null) return null;
  const epsilon = (attrs as { varianceEpsilon?: number }).varianceEpsilon ?? 0.001;
  const xValues = backend.float32(x!);
  return nativeOutput(backend, [...x!.shape], (y) => native.bnForward(xValues, channels, m, v, s ?? null, o ?? null, epsilon, y));
});
