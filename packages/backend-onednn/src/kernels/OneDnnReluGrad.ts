import type { TensorInfo } from '@tensorflow/tfjs-core';

import { native } from '../native';
import { getPrecision } from '../precision';
import { OneDnnReluGrad } from './custom-names';
import { nativeKernel, sizeOf } from './util';

/** What a deferred ReLU gradient is made of: dy·step(y), stored as bf16 if `bf16` (Add and batch-norm gradients read it on the fly). */
export interface ReluGradDetail {
  dy: TensorInfo;
  y: TensorInfo;
  bf16: boolean;
}

/**
 * dx = dy · step(y), y the ReLU's output (same as step of its input). Deferred: a FusedBatchNorm gradient
 * that consumes it applies the mask on the fly, so the masked gradient is usually never stored.
 */
export const oneDnnReluGradConfig = nativeKernel(OneDnnReluGrad, ({ dy, y }, backend) => {
  if (backend.lazyKind(dy!) === 'zeros') return backend.makeZeros32([...y!.shape]);
  const size = sizeOf(y!.shape);
  const run = (dx: Float32Array, dxBf16: boolean) => {
    const g = backend.activation(dy!);
    const ys = backend.activation(y!);
    native.reluGrad(g.values, ys.values, dx, (g.bf16 ? 1 : 0) | (ys.bf16 ? 2 : 0) | (dxBf16 ? 4 : 0), size);
  };
  // bf16 mode: bf16 storage when computed at all (a residual sum reads it), as torch.autocast's gradients.
  const bf16 = getPrecision() === 'bf16' && size > 0;
  const detail: ReluGradDetail = { dy: dy!, y: y!, bf16 };
  if (bf16) {
    return backend.makeLazyBf16Output([...y!.shape], [dy!, y!], (dx) => run(dx, true), 'reluGrad', detail);
  }
  return backend.makeLazyOutput32([...y!.shape], 'reluGrad', [dy!, y!], (dx) => run(dx, false), detail);
});
