/** Independent reference computations the tests compare the library against. */

/** H·v for each length-n vector of `data` (row-major ±1 matrix), in float64, naively. */
export function denseApply(h: ArrayLike<number>, n: number, data: ArrayLike<number>, transpose = false): Float64Array {
  const out = new Float64Array(data.length);
  for (let off = 0; off < data.length; off += n) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (transpose ? h[j * n + i]! : h[i * n + j]!) * data[off + j]!;
      out[off + i] = s;
    }
  }
  return out;
}

/** H·Hᵀ computed entry by entry. */
export function gram(h: ArrayLike<number>, n: number): Float64Array {
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += h[i * n + t]! * h[j * n + t]!;
      g[i * n + j] = s;
    }
  }
  return g;
}

/** A deterministic pseudo-random generator (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomVector(length: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length }, () => r() * 2 - 1);
}

/** Largest |a[i] − b[i]| relative to the largest |b[i]| (0 when b is all zero). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let size = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    size = Math.max(size, Math.abs(b[i]!));
  }
  return size === 0 ? diff : diff / size;
}

/** The popcount formula for the Sylvester matrix, computed bit by bit. */
export function sylvesterEntry(i: number, j: number): number {
  let bits = 0;
  for (let x = i & j; x !== 0; x >>>= 1) bits += x & 1;
  return bits % 2 === 0 ? 1 : -1;
}

/** Number of positions where two arrays differ (plus the length difference); 0 when equal. */
export function countMismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let count = Math.abs(a.length - b.length);
  for (let i = 0, n = Math.min(a.length, b.length); i < n; i++) if (a[i] !== b[i]) count++;
  return count;
}

/** Σ a[i]·a[i+s] over the overlap (aperiodic autocorrelation), computed directly. */
export function npaf(a: ArrayLike<number>, s: number): number {
  let sum = 0;
  for (let i = 0; i + s < a.length; i++) sum += a[i]! * a[i + s]!;
  return sum;
}

/** Σ a[i]·a[(i+s) mod n] (periodic autocorrelation), computed directly. */
export function paf(a: ArrayLike<number>, s: number): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * a[(i + s) % a.length]!;
  return sum;
}

/** Shifts s ≥ 1 where Σ weight_i · f(seq_i, s) is not zero (empty when complementary). */
export function nonZeroShifts(
  seqs: readonly ArrayLike<number>[],
  f: (a: ArrayLike<number>, s: number) => number,
  weights?: readonly number[],
): number[] {
  const length = Math.max(...seqs.map((q) => q.length));
  const bad: number[] = [];
  for (let s = 1; s < length; s++) {
    let sum = 0;
    seqs.forEach((q, i) => (sum += (weights?.[i] ?? 1) * f(q, s)));
    if (sum !== 0) bad.push(s);
  }
  return bad;
}
