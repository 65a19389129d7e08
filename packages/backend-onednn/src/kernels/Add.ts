import { Add, backend_util } from '@tensorflow/tfjs-core';

import { BinaryOp } from '../native';
import { applyBatchNorm, type NormalizedDetail } from './batch-norm-util';
import { runBinary } from './eltwise-util';
import { nativeKernel, nativeOutput } from './util';

const sameShape = (p: readonly number[], q: readonly number[]) => p.length === q.length && p.every((d, i) => d === q[i]);

// Two shortcuts: the tape accumulates gradients with Add, and batch norm's moments contribute known zeros
// (moments.ts); a residual block adds a deferred batch-norm output, computed here in the same pass.
export const addConfig = nativeKernel(Add, ({ a, b }, backend) => {
  if (a!.dtype !== 'float32' || b!.dtype !== 'float32') return null;
  const outShape = backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
  if (backend.lazyKind(b!) === 'zeros' && sameShape(a!.shape, outShape)) return backend.share(a!);
  if (backend.lazyKind(a!) === 'zeros' && sameShape(b!.shape, outShape)) return backend.share(b!);
  if (sameShape(a!.shape, outShape) && sameShape(b!.shape, outShape)) {
    const normalizedA = backend.lazyDetail<NormalizedDetail>(a!, 'normalized');
    const normalizedB = normalizedA === undefined ? backend.lazyDetail<NormalizedDetail>(b!, 'normalized') : undefined;
    const normalized = normalizedA ?? normalizedB;
    if (normalized !== undefined) {
      const residual = backend.float32(normalizedA !== undefined ? b! : a!);
      return nativeOutput(backend, outShape, (y) => applyBatchNorm(normalized, y, residual, false));
    }
  }
  return runBinary(backend, BinaryOp.add, a!, b!);
});
