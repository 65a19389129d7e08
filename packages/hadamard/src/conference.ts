/**
 * Conference matrices: order v, zero diagonal, ±1 elsewhere, C·Cᵀ = (v − 1)·I.
 * A skew one (Cᵀ = −C) gives the Hadamard matrix I + C of order v; a symmetric one
 * gives a Hadamard matrix of order 2v. Both are the last step of Paley's constructions.
 */

/** Hadamard matrix I + C of order v from a skew-symmetric conference matrix C of order v. */
export function hadamardFromSkewConference(c: Int8Array, v: number): Int8Array {
  const h = Int8Array.from(c);
  for (let i = 0; i < v; i++) h[i * v + i] = 1;
  return h;
}

/**
 * Hadamard matrix of order 2v from a symmetric conference matrix C of order v:
 * H = C ⊗ [[1, 1], [1, −1]] + I ⊗ [[1, −1], [−1, −1]].
 */
export function hadamardFromSymmetricConference(c: Int8Array, v: number): Int8Array {
  const n = 2 * v;
  const h = new Int8Array(n * n);
  for (let i = 0; i < v; i++) {
    for (let j = 0; j < v; j++) {
      const top = 2 * i * n + 2 * j;
      const bottom = top + n;
      if (i === j) {
        h[top] = 1;
        h[top + 1] = -1;
        h[bottom] = -1;
        h[bottom + 1] = -1;
      } else {
        const x = c[i * v + j]!;
        h[top] = x;
        h[top + 1] = x;
        h[bottom] = x;
        h[bottom + 1] = -x;
      }
    }
  }
  return h;
}
