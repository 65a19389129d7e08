/** Size limits checked before any search or allocation, so oversized arguments fail at once. */

/**
 * The largest order `hadamard(n)` returns: its n×n Int8Array must stay under 2^31 bytes
 * (46340² = 2 147 395 600), the size V8 allocates reliably. Also the largest dense core
 * a transform builds.
 */
export const HADAMARD_MAX_MATRIX_ORDER = 46340;

/**
 * The largest order planned or transformed: 2^30 (a vector of that length is 4 GiB of
 * float32). The butterflies index with 32-bit integer arithmetic, and searching for a
 * construction of much larger orders takes unbounded time.
 */
export const HADAMARD_MAX_ORDER = 2 ** 30;

/**
 * The largest `max` of `hadamardOrders(max)`: the search plans every multiple of 4 up to
 * max (about 0.2 s at 2^18; time grows faster than linearly beyond).
 */
export const HADAMARD_ORDERS_MAX = 2 ** 18;

/** A value for an error message that shows its type when it is not a number: `the string "8" (type string)`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value)} (type string)`;
  if (typeof value === 'bigint') return `the bigint ${String(value)}n (type bigint)`;
  if (value === null || value === undefined) return String(value);
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  return `${shown} (type ${typeof value})`;
}
