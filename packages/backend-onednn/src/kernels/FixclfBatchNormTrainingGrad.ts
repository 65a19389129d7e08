import { BATCH_NORM_TRAINING_GRAD } from './layers-names';
import { batchNormGradient } from './OneDnnBatchNormGrad';
import { nativeKernel } from './util';

/**
 * @fixclf/layers' training-mode batch-norm gradient: the native pass of OneDnnBatchNormGrad with the
 * batch moments folded in, returning [dx, dscale, doffset]. A deferred ReLU gradient in dy is applied on
 * the fly, and in bf16 mode dx is bf16 storage, as for FusedBatchNorm's gradient.
 */
export const fixclfBatchNormTrainingGradConfig = nativeKernel(BATCH_NORM_TRAINING_GRAD, (inputs, backend, attrs) => {
  const { varianceEpsilon } = attrs as { varianceEpsilon: number };
  const g = batchNormGradient(inputs, backend, varianceEpsilon, true, BATCH_NORM_TRAINING_GRAD);
  return [g.dx, g.dscale, g.doffset];
});
