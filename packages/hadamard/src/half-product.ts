/**
 * The half product of two Hadamard matrices (Agaian 1985; Craigen, Seberry & Zhang,
 * "Product of four Hadamard matrices", JCTA 59, 1992): from Hadamard matrices of even
 * orders a and b, one of order a·b/2 — half the order of their Kronecker product.
 *
 * Split the columns of A into halves A = [A1 A2] and set X = (A1 + A2)/2, Y = (A1 − A2)/2:
 * X and Y are {0, ±1} matrices with disjoint supports and X·Xᵀ + Y·Yᵀ = (a/2)·I.
 * Split the rows of B into halves B = [B1; B2]: B1·B1ᵀ = B2·B2ᵀ = b·I and B1·B2ᵀ = 0.
 * Then H = X ⊗ B1 + Y ⊗ B2 has ±1 entries and H·Hᵀ = b·(X·Xᵀ + Y·Yᵀ) ⊗ I = (a·b/2)·I.
 */
export function halfProduct(a: Int8Array, orderA: number, b: Int8Array, orderB: number): Int8Array {
  if (orderA % 2 !== 0 || orderB % 2 !== 0) {
    throw new RangeError(`halfProduct: both orders must be even, got ${orderA} and ${orderB}`);
  }
  if (a.length !== orderA * orderA) throw new RangeError(`halfProduct: a has ${a.length} entries, expected ${orderA}×${orderA}`);
  if (b.length !== orderB * orderB) throw new RangeError(`halfProduct: b has ${b.length} entries, expected ${orderB}×${orderB}`);
  const halfA = orderA / 2;
  const halfB = orderB / 2;
  const n = (orderA * orderB) / 2;
  const out = new Int8Array(n * n);
  // Row (i·b/2 + r), column (j·b + c): X[i][j]·B1[r][c] + Y[i][j]·B2[r][c]; exactly one of X, Y is non-zero.
  for (let i = 0; i < orderA; i++) {
    for (let j = 0; j < halfA; j++) {
      const left = a[i * orderA + j]!;
      const right = a[i * orderA + j + halfA]!;
      const x = (left + right) / 2;
      const y = (left - right) / 2;
      const sign = x !== 0 ? x : y;
      const rowOffset = x !== 0 ? 0 : halfB; // X picks the top half of B, Y the bottom half
      for (let r = 0; r < halfB; r++) {
        const src = (r + rowOffset) * orderB;
        const dst = (i * halfB + r) * n + j * orderB;
        for (let c = 0; c < orderB; c++) out[dst + c] = sign * b[src + c]!;
      }
    }
  }
  return out;
}
