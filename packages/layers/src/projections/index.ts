import { cubeKind } from './cube';
import { hadamardKind } from './hadamard';
import { orthogonalKind } from './orthogonal';
import { orthoplexKind } from './orthoplex';
import { simplexKind } from './simplex';
import { MATRIX_KINDS, type MatrixKind, type Projection, type ProjectionKind } from './types';

const KINDS: Record<MatrixKind, ProjectionKind> = {
  hadamard: hadamardKind,
  orthogonal: orthogonalKind,
  simplex: simplexKind,
  orthoplex: orthoplexKind,
  cube: cubeKind,
};

export function isMatrixKind(value: unknown): value is MatrixKind {
  return typeof value === 'string' && (MATRIX_KINDS as readonly string[]).includes(value);
}

export function projectionKind(kind: MatrixKind): ProjectionKind {
  if (!isMatrixKind(kind)) {
    throw new Error(`FixedClassifier: unknown matrix '${String(kind)}'; expected one of ${MATRIX_KINDS.join(', ')}.`);
  }
  return KINDS[kind];
}

/**
 * The fixed projection P ([inputDim, units], row-major, float64) of a matrix kind, exactly as a
 * FixedClassifier with that configuration uses it.
 */
export function buildProjection(kind: MatrixKind, inputDim: number, units: number, seed = 0): Projection {
  for (const [name, value] of [
    ['inputDim', inputDim],
    ['units', units],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`FixedClassifier: ${name} must be a positive integer, got ${value}.`);
    }
  }
  return projectionKind(kind).build(inputDim, units, seed);
}

export { MATRIX_KINDS, type FastPlan, type MatrixKind, type Projection } from './types';
export { maxAbsCosine } from './coherence';
