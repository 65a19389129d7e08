/**
 * @fixclf/hadamard — Hadamard matrices of every order this library can construct, and fast
 * Walsh–Hadamard transforms. Pure TypeScript, no dependencies, browser-safe.
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
export { formatConstruction, type HadamardConstruction, type HadamardConstructionKind } from './construction';
export { buildConstruction } from './build';
export { isHadamard, isSkewHadamard, isSymmetric } from './verify';
export { fwht, type FwhtOptions, type FloatArray } from './fwht';
export { hadamardTransform, type HadamardTransform, type HadamardTransformOptions } from './transform';
export { sylvester } from './sylvester';
export { paleyI, paleyII, paleyConferenceMatrix, jacobsthalMatrix } from './paley';
export { hadamardFromSkewConference, hadamardFromSymmetricConference } from './conference';
export { kronecker } from './kronecker';
export { williamsonArray, williamsonHadamard, williamsonOrders, williamsonSequences, hasWilliamsonMatrices } from './williamson';
export { goethalsSeidelArray } from './goethals-seidel';
export { baumertHallUnits, cooperWallis } from './baumert-hall';
export { golayPair, isGolayLength } from './golay';
export {
  tSequences,
  tSequenceSource,
  tSequenceLengths,
  isTSequences,
  turynTypeSequences,
  type TSequences,
  type TSequenceSource,
} from './t-sequences';
export { tMatrices, hasTMatrices, isTMatrices } from './t-matrices';
export {
  supplementaryDifferenceSets,
  differenceSetHadamard,
  differenceSetOrders,
  compactDifferenceSets,
  hasSupplementaryDifferenceSets,
} from './difference-sets';
export type { CompactDifferenceSets } from './data/difference-sets';
export { miyamoto, isMiyamotoParameter } from './miyamoto';
export { halfProduct } from './half-product';
export { GaloisField, irreduciblePolynomial, isPrime, isPrimePower, primePower, type PrimePower } from './galois-field';
export { isPowerOfTwo } from './bits';
