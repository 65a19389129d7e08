export { FixedClassifier, fixedClassifier, type FixedClassifierLayerArgs, type FixedClassifierActivation, type ProjectionSummary } from './fixed-classifier';
export { buildProjection, maxAbsCosine, MATRIX_KINDS, type MatrixKind, type Projection, type FastPlan } from './projections';
export { hadamardTransformOp, HADAMARD_TRANSFORM } from './ops/hadamard-transform';
export { l2Normalize } from './ops/l2-normalize';
