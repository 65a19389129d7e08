// Batch-norm parameters as per-channel vectors over the last axis of x. TF.js indexes each parameter
// cyclically over x's flat index, which for lengths C (channels last) or 1 is per-channel broadcasting;
// other lengths fall back to the cpu kernel.
import type { TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
import { native } from '../native';
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
  x: Float32Array;
  channels: number;
  mean: Float32Array;
  variance: Float32Array;
  scale: Float32Array | null;
  offset: Float32Array | null;
  epsilon: number;
  residual: Float32Array | null;
}

/** y = [relu](batchNorm(x) [+ residual]) in one pass. */
export function applyBatchNorm(d: NormalizedDetail, y: Float32Array, relu: boolean): void {
  native.bnForward(d.x, d.channels, d.mean, d.variance, d.scale, d.offset, d.epsilon, y, d.residual, relu);
}
