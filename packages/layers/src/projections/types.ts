/** The fixed matrices a FixedClassifier can use. Single words: they survive tfjs's snake_case config round trip. */
export type MatrixKind = 'hadamard' | 'orthogonal' | 'simplex' | 'orthoplex' | 'cube';

export const MATRIX_KINDS: readonly MatrixKind[] = ['hadamard', 'orthogonal', 'simplex', 'orthoplex', 'cube'];

/**
 * How `x̂ · P` is computed without the dense product: transform the first min(inputDim, order)
 * features (zero-padded to `order`) with a fast Hadamard transform of order `order`, keep the leading `outputs` coefficients, scale them,
 * and (for polytopes) mix them with a small `[outputs, units]` vertex matrix.
 */
export interface FastPlan {
  /** Order n of the Hadamard transform (2^k, or m·2^k). */
  order: number;
  /** Leading transform outputs that are kept. */
  outputs: number;
  /** Factor applied to the kept outputs (the normalisation of the ±1 matrix). */
  scale: number;
  /** Optional `[outputs, units]` row-major matrix applied after the transform. */
  mix: Float64Array | null;
}

/** A fixed projection P of shape [inputDim, units] (laid out like a Dense kernel). */
export interface Projection {
  kind: MatrixKind;
  inputDim: number;
  units: number;
  /** P, row-major [inputDim, units]. */
  matrix: Float64Array;
  /** The fast way to multiply by P, when there is one. */
  fast: FastPlan | null;
  /**
   * Without a fast transform, P = frame · mix when that is the cheaper product (a polytope of few
   * dimensions: x̂·U then ·V costs inputDim·dim + dim·units, P itself inputDim·units).
   */
  factors?: { frame: Float64Array; dim: number; mix: Float64Array } | null;
  /** Set when the geometry falls short of what was asked for (e.g. more classes than dimensions). */
  warning: string | null;
}

/** What each matrix kind provides. */
export interface ProjectionKind {
  build(inputDim: number, units: number, seed: number): Projection;
  /** Initial α, in the units of a projection with unit-norm columns. */
  defaultScale(inputDim: number, units: number): number;
  /** Half-width of the uniform initial bias (0: zeros). */
  defaultBiasRange(units: number): number;
}
