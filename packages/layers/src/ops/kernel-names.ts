/**
 * The head kernels' names and attributes: a contract between this package and any backend that
 * implements them (a native backend such as `@fixclf/backend-onednn` mirrors these strings without
 * importing this package, so changing one is a breaking change for both).
 *
 * The Hadamard matrix of order n = m·2^k is H = core ⊗ Sylvester(2^k), `core` an m×m ±1 matrix
 * (m = 1 for powers of two) and Sylvester(2^k) the symmetric matrix of `scipy.linalg.hadamard`:
 * H[a·2^k + i][b·2^k + j] = core[a][b] · (−1)^popcount(i & j). Every tensor is float32, rank 2,
 * row-major; each row is one example.
 */

/**
 * Rows times H (or Hᵀ). Inputs `{ x: [batch, order] }`, attrs {@link HadamardTransformAttrs},
 * output `[batch, order]`: row r of the output is H·x[r] (Hᵀ·x[r] with `transpose`). Its gradient is
 * the same kernel with `transpose` flipped.
 */
export const HADAMARD_TRANSFORM = 'FixclfHadamardTransform';

/**
 * The fixed classifier's normalised projection in one kernel. Inputs `{ x: [batch, features] }`,
 * attrs {@link NormalizedHadamardAttrs}, output `[batch, outputs]`:
 *   y[r] = scale · (H · pad(x̂[r][:used]))[:outputs],  x̂ = x / (‖x‖₂ + epsilon),
 * the norm over all `features`, used = min(features, order), pad = zeros up to `order`.
 * Its gradient is {@link NORMALIZED_HADAMARD_GRAD}; a backend registers both or neither.
 */
export const NORMALIZED_HADAMARD = 'FixclfNormalizedHadamard';

/**
 * The gradient of {@link NORMALIZED_HADAMARD} with respect to x. Inputs `{ dy: [batch, outputs],
 * x: [batch, features] }`, the same attrs, output dx `[batch, features]`:
 *   g = scale · (Hᵀ · pad(dy[r]))[:used] (zero beyond `used`), r = ‖x‖₂, d = r + epsilon,
 *   dx = g/d − x̂·(x̂·g)/r  (a zero row, r = 0, gets g/d).
 */
export const NORMALIZED_HADAMARD_GRAD = 'FixclfNormalizedHadamardGrad';

/** Every head kernel, in the order {@link registerFixedClassifierKernels} registers them. */
export const FIXED_CLASSIFIER_KERNEL_NAMES: readonly string[] = [HADAMARD_TRANSFORM, NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD];

/** Attributes of {@link HADAMARD_TRANSFORM}. */
export interface HadamardTransformAttrs {
  /** Order n of the transform: the last dimension of the input. */
  order: number;
  /** Multiply by Hᵀ instead of H (the gradient of H·x is Hᵀ·dy). */
  transpose: boolean;
  /**
   * The m×m core of H, row-major, entries ±1 (m² = core.length, m divides `order` with a power of
   * two as quotient). Always passed by this package; a kernel may treat it as [1] when absent and
   * `order` is a power of two.
   */
  core?: Int8Array;
}

/** Attributes of {@link NORMALIZED_HADAMARD} and {@link NORMALIZED_HADAMARD_GRAD}. */
export interface NormalizedHadamardAttrs {
  /** Order n of the Hadamard transform (2^k or m·2^k). */
  order: number;
  /** Leading transform outputs that are kept: the output width. */
  outputs: number;
  /** Factor applied to the kept outputs. */
  scale: number;
  /** Added to the row norm before dividing. */
  epsilon: number;
  /** The m×m core of H, as in {@link HadamardTransformAttrs.core}. */
  core?: Int8Array;
}

/**
 * Training-mode batch normalisation (`batchNormTraining`) in one kernel: x normalised over every axis
 * but the last with the batch's own statistics, and the moving averages updated as tf.layers updates
 * them. Inputs `{ x, scale, offset, movingMean, movingVariance }` (x channels last, the rest of shape
 * [channels]), attrs {@link BatchNormTrainingAttrs}, outputs `[y, mean, variance, movingMean',
 * movingVariance']`: mean and variance the biased batch moments per channel,
 *   y = scale·(x − mean)/√(variance + ε) + offset,
 *   moving' = moving − (moving − batch)·(1 − momentum), each operation rounded to float32 as TF.js's
 *   sub, mul and sub would round it.
 * Its gradient is {@link BATCH_NORM_TRAINING_GRAD}; a backend registers both or only the gradient.
 */
export const BATCH_NORM_TRAINING = 'FixclfBatchNormTraining';

/** Attributes of {@link BATCH_NORM_TRAINING}. */
export interface BatchNormTrainingAttrs {
  /** ε, added to the variance. */
  varianceEpsilon: number;
  /** The moving averages' momentum (tf.layers' `momentum`: the weight of the old value). */
  momentum: number;
}

/**
 * The gradient of training-mode batch normalisation (`batchNormTraining`): normalisation of x over every
 * axis but the last with the batch's own mean and variance, including their dependence on x. Inputs
 * `{ dy, x, mean, variance, scale }` (dy and x of one shape, channels last; mean, variance and scale of
 * shape [channels], mean and variance the biased batch moments of x), attrs
 * {@link BatchNormTrainingGradAttrs}, outputs `[dx, dscale, doffset]`, with n the count of values per channel:
 *   x̂ = (x − mean)/√(variance + ε), doffset = Σ dy, dscale = Σ dy·x̂,
 *   dx = scale/√(variance + ε) · (dy − doffset/n − x̂·dscale/n).
 */
export const BATCH_NORM_TRAINING_GRAD = 'FixclfBatchNormTrainingGrad';

/** Attributes of {@link BATCH_NORM_TRAINING_GRAD}. */
export interface BatchNormTrainingGradAttrs {
  /** ε, added to the variance. */
  varianceEpsilon: number;
}

/**
 * A convolutional trunk's training forward pass (`fuseTrunkTraining`) in one kernel: the steps of a
 * {@link TrunkPlan} run in order on the input, as tf.layers would run the layers they come from. Inputs
 * `{ x, w0, w1, …, movingMean0, movingVariance0, movingMean1, … }` (x NHWC float32; `w<i>` the plan's
 * weights: filters [kh, kw, in, out], batch-norm scales and offsets [channels]; the moving averages of
 * the plan's k-th batch norm), attrs {@link TrunkTrainingAttrs}, outputs `[y, state, movingMean0',
 * movingVariance0', movingMean1', …]`: y the value `plan.output`, each batch norm's moving averages
 * updated as {@link BATCH_NORM_TRAINING}'s, and `state` an opaque tensor holding what the gradient needs
 * (released when it is disposed). Its gradient is {@link TRUNK_TRAINING_GRAD}; a backend registers both
 * or neither.
 */
export const TRUNK_TRAINING = 'FixclfTrunkTraining';

/**
 * The gradient of {@link TRUNK_TRAINING}. Inputs `{ dy, state }` (dy of y's shape, state the forward
 * kernel's), the same attrs, outputs `[dx, dw0, dw1, …]`: the gradients of x and of every weight, by
 * the chain rule through each step (batch norms through their batch moments, as
 * {@link BATCH_NORM_TRAINING_GRAD}). A state serves one gradient: the kernel frees what it saved as it goes.
 */
export const TRUNK_TRAINING_GRAD = 'FixclfTrunkTrainingGrad';

/** Attributes of {@link TRUNK_TRAINING} and {@link TRUNK_TRAINING_GRAD}. */
export interface TrunkTrainingAttrs {
  plan: TrunkPlan;
}

/**
 * A trunk as data. Values are numbered: 0 is the input x, step i's output is value i + 1. Weights are
 * numbered by their `w<i>` input.
 */
export interface TrunkPlan {
  steps: TrunkStep[];
  /** The value the trunk returns. */
  output: number;
}

/** One step of a {@link TrunkPlan}: what the tf.layers layer it comes from computes in training. */
export type TrunkStep =
  /** tf.layers Conv2D without bias or activation: FusedConv2D, NHWC, dilation 1. */
  | { op: 'conv2d'; input: number; filter: number; strides: [number, number]; pad: 'same' | 'valid' }
  /** BatchNormalization over the last axis in training ({@link BATCH_NORM_TRAINING}). */
  | { op: 'batchNorm'; input: number; scale: number; offset: number; epsilon: number; momentum: number }
  | { op: 'relu'; input: number }
  /** Add: the inputs summed left to right. */
  | { op: 'add'; inputs: number[] }
  /** ZeroPadding2D: PadV2 with zeros, `paddings` per axis [before, after]. */
  | { op: 'pad'; input: number; paddings: [number, number][] }
  /** MaxPooling2D: MaxPool, NHWC. */
  | { op: 'maxPool'; input: number; filterSize: [number, number]; strides: [number, number]; pad: 'same' | 'valid' }
  /** GlobalAveragePooling2D: Mean over `axes`. */
  | { op: 'mean'; input: number; axes: number[] };
