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
export { hadamardTransformOp, HADAMARD_TRANSFORM } from './ops/hadamard-transform';
export { l2Normalize } from './ops/l2-normalize';
