/**
 * Supplementary difference sets (SDS) in Z_v from Đoković's compact tables, and the Hadamard
 * matrices of order 4v they give through the Goethals–Seidel array.
 *
 * Sets S1…S4 ⊂ Z_v of sizes k1…k4 are 4-{v; k1, k2, k3, k4; λ} SDS when every non-zero
 * difference occurs exactly λ times among the differences within the sets; with
 * k1 + k2 + k3 + k4 = v + λ the ±1 sequences that are −1 on each set have periodic
 * autocorrelations summing to zero at every non-zero shift.
 */
import { SUPPLEMENTARY_DIFFERENCE_SETS, type CompactDifferenceSets } from './data/difference-sets';
import { goethalsSeidelArray } from './goethals-seidel';
import type { SignSequence } from './sequences';

const BY_ORDER = new Map<number, CompactDifferenceSets>(SUPPLEMENTARY_DIFFERENCE_SETS.map((s) => [s.v, s]));

/** The group orders v of the tabulated SDS, ascending. */
export function differenceSetOrders(): number[] {
  return [...BY_ORDER.keys()].sort((a, b) => a - b);
}

/** True when the table holds SDS in Z_v suited to a Hadamard matrix of order 4v. */
export function hasSupplementaryDifferenceSets(v: number): boolean {
  return BY_ORDER.has(v);
}

/** The tabulated entry for Z_v (compact form), or undefined. */
export function compactDifferenceSets(v: number): CompactDifferenceSets | undefined {
  return BY_ORDER.get(v);
}

/** Expands the compact form: the four sets as sorted arrays of residues mod v. */
export function supplementaryDifferenceSets(v: number): [number[], number[], number[], number[]] {
  const entry = BY_ORDER.get(v);
  if (entry === undefined) throw new RangeError(`supplementaryDifferenceSets: no tabulated SDS in Z_${String(v)}`);
  const cosets: number[][] = [];
  for (const rep of entry.cosetRepresentatives) {
    const even = typeof rep === 'number' ? entry.subgroup.map((h) => (h * rep) % v) : rep.map((x) => ((x % v) + v) % v);
    cosets.push(
      even,
      even.map((x) => (v - x) % v),
    );
  }
  return entry.blocks.map((indices) => {
    const set = new Set<number>();
    for (const idx of indices) {
      if (idx === -1) set.add(0);
      else for (const x of cosets[idx]!) set.add(x);
    }
    return [...set].sort((a, b) => a - b);
  }) as [number[], number[], number[], number[]];
}

/** The ±1 sequences that are −1 exactly on each set. */
export function differenceSetSequences(v: number): [SignSequence, SignSequence, SignSequence, SignSequence] {
  return supplementaryDifferenceSets(v).map((set) => {
    const row = new Int8Array(v).fill(1);
    for (const x of set) row[x] = -1;
    return row;
  }) as [SignSequence, SignSequence, SignSequence, SignSequence];
}

/** A Hadamard matrix of order 4v: the Goethals–Seidel array of the tabulated SDS in Z_v. */
export function differenceSetHadamard(v: number): Int8Array {
  const [a, b, c, d] = differenceSetSequences(v);
  return goethalsSeidelArray(a, b, c, d);
}
