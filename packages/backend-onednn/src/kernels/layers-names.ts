// The names and attributes of @fixclf/layers' training-mode batch-norm kernels, which this backend
// implements natively (native/batch-norm.cc). A contract with @fixclf/layers, mirrored here rather than imported (as
// the head kernels' names are, head-names.ts); test/batch-norm-training.test.ts checks that they agree.

/**
 * The gradient of training-mode batch normalisation over every axis but the last, through the batch
 * moments as well. Inputs { dy, x, mean, variance, scale } (mean and variance x's biased batch moments,
 * per channel), attrs { varianceEpsilon }, outputs [dx, dscale, doffset]:
 * x̂ = (x − mean)/√(variance + ε), doffset = Σ dy, dscale = Σ dy·x̂, dx = scale/√(variance + ε)·(dy − doffset/n − x̂·dscale/n).
 */
export const BATCH_NORM_TRAINING_GRAD = 'FixclfBatchNormTrainingGrad';

/**
 * Training-mode batch norm and tf.layers' moving-average update in one kernel. Inputs { x, scale, offset,
 * movingMean, movingVariance }, attrs { varianceEpsilon, momentum }, outputs [y, mean, variance,
 * movingMean', movingVariance']: mean and variance x's biased batch moments, y = scale·(x − mean)/√(variance + ε)
 * + offset, moving' = moving − (moving − batch)·(1 − momentum) rounded to float32 operation by operation.
 */
export const BATCH_NORM_TRAINING = 'FixclfBatchNormTraining';

export interface BatchNormTrainingAttrs {
  varianceEpsilon: number;
  momentum: number;
}
