import {
  golayPair,
  isGolayLength,
  isTSequences,
  tSequenceLengths,
  tSequenceSource,
  tSequences,
  turynTypeSequences,
  tMatrices,
  isTMatrices,
} from '@fixclf/hadamard/constructions';
import { TURYN_SEQUENCES, TURYN_TYPE_SEQUENCES } from '../src/data/turyn-sequences';
import { parseSigns } from '../src/sequences';
import { nonZeroShifts, npaf, paf } from './helpers';

describe('Golay pairs', () => {
  it.each([1, 2, 4, 8, 10, 16, 20, 32, 40, 80, 100, 160, 200, 1000])(
    'length %i: ±1 entries and zero aperiodic autocorrelation sum',
    (g) => {
      const [a, b] = golayPair(g);
      expect([a.length, b.length]).toEqual([g, g]);
      expect([...a, ...b].every((x) => x === 1 || x === -1)).toBe(true);
      expect(nonZeroShifts([a, b], npaf)).toEqual([]);
    },
  );

  it('supports exactly the lengths 2^a·10^b', () => {
    expect([1, 2, 5, 10, 12, 20, 26, 40, 50, 64, 100].map(isGolayLength)).toEqual([
      true,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      true,
    ]);
    expect(() => golayPair(26)).toThrow(/2\^a·10\^b, got 26/);
  });
});

describe('T-sequences', () => {
  const lengths = tSequenceLengths(110);

  it('exist for every odd length up to 35 and for the tabulated Turyn-type lengths', () => {
    for (let t = 3; t <= 35; t += 2) expect(lengths).toContain(t);
    for (const n of Object.keys(TURYN_TYPE_SEQUENCES).map(Number)) expect(tSequenceSource(3 * n - 1)).not.toBeNull();
    expect(tSequenceSource(107)).toEqual({ kind: 'turyn-type', length: 107, n: 36 });
  });

  it.each(tSequenceLengths(110))('length %i: one non-zero entry per position and zero aperiodic autocorrelation sum', (t) => {
    const seqs = tSequences(t);
    expect(seqs.every((s) => s.length === t)).toBe(true);
    for (let i = 0; i < t; i++) expect(seqs.filter((s) => s[i] !== 0).length).toBe(1);
    expect(seqs.flatMap((s) => [...s]).every((x) => x === 0 || x === 1 || x === -1)).toBe(true);
    expect(nonZeroShifts(seqs, npaf)).toEqual([]);
    expect(isTSequences(seqs)).toBe(true);
  });

  it('isTSequences rejects overlapping supports and non-complementary sequences', () => {
    const good = tSequences(5).map((s) => Int8Array.from(s));
    expect(isTSequences(good)).toBe(true);
    const overlap = good.map((s) => Int8Array.from(s));
    overlap[3]![overlap[0]!.findIndex((x) => x !== 0)] = 1;
    expect(isTSequences(overlap)).toBe(false);
    const flipped = good.map((s) => Int8Array.from(s));
    const at = flipped[1]!.findIndex((x) => x !== 0);
    flipped[1]![at] = -flipped[1]![at]!;
    expect(isTSequences(flipped)).toBe(nonZeroShifts(flipped, npaf).length === 0);
  });

  it('rejects lengths with no construction', () => {
    expect(tSequenceSource(37)).toBeNull();
    expect(() => tSequences(37)).toThrow(/no construction of T-sequences of length 37/);
  });
});

describe('tabulated sequences from the literature', () => {
  it.each(Object.keys(TURYN_SEQUENCES).map(Number))('Turyn base sequences of length %i have zero aperiodic autocorrelation sum', (l) => {
    const seqs = TURYN_SEQUENCES[l]!.map(parseSigns);
    expect(seqs.map((s) => s.length)).toEqual([l, l, l - 1, l - 1]);
    expect(nonZeroShifts(seqs, npaf)).toEqual([]);
  });

  it.each(Object.keys(TURYN_TYPE_SEQUENCES).map(Number))('Turyn-type sequences TT(%i) decode to N_X + N_Y + 2N_Z + 2N_W = 0', (n) => {
    const seqs = turynTypeSequences(n);
    expect(seqs.map((s) => s.length)).toEqual([n, n, n, n - 1]);
    expect(nonZeroShifts(seqs, npaf, [1, 1, 2, 2])).toEqual([]);
  });

  it("Sawade's T-matrices of order 67: disjoint supports and zero periodic autocorrelation sum", () => {
    const rows = tMatrices(67);
    for (let i = 0; i < 67; i++) expect(rows.filter((r) => r[i] !== 0).length).toBe(1);
    expect(nonZeroShifts(rows, paf)).toEqual([]);
    expect(isTMatrices(rows)).toBe(true);
  });
});
