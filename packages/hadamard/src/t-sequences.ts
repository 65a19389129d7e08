/**
 * T-sequences: four {0, ±1} sequences T1…T4 of length t with exactly one non-zero entry at
 * each position and aperiodic autocorrelations summing to zero at every non-zero shift.
 * Their circulant matrices are T-matrices (X_i·X_iᵀ summing to t·I), which feed the
 * Goethals–Seidel array (a Hadamard matrix of order 4t) and the Baumert–Hall / Cooper–Wallis
 * construction (order 4tw with Williamson matrices of order w).
 *
 * Sources of T-sequences here: Golay pairs (length g + 1), base sequences BS(n + p, n)
 * (length 2n + p) from Turyn's table and from Turyn-type sequences, and Turyn's interleaving
 * of base sequences BS(l, l − 1) (length 4l − 1). See J. Seberry, Orthogonal Designs (2017), §7.
 */
import { TURYN_SEQUENCES, TURYN_TYPE_SEQUENCES } from './data/turyn-sequences';
import { golayPair, isGolayLength } from './golay';
import { aperiodicAutocorrelation, parseSigns, type SignSequence } from './sequences';

/** Four T-sequences of a common length. */
export type TSequences = readonly [SignSequence, SignSequence, SignSequence, SignSequence];

/** How T-sequences of a given length are obtained. */
export type TSequenceSource =
  | { readonly kind: 'golay'; readonly length: number; readonly golayLength: number }
  | { readonly kind: 'turyn-base'; readonly length: number; readonly l: number }
  | { readonly kind: 'turyn-interleaved'; readonly length: number; readonly l: number }
  | { readonly kind: 'turyn-type'; readonly length: number; readonly n: number };

/** The first way this library knows to build T-sequences of length t, or null. */
export function tSequenceSource(t: number): TSequenceSource | null {
  if (!Number.isInteger(t) || t < 1) return null;
  if (t >= 2 && isGolayLength(t - 1)) return { kind: 'golay', length: t, golayLength: t - 1 };
  if (t % 2 === 1 && TURYN_SEQUENCES[(t + 1) / 2] !== undefined) return { kind: 'turyn-base', length: t, l: (t + 1) / 2 };
  if (t % 4 === 3 && TURYN_SEQUENCES[(t + 1) / 4] !== undefined) return { kind: 'turyn-interleaved', length: t, l: (t + 1) / 4 };
  if ((t + 1) % 3 === 0 && TURYN_TYPE_SEQUENCES[(t + 1) / 3] !== undefined) return { kind: 'turyn-type', length: t, n: (t + 1) / 3 };
  return null;
}

/** Every length ≤ max for which {@link tSequences} builds T-sequences. */
export function tSequenceLengths(max: number): number[] {
  const out: number[] = [];
  for (let t = 1; t <= max; t++) if (tSequenceSource(t) !== null) out.push(t);
  return out;
}

/**
 * T-sequences of length 2n + p from base sequences A, B (length n + p) and C, D (length n):
 * T1 = (A+B)/2 ; 0ⁿ, T2 = (A−B)/2 ; 0ⁿ, T3 = 0ⁿ⁺ᵖ ; (C+D)/2, T4 = 0ⁿ⁺ᵖ ; (C−D)/2
 * (H. Kharaghani & B. Tayfeh-Rezaie, J. Combin. Des. 13, 2005).
 */
export function tSequencesFromBaseSequences(a: SignSequence, b: SignSequence, c: SignSequence, d: SignSequence): TSequences {
  const head = a.length;
  const t = head + c.length;
  const seqs = [new Int8Array(t), new Int8Array(t), new Int8Array(t), new Int8Array(t)] as const;
  for (let i = 0; i < head; i++) {
    seqs[0][i] = (a[i]! + b[i]!) / 2;
    seqs[1][i] = (a[i]! - b[i]!) / 2;
  }
  for (let i = 0; i < c.length; i++) {
    seqs[2][head + i] = (c[i]! + d[i]!) / 2;
    seqs[3][head + i] = (c[i]! - d[i]!) / 2;
  }
  return seqs;
}

/** T-sequences of length g + 1 from a Golay pair (A, B): (1;0ᵍ), (0;(A+B)/2), (0;(A−B)/2), 0. */
export function tSequencesFromGolayPair(a: SignSequence, b: SignSequence): TSequences {
  const t = a.length + 1;
  const seqs = [new Int8Array(t), new Int8Array(t), new Int8Array(t), new Int8Array(t)] as const;
  seqs[0][0] = 1;
  for (let i = 0; i < a.length; i++) {
    seqs[1][i + 1] = (a[i]! + b[i]!) / 2;
    seqs[2][i + 1] = (a[i]! - b[i]!) / 2;
  }
  return seqs;
}

/**
 * T-sequences of length 4l − 1 from base sequences X, U (length l), Y, V (length l − 1) by
 * Turyn's interleaving (Seberry, Orthogonal Designs, Thm 7.7):
 * T1 = 1;0⁴ˡ⁻², T2 = 0; X/Y; 0²ˡ⁻¹, T3 = 0²ˡ; U/0ˡ⁻¹, T4 = 0²ˡ; 0ˡ/V (A/B alternates A and B).
 */
export function tSequencesByInterleaving(x: SignSequence, u: SignSequence, y: SignSequence, v: SignSequence): TSequences {
  const l = x.length;
  const t = 4 * l - 1;
  const seqs = [new Int8Array(t), new Int8Array(t), new Int8Array(t), new Int8Array(t)] as const;
  seqs[0][0] = 1;
  for (let i = 0; i < 2 * l - 1; i++) {
    seqs[1][1 + i] = i % 2 === 0 ? x[i / 2]! : y[(i - 1) / 2]!;
    if (i % 2 === 0) seqs[2][2 * l + i] = u[i / 2]!;
    else seqs[3][2 * l + i] = v[(i - 1) / 2]!;
  }
  return seqs;
}

/** Decodes the compact hexadecimal form of Turyn-type sequences TT(n) into X, Y, Z, W. */
export function turynTypeSequences(n: number): [SignSequence, SignSequence, SignSequence, SignSequence] {
  const hex = TURYN_TYPE_SEQUENCES[n];
  if (hex === undefined) throw new RangeError(`turynTypeSequences: no Turyn-type sequences of length ${n} in the table`);
  const seqs: [SignSequence, SignSequence, SignSequence, SignSequence] = [
    new Int8Array(n),
    new Int8Array(n),
    new Int8Array(n),
    new Int8Array(n - 1),
  ];
  for (let i = 0; i < n; i++) {
    const digit = parseInt(hex[i]!, 16);
    const bits = i < n - 1 ? 4 : 3;
    for (let j = 0; j < bits; j++) seqs[j]![i] = (digit >> (bits - 1 - j)) & 1 ? -1 : 1;
  }
  return seqs;
}

/** The T-sequences of length t this library knows (see {@link tSequenceSource}). */
export function tSequences(t: number): TSequences {
  const source = tSequenceSource(t);
  if (source === null) throw new RangeError(`tSequences: no construction of T-sequences of length ${String(t)} is implemented`);
  switch (source.kind) {
    case 'golay': {
      const [a, b] = golayPair(source.golayLength);
      return tSequencesFromGolayPair(a, b);
    }
    case 'turyn-base': {
      const [x, u, y, v] = TURYN_SEQUENCES[source.l]!.map(parseSigns) as [SignSequence, SignSequence, SignSequence, SignSequence];
      return tSequencesFromBaseSequences(x, u, y, v);
    }
    case 'turyn-interleaved': {
      const [x, u, y, v] = TURYN_SEQUENCES[source.l]!.map(parseSigns) as [SignSequence, SignSequence, SignSequence, SignSequence];
      return tSequencesByInterleaving(x, u, y, v);
    }
    case 'turyn-type': {
      // TT(n) = (X, Y, Z, W) gives base sequences (Z;W, Z;−W, X, Y) of lengths 2n − 1, 2n − 1, n, n.
      const [x, y, z, w] = turynTypeSequences(source.n);
      const a = new Int8Array(2 * source.n - 1);
      const b = new Int8Array(2 * source.n - 1);
      a.set(z);
      b.set(z);
      a.set(w, source.n);
      b.set(
        w.map((e) => -e),
        source.n,
      );
      return tSequencesFromBaseSequences(a, b, x, y);
    }
  }
}

/** True when `seqs` are T-sequences: one non-zero per position, zero aperiodic autocorrelation sum. */
export function isTSequences(seqs: readonly ArrayLike<number>[]): boolean {
  if (seqs.length !== 4) return false;
  const t = seqs[0]!.length;
  if (seqs.some((s) => s.length !== t)) return false;
  for (let i = 0; i < t; i++) {
    let nonZero = 0;
    for (const s of seqs) {
      const x = s[i]!;
      if (x !== 0 && x !== 1 && x !== -1) return false;
      if (x !== 0) nonZero++;
    }
    if (nonZero !== 1) return false;
  }
  for (let shift = 1; shift < t; shift++) {
    let sum = 0;
    for (const s of seqs) sum += aperiodicAutocorrelation(s, shift);
    if (sum !== 0) return false;
  }
  return true;
}
