/**
 * Williamson's construction (J. Williamson, "Hadamard's determinant theorem and the sum of
 * four squares", Duke Math. J. 11, 1944): from symmetric circulant ±1 matrices A, B, C, D of
 * order w with A·Aᵀ + B·Bᵀ + C·Cᵀ + D·Dᵀ = 4w·I, the Williamson array
 *
 *   [  A   B   C   D ]
 *   [ −B   A  −D   C ]
 *   [ −C   D   A  −B ]
 *   [ −D  −C   B   A ]
 *
 * is a Hadamard matrix of order 4w. Williamson matrices come from the literature table in
 * ./data/williamson-sequences.
 */
import { block, circulantBlockArray } from './block-arrays';
import { WILLIAMSON_SEQUENCES } from './data/williamson-sequences';
import { parseSigns, type SignSequence } from './sequences';

const WILLIAMSON_PATTERN = [
  [block(1, 0), block(1, 1), block(1, 2), block(1, 3)],
  [block(-1, 1), block(1, 0), block(-1, 3), block(1, 2)],
  [block(-1, 2), block(1, 3), block(1, 0), block(-1, 1)],
  [block(-1, 3), block(-1, 2), block(1, 1), block(1, 0)],
] as const;

/** Four sequences of a common length. */
export type SequenceQuadruple = readonly [SignSequence, SignSequence, SignSequence, SignSequence];

/** The orders w of the Williamson matrices in the table, ascending. */
export function williamsonOrders(): readonly number[] {
  return WILLIAMSON_ORDERS;
}

const WILLIAMSON_ORDERS: readonly number[] = Object.freeze(
  Object.keys(WILLIAMSON_SEQUENCES)
    .map(Number)
    .sort((x, y) => x - y),
);

/** True when the table holds Williamson matrices of order w. */
export function hasWilliamsonMatrices(w: number): boolean {
  return WILLIAMSON_SEQUENCES[w] !== undefined;
}

/** First rows of Williamson matrices A, B, C, D of order w (symmetric circulants). */
export function williamsonSequences(w: number): SequenceQuadruple {
  const rows = WILLIAMSON_SEQUENCES[w];
  if (rows === undefined) throw new RangeError(`williamsonSequences: no Williamson matrices of order ${String(w)} in the table`);
  return rows.map(parseSigns) as unknown as SequenceQuadruple;
}

/** The Williamson array of the symmetric circulants with first rows a, b, c, d: order 4w. */
export function williamsonArray(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, d: ArrayLike<number>): Int8Array {
  return circulantBlockArray(WILLIAMSON_PATTERN, [a, b, c, d]);
}

/** A Hadamard matrix of order 4w from the tabulated Williamson matrices of order w. */
export function williamsonHadamard(w: number): Int8Array {
  const [a, b, c, d] = williamsonSequences(w);
  return williamsonArray(a, b, c, d);
}
