// Batch-norm parameters as per-channel vectors over the last axis of x. TF.js indexes each parameter
// cyclically over x's flat index, which for lengths C (channels last) or 1 is per-channel broadcasting;
// other lengths fall back to the cpu kernel.
import type { TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
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
