import { engine, FusedBatchNorm, reshape, sum, type Tensor, util } from '@tensorflow/tfjs-core';

import { OneDnnBatchNormGrad } from '../kernels/custom-names';
import { areTapedBatchMoments } from '../moments';
import { activeBackendHas, overrideGradient, releaseGradient } from './override';
import { activeScopeId } from '../tfjs-internals';

const isPerChannel = (t: Tensor | undefined, channels: number) => t === undefined || t.size === channels || t.size === 1;

/**
 * TF.js builds FusedBatchNorm's gradient from ~14 full-size element-wise kernels and a tile; here one
 * native pass yields dx and the four per-channel gradients.
 */
export function installBatchNormGradient(): void {
  overrideGradient(FusedBatchNorm, (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    const grad = dy as Tensor;
    if (!activeBackendHas(OneDnnBatchNormGrad) || x.dtype !== 'float32' || grad.dtype !== 'float32' || x.rank === 0) {
      return null;
    }
    const channels = x.shape[x.rank - 1]!;
    if (!isPerChannel(mean, channels) || !isPerChannel(variance, channels) || !isPerChannel(scale, channels)) return null;
    const { varianceEpsilon } = attrs as { varianceEpsilon: number };
    const inputs: Record<string, Tensor> = { x, dy: grad, mean, variance };
    if (scale !== undefined) inputs.scale = scale;
    // One kernel computes everything, so it runs once, now; unused outputs are freed with the backward pass.
    // Training mode (tf.moments then FusedBatchNorm on one tape): the gradient through μ and v is folded in.
    const mode = areTapedBatchMoments(x, mean, variance) ? 'moments' : 'inputs';
    const [dx, dmean, dvariance, dscale, doffset] = engine().runKernel(OneDnnBatchNormGrad, inputs, {
      varianceEpsilon,
      mode,
    }) as Tensor[];
    releaseGradient(grad, activeScopeId());
    // Already in their inputs' shapes in tf.layers' batch norm ([C]): returned as they are, not reshaped.
    const perChannel = (t: Tensor, like: Tensor) => () =>
      like.size === 1 ? reshape(sum(t), like.shape) : util.arraysEqual(t.shape, like.shape) ? t : reshape(t, like.shape);
    return {
      x: () => dx!,
      mean: perChannel(dmean!, mean),
      variance: perChannel(dvariance!, variance),
      scale: perChannel(dscale!, scale ?? mean),
      offset: perChannel(doffset!, mean),
    };
  });
}
