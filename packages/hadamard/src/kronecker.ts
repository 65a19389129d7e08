/** Kronecker (tensor) products of square ±1 matrices. */

/**
 * The Kronecker product A ⊗ B of a row-major a×a matrix and a row-major b×b matrix:
 * entry (i·b + k, j·b + l) is A[i][j]·B[k][l]. The product of Hadamard matrices is Hadamard.
 */
export function kronecker(a: Int8Array, orderA: number, b: Int8Array, orderB: number): Int8Array {
  if (a.length !== orderA * orderA) throw new RangeError(`kronecker: a has ${a.length} entries, expected ${orderA}×${orderA}`);
  if (b.length !== orderB * orderB) throw new RangeError(`kronecker: b has ${b.length} entries, expected ${orderB}×${orderB}`);
  const n = orderA * orderB;
  const out = new Int8Array(n * n);
  const negB = b.map((x) => -x);
  for (let i = 0; i < orderA; i++) {
    for (let j = 0; j < orderA; j++) {
      const block = a[i * orderA + j]! > 0 ? b : negB;
      for (let k = 0; k < orderB; k++) {
        out.set(block.subarray(k * orderB, (k + 1) * orderB), (i * orderB + k) * n + j * orderB);
      }
    }
  }
  return out;
}
