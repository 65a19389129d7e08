/**
 * @fixclf/hadamard — Hadamard matrices of every order this library can construct, and fast
 * Walsh–Hadamard transforms. Pure TypeScript, no dependencies, browser-safe.
 *
 * The individual constructions (Sylvester, Paley, Williamson, …) and their ingredients (Galois
 * fields, Golay pairs, T-sequences, …) are in '@fixclf/hadamard/constructions'.
 */
export { hadamard, describeHadamardOrder, whyNoHadamard } from './hadamard';
export { HADAMARD_MAX_MATRIX_ORDER, HADAMARD_MAX_ORDER, HADAMARD_ORDERS_MAX } from './limits';
export {
  hadamardOrders,
  hadamardConstruction,
  isConstructibleOrder,
  isPossibleHadamardOrder,
  splitHadamardOrder,
  OPEN_HADAMARD_ORDERS,
  OPEN_HADAMARD_ORDERS_BOUND,
  KNOWN_HADAMARD_ORDERS_UP_TO_2000,
  type HadamardSplit,
} from './orders';
export type { HadamardConstruction, HadamardConstructionKind } from './construction';
export { isHadamard, isSkewHadamard, isSymmetric } from './verify';
export { fwht, type FwhtOptions, type FloatArray } from './fwht';
export { hadamardTransform, type HadamardTransform, type HadamardTransformOptions } from './transform';
