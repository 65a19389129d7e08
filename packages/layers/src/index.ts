export {
  FixedClassifier,
  fixedClassifier,
  type FixedClassifierLayerArgs,
  type FixedClassifierActivation,
  type ProjectionSummary,
} from './fixed-classifier';
export { findFixedClassifier, findFixedClassifiers, scaleOf, type LayerContainer } from './find';
export { buildProjection, isMatrixKind, maxAbsCosine, MATRIX_KINDS, type MatrixKind, type Projection, type FastPlan } from './projections';
export type { InitializerIdentifier, RegularizerIdentifier } from './serialization';
export { hadamardTransformOp } from './ops/hadamard-transform';
// The head kernels: names and attrs are a contract with backends that implement them natively.
export {
  HADAMARD_TRANSFORM,
  NORMALIZED_HADAMARD,
  NORMALIZED_HADAMARD_GRAD,
  FIXED_CLASSIFIER_KERNEL_NAMES,
  type HadamardTransformAttrs,
  type NormalizedHadamardAttrs,
} from './ops/kernel-names';
export { registerFixedClassifierKernels, fixedClassifierKernels } from './ops/cpu-kernels';
export { l2Normalize } from './ops/l2-normalize';
// Training-mode batch norm as one op; its gradient kernel's name and attrs are a contract with backends.
export { batchNormTraining, fuseBatchNormTraining, type MovingAverages } from './batch-norm-training';
export {
  BATCH_NORM_TRAINING,
  BATCH_NORM_TRAINING_GRAD,
  type BatchNormTrainingAttrs,
  type BatchNormTrainingGradAttrs,
} from './ops/kernel-names';
// A convolutional trunk trained as one op; its kernels' names and plan are a contract with backends.
export { fuseTrunkTraining } from './trunk-training';
export { TRUNK_TRAINING, TRUNK_TRAINING_GRAD, type TrunkPlan, type TrunkStep, type TrunkTrainingAttrs } from './ops/kernel-names';
