import { Add, backend_util, type TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
import { BinaryOp, native } from '../native';
import { getPrecision } from '../precision';
import { applyBatchNorm, type NormalizedDetail } from './batch-norm-util';
import type { ReluGradDetail } from './OneDnnReluGrad';
import { runBinary } from './eltwise-util';
import { nativeKernel, sizeOf } from './util';

const sameShape = (p: readonly number[], q: readonly number[]) => p.length === q.length && p.every((d, i) => d === q[i]);

/** A deferred batch-norm output without a residual yet, and its sources. */
function pendingNormalized(backend: OneDnnBackend, t: TensorInfo) {
  const detail = backend.lazyDetail<NormalizedDetail>(t, 'normalized');
  return detail !== undefined && detail.residual === null ? { detail, sources: backend.lazySources(t)! } : undefined;
}

/**
 * A sum one of whose terms is a still-deferred ReLU gradient (the gradient reaching a residual block's input
 * through its shortcut, added to its convolution's input gradient): dy·step(y) + other in one pass, the
 * masked gradient never stored. The same values as computing it first (rounded to bf16 where it would
 * have been stored so); the deferred gradient stays valid for anything else that reads it.
 */
function sumWithReluGradient(backend: OneDnnBackend, a: TensorInfo, b: TensorInfo, shape: number[], size: number): TensorInfo | null {
  const reluA = backend.lazyDetail<ReluGradDetail>(a, 'reluGrad');
  const relu = reluA ?? backend.lazyDetail<ReluGradDetail>(b, 'reluGrad');
  if (relu === undefined) return null;
  const other = backend.activation(reluA !== undefined ? b : a);
  const dy = backend.activation(relu.dy);
  const y = backend.activation(relu.y);
  const bits = (dy.bf16 ? 1 : 0) | (y.bf16 ? 2 : 0) | (other.bf16 ? 4 : 0) | (relu.bf16 ? 16 : 0);
  // Stored as the two-pass sum would be: bf16 when either term would be bf16 in bf16 mode.
  if (getPrecision() === 'bf16' && (relu.bf16 || other.bf16)) {
    const { info, bf16 } = backend.makeBf16Output([...shape]);
    native.reluGradAdd(dy.values, y.values, other.values, bf16, bits | 8, size);
    return info;
  }
  const { info, values } = backend.makeOutput32([...shape]);
  native.reluGradAdd(dy.values, y.values, other.values, values, bits, size);
  return info;
}

// Two shortcuts: the tape accumulates gradients with Add, and batch norm's moments contribute known zeros
// (moments.ts); a residual block adds a shortcut to a deferred batch-norm output, which stays deferred
// as bn(x) + shortcut for the Relu that follows (Relu.ts).
export const addConfig = nativeKernel(Add, ({ a, b }, backend) => {
  if (a!.dtype !== 'float32' || b!.dtype !== 'float32') return null;
  const outShape = backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
  if (backend.lazyKind(b!) === 'zeros' && sameShape(a!.shape, outShape)) return backend.share(a!);
  if (backend.lazyKind(a!) === 'zeros' && sameShape(b!.shape, outShape)) return backend.share(b!);
  if (sameShape(a!.shape, outShape) && sameShape(b!.shape, outShape)) {
    const pendingA = pendingNormalized(backend, a!);
    const pending = pendingA ?? pendingNormalized(backend, b!);
    if (pending !== undefined) {
      const shortcut = pendingA !== undefined ? b! : a!;
      const residual = backend.activation(shortcut);
      const detail: NormalizedDetail = { ...pending.detail, residual: residual.values, residualBf16: residual.bf16 };
      return backend.makeLazyOutput32(
        [...outShape],
        'normalized',
        [...pending.sources, shortcut],
        (y) => applyBatchNorm(detail, y, false),
        detail,
      );
    }
  }
  const size = sizeOf(outShape);
  if (size > 0 && sameShape(a!.shape, outShape) && sameShape(b!.shape, outShape)) {
    const summed = sumWithReluGradient(backend, a!, b!, outShape, size);
    if (summed !== null) return summed;
  }
  // bf16 mode: sums of bf16 gradients (a residual connection's two paths) stay bf16.
  if (getPrecision() === 'bf16' && size > 0 && sameShape(a!.shape, outShape) && sameShape(b!.shape, outShape)) {
    if (backend.bf16Backed(a!) !== undefined || backend.bf16Backed(b!) !== undefined) {
      const av = backend.activation(a!);
      const bv = backend.activation(b!);
      const { info, bf16 } = backend.makeBf16Output([...outShape]);
      native.addSameShape(av.values, bv.values, bf16, (av.bf16 ? 1 : 0) | (bv.bf16 ? 2 : 0) | 4, size);
      return info;
    }
  }
  return runBinary(backend, BinaryOp.add, a!, b!);
});
