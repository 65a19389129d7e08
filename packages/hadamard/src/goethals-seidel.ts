/**
 * The Goethals–Seidel array (J. M. Goethals & J. J. Seidel, "A skew Hadamard matrix of order
 * 36", J. Austral. Math. Soc. 11, 1970): for ANY four circulant matrices A, B, C, D of order n
 * with A·Aᵀ + B·Bᵀ + C·Cᵀ + D·Dᵀ = 4n·I (no symmetry needed),
 *
 *   [  A     B·R    C·R    D·R  ]
 *   [ −B·R   A      Dᵀ·R  −Cᵀ·R ]
 *   [ −C·R  −Dᵀ·R   A      Bᵀ·R ]
 *   [ −D·R   Cᵀ·R  −Bᵀ·R   A    ]
 *
 * is a Hadamard matrix of order 4n (R the back-diagonal permutation). It is skew-Hadamard when
 * A − I is skew. With {0, ±1} T-matrices in place of A…D it gives Baumert–Hall units instead.
 */
import { block, circulantBlockArray } from './block-arrays';

const GOETHALS_SEIDEL_PATTERN = [
  [block(1, 0), block(1, 1, 'XR'), block(1, 2, 'XR'), block(1, 3, 'XR')],
  [block(-1, 1, 'XR'), block(1, 0), block(1, 3, 'XtR'), block(-1, 2, 'XtR')],
  [block(-1, 2, 'XR'), block(-1, 3, 'XtR'), block(1, 0), block(1, 1, 'XtR')],
  [block(-1, 3, 'XR'), block(1, 2, 'XtR'), block(-1, 1, 'XtR'), block(1, 0)],
] as const;

/** The Goethals–Seidel array of the circulants with first rows a, b, c, d (entries 0/±1). */
export function goethalsSeidelArray(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, d: ArrayLike<number>): Int8Array {
  return circulantBlockArray(GOETHALS_SEIDEL_PATTERN, [a, b, c, d]);
}
