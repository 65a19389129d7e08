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

/**
 * A convolutional trunk's training forward pass in one kernel: the steps of a TrunkPlan run in order, each
 * as this backend's kernel of the same computation. Inputs { x, w0, w1, …, movingMean0, movingVariance0, … },
 * attrs { plan }, outputs [y, state, movingMean0', movingVariance0', …] (state: what the gradient needs).
 */
export const TRUNK_TRAINING = 'FixclfTrunkTraining';

/** The gradient of TRUNK_TRAINING. Inputs { dy, state }, attrs { plan }, outputs [dx, dw0, dw1, …]. */
export const TRUNK_TRAINING_GRAD = 'FixclfTrunkTrainingGrad';

export interface TrunkTrainingAttrs {
  plan: TrunkPlan;
}

/** Values: 0 is x, step i's output is value i + 1; weights are numbered by their `w<i>` input. */
export interface TrunkPlan {
  steps: TrunkStep[];
  output: number;
}

export type TrunkStep =
  | { op: 'conv2d'; input: number; filter: number; strides: [number, number]; pad: 'same' | 'valid' }
  | { op: 'batchNorm'; input: number; scale: number; offset: number; epsilon: number; momentum: number }
  | { op: 'relu'; input: number }
  | { op: 'add'; inputs: number[] }
  | { op: 'pad'; input: number; paddings: [number, number][] }
  | { op: 'maxPool'; input: number; filterSize: [number, number]; strides: [number, number]; pad: 'same' | 'valid' }
  | { op: 'mean'; input: number; axes: number[] };
