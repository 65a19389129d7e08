import { Relu } from '@tensorflow/tfjs-core';

import { native, UnaryOp } from '../native';
import { type NormalizedDetail, normalizedOutput } from './batch-norm-util';
import { nativeKernel, nativeOutput } from './util';

// relu(batchNorm(x) [+ r]) in one pass when its input is a deferred batch-norm output (or residual sum).
export const reluConfig = nativeKernel(Relu, ({ x }, backend) => {
  if (x!.dtype !== 'float32') return null;
  if (backend.lazyKind(x!) === 'zeros') return backend.makeZeros32([...x!.shape]);
  const normalized = backend.lazyDetail<NormalizedDetail>(x!, 'normalized');
  if (normalized !== undefined) return normalizedOutput(backend, [...x!.shape], normalized, true);
  const xValues = backend.float32(x!);
  return nativeOutput(backend, [...x!.shape], (y) => native.unary(UnaryOp.relu, xValues, y, 0));
});
