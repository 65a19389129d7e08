/**
 * Golay complementary pairs: ±1 sequences A, B of length g whose aperiodic autocorrelations
 * sum to zero at every non-zero shift. This module builds them for every g = 2^a·10^b from the
 * pairs of length 2 and 10 (M. J. E. Golay, "Complementary series", IRE Trans. Inform. Theory
 * 7, 1961), doubling by concatenation and Turyn's product of pairs (R. J. Turyn, "Hadamard
 * matrices, Baumert–Hall units, four-symbol sequences, pulse compression, and surface wave
 * encodings", J. Combin. Theory A 16, 1974). Pairs of length 26 exist too but are not used here.
 */
import { parseSigns, type SignSequence } from './sequences';

/** A Golay pair of length 10, found by exhaustive search (and checked by the tests). */
const GOLAY_10: readonly [string, string] = ['+--+-+++++', '++--+++-+-'];

/** True when this module builds Golay pairs of length g: g = 2^a·10^b, g ≥ 1. */
export function isGolayLength(g: number): boolean {
  if (!Number.isInteger(g) || g < 1) return false;
  let rest = g;
  while (rest % 10 === 0) rest /= 10;
  return (rest & (rest - 1)) === 0;
}

/** (A;B, A;−B): a pair of twice the length. */
function doubled([a, b]: readonly [SignSequence, SignSequence]): [SignSequence, SignSequence] {
  const n = a.length;
  const c = new Int8Array(2 * n);
  const d = new Int8Array(2 * n);
  c.set(a);
  c.set(b, n);
  d.set(a);
  for (let i = 0; i < n; i++) d[n + i] = -b[i]!;
  return [c, d];
}

/**
 * Turyn's product of pairs (A, B) of length m and (C, D) of length n, of length m·n:
 * with P = (C + D)/2 and Q = (C − D)/2 (disjoint supports),
 * E[k·n + j] = A[k]·P[j] + B[k]·Q[j] and F[k·n + j] = B[m−1−k]·P[j] − A[m−1−k]·Q[j].
 * On the unit circle |E|² + |F|² = (|A|² + |B|²)(|P|² + |Q|²) = 2m·n, the Golay property.
 */
function product(
  [a, b]: readonly [SignSequence, SignSequence],
  [c, d]: readonly [SignSequence, SignSequence],
): [SignSequence, SignSequence] {
  const m = a.length;
  const n = c.length;
  const e = new Int8Array(m * n);
  const f = new Int8Array(m * n);
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < n; j++) {
      const p = (c[j]! + d[j]!) / 2;
      const q = (c[j]! - d[j]!) / 2;
      e[k * n + j] = a[k]! * p + b[k]! * q;
      f[k * n + j] = b[m - 1 - k]! * p - a[m - 1 - k]! * q;
    }
  }
  return [e, f];
}

/** A Golay complementary pair of length g = 2^a·10^b. */
export function golayPair(g: number): [SignSequence, SignSequence] {
  if (!isGolayLength(g)) throw new RangeError(`golayPair: length must be 2^a·10^b, got ${String(g)}`);
  if (g === 1) return [Int8Array.of(1), Int8Array.of(1)];
  if (g === 2) return [Int8Array.of(1, 1), Int8Array.of(1, -1)];
  if (g === 10) return [parseSigns(GOLAY_10[0]), parseSigns(GOLAY_10[1])];
  if (g % 10 === 0) return product(golayPair(10), golayPair(g / 10));
  return doubled(golayPair(g / 2));
}
