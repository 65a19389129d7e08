import { FusedBatchNorm, type TensorInfo } from '@tensorflow/tfjs-core';

import { channelsOf, deferredBatchNorm, perChannel } from './batch-norm-util';
import { nativeKernel } from './util';

// The output is deferred: a following residual Add and/or Relu compute relu(bn(x) [+ r]) in one pass
// (Add.ts, Relu.ts), so in a ResNet neither the normalised tensor nor the residual sum is ever stored.
export const fusedBatchNormConfig = nativeKernel(FusedBatchNorm, ({ x, mean, variance, offset, scale }, backend, attrs) => {
  if (x!.dtype !== 'float32' || x!.shape.length === 0) return null;
  const channels = channelsOf(x!);
  const m = perChannel(backend, mean, channels);
  const v = perChannel(backend, variance, channels);
  const o = perChannel(backend, offset, channels);
  const s = perChannel(backend, scale, channels);
  if (!m || !v || o === null || s === null) return null;
  const epsilon = (attrs as { varianceEpsilon?: number }).varianceEpsilon ?? 0.001;
  const sources = [x, mean, variance, offset, scale].filter((t): t is TensorInfo => t != null);
  return deferredBatchNorm(backend, x!, { mean: m, variance: v, scale: s ?? null, offset: o ?? null, epsilon }, sources);
});
