// Batch-norm parameters as per-channel vectors over the last axis of x. TF.js indexes each parameter
// cyclically over x's flat index, which for lengths C (channels last) or 1 is per-channel broadcasting;
// other lengths fall back to the cpu kernel.
import type { TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
import { native } from '../native';
import { getPrecision } from '../precision';
import { sizeOf } from './util';

export function perChannel(backend: OneDnnBackend, t: TensorInfo | undefined | null, channels: number): Float32Array | null | undefined {
  if (t == null) return undefined;
  if (t.dtype !== 'float32') return null;
  const values = backend.float32(t);
  const size = sizeOf(t.shape);
  if (size === channels) return values;
  if (size === 1) return new Float32Array(channels).fill(values[0]!);
  return null;
}

export function channelsOf(x: TensorInfo): number {
  return x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1]!;
}

/**
 * Everything needed to compute batchNorm(x) [+ residual] from x, kept with a deferred FusedBatchNorm output
 * (or with the deferred sum of one and a shortcut).
 */
export interface NormalizedDetail {
  /** x's values: float32, or its bf16 storage (xBf16). */
  x: Float32Array;
  xBf16: boolean;
  /** x's element count. */
  count: number;
  channels: number;
  mean: Float32Array;
  variance: Float32Array;
  scale: Float32Array | null;
  offset: Float32Array | null;
  epsilon: number;
  residual: Float32Array | null;
  residualBf16: boolean;
}

/** y = [relu](batchNorm(x) [+ residual]) in one pass; y holds bf16 values when yBf16. */
export function applyBatchNorm(d: NormalizedDetail, y: Float32Array, relu: boolean, yBf16 = false): void {
  const mask = (d.xBf16 ? 1 : 0) | (d.residualBf16 ? 2 : 0) | (yBf16 ? 4 : 0);
  native.bnForward(d.x, d.channels, d.mean, d.variance, d.scale, d.offset, d.epsilon, y, d.residual, relu, mask, d.count);
}

/**
 * The output of a batch norm (+ residual) [+ ReLU] that a kernel computes now: bf16 storage in bf16 mode
 * (what the next convolution reads, and what torch.autocast keeps), float32 otherwise.
 */
export function normalizedOutput(backend: OneDnnBackend, shape: number[], d: NormalizedDetail, relu: boolean): TensorInfo {
  if (getPrecision() === 'bf16' && d.count > 0) {
    const { info, bf16 } = backend.makeBf16Output(shape);
    applyBatchNorm(d, bf16, relu, true);
    return info;
  }
  const { info, values } = backend.makeOutput32(shape);
  if (d.count > 0) applyBatchNorm(d, values, relu);
  return info;
}

/**
 * A deferred batch norm of x with per-channel statistics: computed only when read, and kept with its
 * detail so that a following ReLU or residual Add computes it in their own pass. `sources` stay alive until then.
 */
export function deferredBatchNorm(
  backend: OneDnnBackend,
  x: TensorInfo,
  stats: Pick<NormalizedDetail, 'mean' | 'variance' | 'scale' | 'offset' | 'epsilon'>,
  sources: TensorInfo[],
): TensorInfo {
  const xValues = backend.activation(x);
  const detail: NormalizedDetail = {
    ...stats,
    x: xValues.values,
    xBf16: xValues.bf16,
    count: sizeOf(x.shape),
    channels: channelsOf(x),
    residual: null,
    residualBf16: false,
  };
  return backend.makeLazyOutput32([...x.shape], 'normalized', sources, (y) => applyBatchNorm(detail, y, false), detail);
}
