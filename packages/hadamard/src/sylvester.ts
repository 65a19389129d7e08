/**
 * Sylvester's construction: the Hadamard matrices of order 2^k, in the ordering of
 * `scipy.linalg.hadamard` (entry (i, j) = (-1)^popcount(i & j)).
 */

import { log2Exact } from './bits';

/**
 * The Sylvester–Hadamard matrix of order `n` (a power of two), row-major.
 * Entry (i, j) is (-1)^popcount(i & j), so the matrix is symmetric and equals
 * `scipy.linalg.hadamard(n)` entry for entry.
 */
export function sylvester(n: number): Int8Array {
  log2Exact(n, 'sylvester: n');
  const h = new Int8Array(n * n);
  h[0] = 1;
  // Double the top-left `size`×`size` block into [[H, H], [H, -H]] until it fills the matrix.
  for (let size = 1; size < n; size *= 2) {
    for (let i = 0; i < size; i++) {
      const top = i * n;
      const bottom = (i + size) * n;
      for (let j = 0; j < size; j++) {
        const v = h[top + j]!;
        h[top + j + size] = v;
        h[bottom + j] = v;
        h[bottom + j + size] = -v;
      }
    }
  }
  return h;
}
