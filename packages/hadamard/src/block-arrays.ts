/**
 * Block arrays of circulant matrices: the shared engine of the Williamson and Goethals–Seidel
 * arrays. A block is ±X, ±X·R or ±Xᵀ·R for the circulant X with a given first row, where R is
 * the back-diagonal permutation (R[i][j] = 1 iff i + j = n − 1).
 */

/** Which matrix a block holds, built from the circulant X of its sequence. */
export type CirculantBlockForm = 'X' | 'XR' | 'XtR';

/** One block: a sign, the index of its sequence and its form. */
export interface CirculantBlock {
  readonly sign: 1 | -1;
  readonly seq: number;
  readonly form: CirculantBlockForm;
}

/** Shorthand for a block, e.g. b(-1, 2, 'XtR') is −Cᵀ·R. */
export function block(sign: 1 | -1, seq: number, form: CirculantBlockForm = 'X'): CirculantBlock {
  return { sign, seq, form };
}

/**
 * The (k·n)×(k·n) matrix of a k×k array of circulant blocks over sequences of length n.
 * Entries: X[i][j] = x[(j − i) mod n], (X·R)[i][j] = x[(n − 1 − i − j) mod n],
 * (Xᵀ·R)[i][j] = x[(i + j + 1) mod n].
 */
export function circulantBlockArray(pattern: readonly (readonly CirculantBlock[])[], seqs: readonly ArrayLike<number>[]): Int8Array {
  const k = pattern.length;
  const n = seqs[0]!.length;
  if (seqs.some((s) => s.length !== n)) throw new RangeError('circulantBlockArray: all sequences must have the same length');
  const size = k * n;
  const out = new Int8Array(size * size);
  for (let bi = 0; bi < k; bi++) {
    const row = pattern[bi]!;
    if (row.length !== k) throw new RangeError('circulantBlockArray: the pattern must be square');
    for (let bj = 0; bj < k; bj++) {
      const { sign, seq, form } = row[bj]!;
      const x = seqs[seq]!;
      for (let i = 0; i < n; i++) {
        const dst = (bi * n + i) * size + bj * n;
        for (let j = 0; j < n; j++) {
          const idx = form === 'X' ? (j - i + n) % n : form === 'XR' ? (2 * n - 1 - i - j) % n : (i + j + 1) % n;
          out[dst + j] = sign * x[idx]!;
        }
      }
    }
  }
  return out;
}
