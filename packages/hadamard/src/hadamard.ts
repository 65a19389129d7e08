/** `hadamard(n)`: a Hadamard matrix of any order this library can build, or an error saying why not. */
import { buildConstruction } from './build';
import { formatConstruction } from './construction';
import {
  OPEN_HADAMARD_ORDERS,
  OPEN_HADAMARD_ORDERS_BOUND,
  hadamardConstruction,
  isConstructibleOrder,
  splitHadamardOrder,
} from './orders';

/** Orders whose n×n Int8Array would not fit a JavaScript typed array. */
const MAX_MATRIX_ORDER = 46340;

/** The nearest orders below and above n that this library builds (for error messages). */
function nearestConstructible(n: number): string {
  let below = Math.floor(n / 4) * 4;
  while (below > 4 && !isConstructibleOrder(below)) below -= 4;
  let above = Math.ceil(n / 4) * 4;
  while (!isConstructibleOrder(above)) above += 4;
  return `nearest orders built here: ${below} and ${above}`;
}

/**
 * Why this library has no Hadamard matrix of order n, or null when it has one.
 * The sentence distinguishes impossible orders, open problems and missing constructions.
 */
export function whyNoHadamard(n: number): string | null {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    return `the order must be a positive integer, got ${String(n)}`;
  }
  if (n > 2 && n % 4 !== 0) {
    return `no Hadamard matrix of order ${n} exists: the order of a Hadamard matrix is 1, 2 or a multiple of 4`;
  }
  if (isConstructibleOrder(n)) return null;
  if (OPEN_HADAMARD_ORDERS.includes(n)) {
    return (
      `no Hadamard matrix of order ${n} is known: its existence is an open problem ` +
      `(open orders ≤ ${OPEN_HADAMARD_ORDERS_BOUND}: ${OPEN_HADAMARD_ORDERS.join(', ')}); ${nearestConstructible(n)}`
    );
  }
  const known = n <= OPEN_HADAMARD_ORDERS_BOUND ? 'a Hadamard matrix of this order is known in the literature, but ' : '';
  return `${known}no construction for order ${n} is implemented in @fixclf/hadamard; ${nearestConstructible(n)}`;
}

/**
 * A Hadamard matrix of order n, row-major n×n, entries ±1, H·Hᵀ = n·I.
 *
 * For n a power of two it is Sylvester's matrix, equal to `scipy.linalg.hadamard(n)`
 * (entry (i, j) = (-1)^popcount(i & j)). Otherwise n = m·2^k with the largest k whose core
 * m this library builds directly, and the result is hadamard(m) ⊗ hadamard(2^k) — the same
 * matrix `hadamardTransform(n)` multiplies by.
 *
 * @throws RangeError when n is not a Hadamard order (not 1, 2 or a multiple of 4), when no
 * Hadamard matrix of order n is known (an open problem: 668, 716, 892, …), or when this
 * library implements no construction for n. {@link hadamardOrders} lists the orders it builds.
 */
export function hadamard(n: number): Int8Array {
  const why = whyNoHadamard(n);
  if (why !== null) throw new RangeError(`hadamard(${String(n)}): ${why}`);
  if (n > MAX_MATRIX_ORDER) throw new RangeError(`hadamard(${n}): a ${n}×${n} matrix is too large to allocate; use hadamardTransform(${n})`);
  return buildConstruction(hadamardConstruction(n)!);
}

/**
 * How hadamard(n) is built, in words, e.g. "1536 = 12·2^7: Paley I (q = 11) ⊗ Sylvester(128)".
 * @throws RangeError when the order cannot be built (same message as {@link hadamard}).
 */
export function describeHadamardOrder(n: number): string {
  const why = whyNoHadamard(n);
  if (why !== null) throw new RangeError(`describeHadamardOrder(${String(n)}): ${why}`);
  const split = splitHadamardOrder(n)!;
  return `${n} = ${split.m}·2^${split.k}: ${formatConstruction(hadamardConstruction(n)!)}`;
}
