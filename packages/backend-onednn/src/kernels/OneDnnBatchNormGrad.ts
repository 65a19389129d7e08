import type { TensorInfo } from '@tensorflow/tfjs-core';

import { native } from '../native';
import { channelsOf, perChannel } from './batch-norm-util';
import { OneDnnBatchNormGrad } from './custom-names';
import { nativeKernel } from './util';

/**
 * All five gradients of FusedBatchNorm in one kernel: [dx, dmean, dvariance, dscale, doffset], the last
 * four per channel. Mode 'inputs' treats mean and variance as independent inputs (TF.js's gradient);
 * mode 'moments' folds in their dependence on x when they are x's batch moments.
 */
export const oneDnnBatchNormGradConfig = nativeKernel(OneDnnBatchNormGrad, ({ x, dy, mean, variance, scale }, backend, attrs) => {
  const { varianceEpsilon, mode } = attrs as { varianceEpsilon: number; mode: 'inputs' | 'moments' };
  const channels = channelsOf(x!);
  const m = perChannel(backend, mean, channels);
  const v = perChannel(backend, variance, channels);
  const s = perChannel(backend, scale, channels);
  if (!m || !v || s === null) throw new Error('OneDnnBatchNormGrad: mean, variance and scale must be per-channel float32.');
  const moments = mode === 'moments';
  const dx = backend.makeOutput32([...x!.shape]);
  const dscale = backend.makeOutput32([channels]);
  const doffset = backend.makeOutput32([channels]);
  // With the moments folded into dx, whatever reaches μ and v from here is zero.
  const dmean = moments ? null : backend.makeOutput32([channels]);
  const dvariance = moments ? null : backend.makeOutput32([channels]);
  // A deferred ReLU gradient is applied on the fly: dy·step(y) is never stored.
  const relu = backend.lazyDetail<{ dy: TensorInfo; y: TensorInfo }>(dy!, 'reluGrad');
  const gradient = backend.float32(relu?.dy ?? dy!);
  const mask = relu !== undefined ? backend.float32(relu.y) : null;
  native.bnBackward(
    backend.float32(x!),
    gradient,
    channels,
    m,
    v,
    s ?? null,
    varianceEpsilon,
    moments ? 1 : 0,
    dx.values,
    dmean?.values ?? null,
    dvariance?.values ?? null,
    dscale.values,
    doffset.values,
    mask,
  );
  return [
    dx.info,
    dmean?.info ?? backend.makeZeros32([channels]),
    dvariance?.info ?? backend.makeZeros32([channels]),
    dscale.info,
    doffset.info,
  ];
});
