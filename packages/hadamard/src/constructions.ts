/**
 * @fixclf/hadamard/constructions — the constructions `hadamard(n)` is built from, one by one, and
 * their ingredients: for checking a construction, building a particular matrix (a Paley matrix rather
 * than whichever `hadamard(n)` picks), or studying the sequences. `hadamard(n)`, `hadamardOrders`,
 * `isHadamard` and the transforms are in '@fixclf/hadamard'.
 */
export { formatConstruction, type HadamardConstruction, type HadamardConstructionKind } from './construction';
export { buildConstruction } from './build';
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
