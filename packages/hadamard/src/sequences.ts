/**
 * Sequences over {0, ±1} and the circulant matrices they define: the building blocks of
 * the Williamson, Goethals–Seidel and Baumert–Hall constructions.
 */

/** A sequence of 0/±1 entries. */
export type SignSequence = Int8Array;

/** Parses a '+' / '-' / '0' string into a sequence (1, −1, 0). */
export function parseSigns(text: string): SignSequence {
  const out = new Int8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '+') out[i] = 1;
    else if (c === '-') out[i] = -1;
    else if (c === '0') out[i] = 0;
    else throw new RangeError(`parseSigns: unexpected character ${JSON.stringify(c)} at ${i} in ${JSON.stringify(text)}`);
  }
  return out;
}

/** Σ_i a[i]·a[i+s]: the non-periodic (aperiodic) autocorrelation at shift s. */
export function aperiodicAutocorrelation(a: ArrayLike<number>, s: number): number {
  let sum = 0;
  for (let i = 0; i + s < a.length; i++) sum += a[i]! * a[i + s]!;
  return sum;
}

/** Σ_i a[i]·a[(i+s) mod n]: the periodic autocorrelation at shift s. */
export function periodicAutocorrelation(a: ArrayLike<number>, s: number): number {
  const n = a.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]! * a[(i + s) % n]!;
  return sum;
}

/** The circulant matrix with first row `row`: entry (i, j) = row[(j − i) mod n], row-major. */
export function circulant(row: ArrayLike<number>): Int8Array {
  const n = row.length;
  const m = new Int8Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = row[(j - i + n) % n]!;
  return m;
}

/** −a, entry by entry. */
export function negate(a: SignSequence): SignSequence {
  return a.map((x) => -x);
}
