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
  const dx = backend.makeOutput32([...x!.shape]);
  const perChannelOutputs = [0, 1, 2, 3].map(() => backend.makeOutput32([channels]));
  const [dmean, dvariance, dscale, doffset] = perChannelOutputs.map((o) => o.values) as [Float32Array, Float32Array, Float32Array, Float32Array];
  native.bnBackward(backend.float32(x!), backend.float32(dy!), channels, m, v, s ?? null, varianceEpsilon,
    mode === 'moments' ? 1 : 0, dx.values, dmean, dvariance, dscale, doffset);
  return [dx.info, ...perChannelOutputs.map((o) => o.info)];
});
