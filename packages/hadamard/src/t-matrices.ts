/**
 * T-matrices of order t: circulant {0, ±1} matrices X1…X4 with disjoint supports covering
 * every entry and X1·X1ᵀ + X2·X2ᵀ + X3·X3ᵀ + X4·X4ᵀ = t·I, given by their first rows.
 * The circulants of T-sequences are T-matrices; Sawade's order-67 matrices are tabulated.
 */
import { SAWADE_T_MATRICES_67 } from './data/t-matrices';
import { parseSigns, periodicAutocorrelation, type SignSequence } from './sequences';
import { tSequenceSource, tSequences } from './t-sequences';

export type TMatrixRows = readonly [SignSequence, SignSequence, SignSequence, SignSequence];

/** True when this library has T-matrices of order t. */
export function hasTMatrices(t: number): boolean {
  return t === 67 || tSequenceSource(t) !== null;
}

/** First rows of T-matrices of order t (from T-sequences, or Sawade's table for t = 67). */
export function tMatrices(t: number): TMatrixRows {
  if (tSequenceSource(t) !== null) return tSequences(t);
  if (t === 67) return SAWADE_T_MATRICES_67.map(parseSigns) as unknown as TMatrixRows;
  throw new RangeError(`tMatrices: no T-matrices of order ${String(t)} are implemented`);
}

/** True when the rows define T-matrices: one non-zero per column index, periodic autocorrelation sum zero. */
export function isTMatrices(rows: readonly ArrayLike<number>[]): boolean {
  if (rows.length !== 4) return false;
  const t = rows[0]!.length;
  if (rows.some((r) => r.length !== t)) return false;
  for (let i = 0; i < t; i++) {
    let nonZero = 0;
    for (const r of rows) {
      const x = r[i]!;
      if (x !== 0 && Math.abs(x) !== 1) return false;
      if (x !== 0) nonZero++;
    }
    if (nonZero !== 1) return false;
  }
  for (let s = 1; s < t; s++) {
    let sum = 0;
    for (const r of rows) sum += periodicAutocorrelation(r, s);
    if (sum !== 0) return false;
  }
  return true;
}
