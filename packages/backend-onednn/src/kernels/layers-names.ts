// The name and attributes of @fixclf/layers' batch-norm gradient kernel, which this backend implements
// natively (native/batch-norm.cc). A contract with @fixclf/layers, mirrored here rather than imported (as
// the head kernels' names are, head-names.ts); test/batch-norm-training.test.ts checks that they agree.

/**
 * The gradient of training-mode batch normalisation over every axis but the last, through the batch
 * moments as well. Inputs { dy, x, mean, variance, scale } (mean and variance x's biased batch moments,
 * per channel), attrs { varianceEpsilon }, outputs [dx, dscale, doffset]:
 * x̂ = (x − mean)/√(variance + ε), doffset = Σ dy, dscale = Σ dy·x̂, dx = scale/√(variance + ε)·(dy − doffset/n − x̂·dscale/n).
 */
export const BATCH_NORM_TRAINING_GRAD = 'FixclfBatchNormTrainingGrad';
