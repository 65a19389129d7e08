// TF.js batched matmul semantics (leading dimensions are batch dimensions, broadcast when one side has a
// batch of 1) mapped onto the addon's [batch, M, K] x [batch, K, N] product.
import { broadcast_util, type TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
import { ActivationCode, native } from '../native';
import { getPrecision } from '../precision';
import { activationCode, channelVector } from './conv-util';
import { sizeOf } from './util';

export function batchMatmul(
  backend: OneDnnBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: TensorInfo | undefined,
  activation: unknown,
  leakyreluAlpha: number | undefined,
): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (bias !== undefined && bias.dtype !== 'float32')) return null;
  const rankA = a.shape.length;
  const rankB = b.shape.length;
  if (rankA < 2 || rankB < 2) return null;
  const m = transposeA ? a.shape[rankA - 1]! : a.shape[rankA - 2]!;
  const k = transposeA ? a.shape[rankA - 2]! : a.shape[rankA - 1]!;
  const kB = transposeB ? b.shape[rankB - 1]! : b.shape[rankB - 2]!;
  const n = transposeB ? b.shape[rankB - 2]! : b.shape[rankB - 1]!;
  if (k !== kB) return null; // the cpu kernel raises TF.js's own error
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = sizeOf(outerA);
  const batchB = sizeOf(outerB);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  let outerOut: number[];
  try {
    outerOut = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return null;
  }
  if (sizeOf(outerOut) !== Math.max(batchA, batchB)) return null;
  const code = activationCode(activation);
  if (code === null) return null;
  // An empty product (k = 0) is zeros, but with a bias or an activation it is activation(bias): the cpu kernel's.
  if (k === 0 && (bias !== undefined || code !== ActivationCode.linear)) return null;
  let biasValues: Float32Array | null = null;
  if (bias !== undefined) {
    biasValues = channelVector(backend, bias, n);
    if (biasValues === null) return null;
  }
  const aValues = backend.float32(a);
  const bValues = backend.float32(b);
  const { info, values } = backend.makeOutput32([...outerOut, m, n]);
  if (values.length > 0) {
    if (k === 0) values.fill(0);
    else {
      // bf16: both operands' copies live as long as they do (a Dense layer's input is used again for the
      // kernel's gradient, its kernel for the input's).
      const bf16 = getPrecision() === 'bf16';
      native.matmul(
        aValues,
        batchA,
        bValues,
        batchB,
        m,
        k,
        n,
        transposeA,
        transposeB,
        biasValues,
        values,
        code,
        leakyreluAlpha ?? 0.2,
        bf16 ? backend.bf16Values(a) : null,
        bf16 ? backend.bf16Values(b) : null,
      );
    }
  }
  return info;
}
