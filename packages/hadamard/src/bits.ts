/** Small integer helpers shared by the constructions and the transforms. */

/** True when `n` is a positive integer power of two (1 included). */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 2 ** 30 && (n & (n - 1)) === 0;
}

/** log2(n) for a power of two `n`; throws for anything else. */
export function log2Exact(n: number, name = 'n'): number {
  if (!isPowerOfTwo(n)) {
    throw new RangeError(`${name} must be a power of two (1, 2, 4, 8, …), got ${String(n)}`);
  }
  return 31 - Math.clz32(n);
}
