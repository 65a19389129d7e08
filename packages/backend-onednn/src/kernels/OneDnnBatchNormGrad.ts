import type { NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';

import { native } from '../native';
import { getPrecision } from '../precision';
import { channelsOf, perChannel } from './batch-norm-util';
import { OneDnnBatchNormGrad } from './custom-names';
import { nativeKernel, sizeOf } from './util';

/** The native batch-norm gradient takes bf16 dx only for rows up to this wide. */
const MAX_BF16_CHANNELS = 4096;

/**
 * All five gradients of FusedBatchNorm in one kernel: [dx, dmean, dvariance, dscale, doffset], the last
 * four per channel. Mode 'inputs' treats mean and variance as independent inputs (TF.js's gradient);
 * mode 'moments' folds in their dependence on x when they are x's batch moments.
 */
export const oneDnnBatchNormGradConfig = nativeKernel(OneDnnBatchNormGrad, (inputs, backend, attrs) => {
  const { varianceEpsilon, mode } = attrs as { varianceEpsilon: number; mode: 'inputs' | 'moments' };
  const g = batchNormGradient(inputs, backend, varianceEpsilon, mode === 'moments', OneDnnBatchNormGrad);
  const channels = g.dscale.shape[0]!;
  return [g.dx, g.dmean ?? backend.makeZeros32([channels]), g.dvariance ?? backend.makeZeros32([channels]), g.dscale, g.doffset];
});

/**
 * The native batch-norm gradient. With `moments`, mean and variance are x's batch moments and their
 * dependence on x is folded into dx (dmean and dvariance are then null: whatever reaches them is zero).
 */
export function batchNormGradient(
  { x, dy, mean, variance, scale }: NamedTensorInfoMap,
  backend: OneDnnBackend,
  varianceEpsilon: number,
  moments: boolean,
  kernel: string,
): { dx: TensorInfo; dmean: TensorInfo | null; dvariance: TensorInfo | null; dscale: TensorInfo; doffset: TensorInfo } {
  const channels = channelsOf(x!);
  const m = perChannel(backend, mean, channels);
  const v = perChannel(backend, variance, channels);
  const s = perChannel(backend, scale, channels);
  if (!m || !v || s === null) throw new Error(`${kernel}: mean, variance and scale must be per-channel float32.`);
  // bf16 mode: dx is bf16 storage, read as such by the convolution gradients that consume it.
  const size = sizeOf(x!.shape);
  const bf16 = getPrecision() === 'bf16' && size > 0 && channels <= MAX_BF16_CHANNELS;
  const dx = bf16 ? backend.makeBf16Output([...x!.shape]) : null;
  const dx32 = bf16 ? null : backend.makeOutput32([...x!.shape]);
  const dscale = backend.makeOutput32([channels]);
  const doffset = backend.makeOutput32([channels]);
  // With the moments folded into dx, whatever reaches μ and v from here is zero.
  const dmean = moments ? null : backend.makeOutput32([channels]);
  const dvariance = moments ? null : backend.makeOutput32([channels]);
  // A deferred ReLU gradient is applied on the fly: dy·step(y) is never stored. The native pass takes the
  // mask for rows up to MAX_BF16_CHANNELS wide; wider ones (a Dense(5000) → BN → ReLU) read dy·step(y) made first.
  const relu = channels <= MAX_BF16_CHANNELS ? backend.lazyDetail<{ dy: TensorInfo; y: TensorInfo }>(dy!, 'reluGrad') : undefined;
  const gradSource = relu?.dy ?? dy!;
  const gradient = channels <= MAX_BF16_CHANNELS ? backend.activation(gradSource) : { values: backend.float32(gradSource), bf16: false };
  const mask = relu !== undefined ? backend.activation(relu.y) : null;
  const xs = backend.activation(x!);
  native.bnBackward(
    xs.values,
    gradient.values,
    channels,
    m,
    v,
    s ?? null,
    varianceEpsilon,
    moments ? 1 : 0,
    dx?.bf16 ?? dx32!.values,
    dmean?.values ?? null,
    dvariance?.values ?? null,
    dscale.values,
    doffset.values,
    mask?.values ?? null,
    (xs.bf16 ? 1 : 0) | (mask?.bf16 === true ? 2 : 0) | (bf16 ? 4 : 0) | (gradient.bf16 ? 8 : 0),
    size,
  );
  return {
    dx: dx?.info ?? dx32!.info,
    dmean: dmean?.info ?? null,
    dvariance: dvariance?.info ?? null,
    dscale: dscale.info,
    doffset: doffset.info,
  };
}
