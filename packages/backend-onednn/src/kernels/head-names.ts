// The names and attributes of @fixclf/layers' head kernels, which this backend implements natively
// (native/hadamard.cc). The strings are a contract with @fixclf/layers, mirrored here under the same
// constant names rather than imported, so that neither package depends on the other; a test imports
// both and checks that they agree (test/head-kernels.test.ts). See the README, "Head kernels".
//
// H of order n = m·2^k is core ⊗ Sylvester(2^k): `core` is an m×m ±1 Int8Array, row-major (absent or
// [1] for powers of two). Tensors are float32 [batch, width], one example per row.

/** Inputs { x: [batch, order] }, attrs { order, transpose, core }: rows H·x (Hᵀ·x with transpose). */
export const HADAMARD_TRANSFORM = 'FixclfHadamardTransform';

/**
 * Inputs { x: [batch, features] }, attrs { order, outputs, scale, epsilon, core }: output [batch, outputs],
 * y = scale·(H·pad(x̂[:used]))[:outputs], x̂ = x/(‖x‖₂ + epsilon) over all features, used = min(features, order).
 */
export const NORMALIZED_HADAMARD = 'FixclfNormalizedHadamard';

/**
 * Inputs { dy: [batch, outputs], x: [batch, features] }, the same attrs: dx [batch, features],
 * g = scale·(Hᵀ·pad(dy))[:used] (0 beyond), r = ‖x‖₂, d = r + epsilon, dx = g/d − x̂·(x̂·g)/r.
 */
export const NORMALIZED_HADAMARD_GRAD = 'FixclfNormalizedHadamardGrad';

export interface HadamardTransformAttrs {
  order: number;
  transpose: boolean;
  core?: Int8Array;
}

export interface NormalizedHadamardAttrs {
  order: number;
  outputs: number;
  scale: number;
  epsilon: number;
  core?: Int8Array;
}

/**
 * The `core` attr as the addon takes it: the Int8Array, or null for a power-of-two order without one;
 * undefined when the attr cannot be used (then the kernel falls back to the cpu kernel of its name).
 */
export function coreOf(attrs: { order: number; core?: unknown }): Int8Array | null | undefined {
  if (attrs.core instanceof Int8Array) return attrs.core;
  const { order } = attrs;
  if (attrs.core == null && Number.isInteger(order) && order > 0 && (order & (order - 1)) === 0) return null;
  return undefined;
}
