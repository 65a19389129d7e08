/**
 * Baumert–Hall arrays from T-matrices, and the Cooper–Wallis construction (J. Cooper &
 * J. Wallis, "A construction for Hadamard arrays", Bull. Austral. Math. Soc. 7, 1972;
 * R. J. Turyn, J. Combin. Theory A 16, 1974).
 *
 * T-matrices X1…X4 of order t (circulant, {0, ±1}, disjoint supports, Σ X_i·X_iᵀ = t·I) give
 * four Baumert–Hall units through the Goethals–Seidel array:
 *   E1 = GS(X1, X2, X3, X4), E2 = GS(X2, −X1, X4, −X3), E3 = GS(X3, −X4, −X1, X2), E4 = GS(X4, X3, −X2, −X1),
 * {0, ±1} matrices of order 4t with disjoint supports, E_i·E_iᵀ = t·I and E_i·E_jᵀ = −E_j·E_iᵀ.
 * With Williamson matrices A, B, C, D of order w (pairwise amicable: M·Nᵀ = N·Mᵀ),
 * H = E1 ⊗ A + E2 ⊗ B + E3 ⊗ C + E4 ⊗ D is a Hadamard matrix of order 4tw.
 */
import { goethalsSeidelArray } from './goethals-seidel';
import { circulant, negate, type SignSequence } from './sequences';

/** The four Baumert–Hall units of order 4t from the first rows of T-matrices of order t. */
export function baumertHallUnits(
  x: readonly [SignSequence, SignSequence, SignSequence, SignSequence],
): [Int8Array, Int8Array, Int8Array, Int8Array] {
  const [x1, x2, x3, x4] = x;
  return [
    goethalsSeidelArray(x1, x2, x3, x4),
    goethalsSeidelArray(x2, negate(x1), x4, negate(x3)),
    goethalsSeidelArray(x3, negate(x4), negate(x1), x2),
    goethalsSeidelArray(x4, x3, negate(x2), negate(x1)),
  ];
}

/**
 * The Cooper–Wallis Hadamard matrix of order 4tw: T-matrices (first rows `t`, order t) plugged
 * into Baumert–Hall units, tensored with the symmetric Williamson circulants (first rows `w`).
 */
export function cooperWallis(
  t: readonly [SignSequence, SignSequence, SignSequence, SignSequence],
  w: readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
): Int8Array {
  const units = baumertHallUnits(t);
  const williamson = w.map((row) => circulant(row));
  const unitOrder = 4 * t[0].length;
  const wOrder = w[0].length;
  const n = unitOrder * wOrder;
  const out = new Int8Array(n * n);
  for (let bi = 0; bi < unitOrder; bi++) {
    for (let bj = 0; bj < unitOrder; bj++) {
      // Exactly one unit is non-zero at (bi, bj): that block is ± the matching Williamson matrix.
      let sign = 0;
      let which = 0;
      for (let u = 0; u < 4; u++) {
        const e = units[u]![bi * unitOrder + bj]!;
        if (e !== 0) {
          sign = e;
          which = u;
        }
      }
      const m = williamson[which]!;
      for (let i = 0; i < wOrder; i++) {
        const dst = (bi * wOrder + i) * n + bj * wOrder;
        for (let j = 0; j < wOrder; j++) out[dst + j] = sign * m[i * wOrder + j]!;
      }
    }
  }
  return out;
}
