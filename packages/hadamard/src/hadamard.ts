/** `hadamard(n)`: a Hadamard matrix of any order this library can build, or an error saying why not. */
import { buildConstruction } from './build';
import { formatConstruction } from './construction';
import { OPEN_HADAMARD_ORDERS, OPEN_HADAMARD_ORDERS_BOUND, hadamardConstruction, isConstructibleOrder, splitHadamardOrder } from './orders';
import { HADAMARD_MAX_MATRIX_ORDER, HADAMARD_MAX_ORDER, describeValue } from './limits';

/** Which orders a caller can use: any the library plans, a storable matrix, or a transform with a storable core. */
export interface OrderLimit {
  usable(order: number): boolean;
  /** The largest order worth searching up to. */
  largest: number;
}

const ANY_ORDER: OrderLimit = { usable: isConstructibleOrder, largest: HADAMARD_MAX_ORDER };
const MATRIX_ORDER: OrderLimit = {
  usable: (order) => order <= HADAMARD_MAX_MATRIX_ORDER && isConstructibleOrder(order),
  largest: HADAMARD_MAX_MATRIX_ORDER,
};
/** hadamardTransform stores its core m densely; the next usable order is at most n/23170 away, a few thousand steps. */
export const TRANSFORM_ORDER: OrderLimit = {
  usable: (order) => isConstructibleOrder(order) && splitHadamardOrder(order)!.m <= HADAMARD_MAX_MATRIX_ORDER,
  largest: HADAMARD_MAX_ORDER,
};

/** The nearest orders below and above n that the caller can use (for error messages). */
function nearestConstructible(n: number, limit: OrderLimit): string {
  let below = Math.floor(n / 4) * 4;
  while (below > 4 && !limit.usable(below)) below -= 4;
  let above = Math.ceil(n / 4) * 4;
  while (above <= limit.largest && !limit.usable(above)) above += 4;
  return above > limit.largest ? `nearest order built here: ${below}` : `nearest orders built here: ${below} and ${above}`;
}

/** Why n cannot be the order of any Hadamard matrix, or null when it can (arithmetic only). */
function whyNotAnOrder(n: unknown): string | null {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    return `the order must be a positive integer, got ${describeValue(n)}`;
  }
  if (n > 2 && n % 4 !== 0) {
    return `no Hadamard matrix of order ${n} exists: the order of a Hadamard matrix is 1, 2 or a multiple of 4`;
  }
  return null;
}

/**
 * Why this library has no Hadamard matrix of order n, or null when it has one.
 * The sentence distinguishes impossible orders, orders beyond the size limit, open problems
 * and missing constructions.
 */
export function whyNoHadamard(n: number): string | null {
  return whyNoHadamardFor(n, ANY_ORDER);
}

/** whyNoHadamard, with the nearest orders suggested among those `limit` allows. */
export function whyNoHadamardFor(n: number, limit: OrderLimit): string | null {
  const notAnOrder = whyNotAnOrder(n);
  if (notAnOrder !== null) return notAnOrder;
  // Checked before any search: planning huge orders takes unbounded time.
  if (n > HADAMARD_MAX_ORDER) {
    return `the order ${n} exceeds ${HADAMARD_MAX_ORDER} (2^30), the largest order @fixclf/hadamard plans or transforms (a vector of that length is 4 GiB of float32)`;
  }
  if (isConstructibleOrder(n)) return null;
  if (OPEN_HADAMARD_ORDERS.includes(n)) {
    return (
      `no Hadamard matrix of order ${n} is known: its existence is an open problem ` +
      `(open orders ≤ ${OPEN_HADAMARD_ORDERS_BOUND}: ${OPEN_HADAMARD_ORDERS.join(', ')}); ${nearestConstructible(n, limit)}`
    );
  }
  const known = n <= OPEN_HADAMARD_ORDERS_BOUND ? 'a Hadamard matrix of this order is known in the literature, but ' : '';
  return `${known}no construction for order ${n} is implemented in @fixclf/hadamard; ${nearestConstructible(n, limit)}`;
}

/**
 * A Hadamard matrix of order n, row-major n×n, entries ±1, H·Hᵀ = n·I.
 *
 * For n a power of two it is Sylvester's matrix, equal to `scipy.linalg.hadamard(n)`
 * (entry (i, j) = (-1)^popcount(i & j)). Otherwise n = m·2^k with the largest k whose core
 * m this library builds directly, and the result is hadamard(m) ⊗ hadamard(2^k) — the same
 * matrix `hadamardTransform(n)` multiplies by.
 *
 * @throws RangeError when n is not a Hadamard order (not 1, 2 or a multiple of 4), when n
 * exceeds HADAMARD_MAX_MATRIX_ORDER (46340: larger matrices do not fit in memory), when no
 * Hadamard matrix of order n is known (an open problem: 668, 716, 892, …), or when this
 * library implements no construction for n. {@link hadamardOrders} lists the orders it builds.
 */
export function hadamard(n: number): Int8Array {
  const notAnOrder = whyNotAnOrder(n);
  if (notAnOrder !== null) throw new RangeError(`${typeof n === 'number' ? `hadamard(${n})` : 'hadamard(n)'}: ${notAnOrder}`);
  // Before the planner runs, so huge orders fail at once.
  if (n > HADAMARD_MAX_MATRIX_ORDER) {
    const limit = `n must be at most ${HADAMARD_MAX_MATRIX_ORDER}, so that the n×n Int8Array stays under 2 GiB`;
    throw new RangeError(
      n <= HADAMARD_MAX_ORDER
        ? `hadamard(${n}): a ${n}×${n} matrix is too large to allocate; use hadamardTransform(${n}) to multiply by it without storing it (${limit})`
        : `hadamard(${n}): a ${n}×${n} matrix is too large to allocate (${limit}); no transform of that order exists either (orders stop at ${HADAMARD_MAX_ORDER} = 2^30)`,
    );
  }
  const why = whyNoHadamardFor(n, MATRIX_ORDER);
  if (why !== null) throw new RangeError(`hadamard(${n}): ${why}`);
  return buildConstruction(hadamardConstruction(n)!);
}

/**
 * How hadamard(n) is built, in words, e.g. "1536 = 12·2^7: Paley I (q = 11) ⊗ Sylvester(128)".
 * @throws RangeError when the order cannot be built (same message as {@link hadamard}).
 */
export function describeHadamardOrder(n: number): string {
  const why = whyNoHadamard(n);
  if (why !== null) throw new RangeError(`describeHadamardOrder(${typeof n === 'number' ? n : 'n'}): ${why}`);
  const split = splitHadamardOrder(n)!;
  return `${n} = ${split.m}·2^${split.k}: ${formatConstruction(hadamardConstruction(n)!)}`;
}
