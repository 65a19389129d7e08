import { hadamard, isHadamard, isSkewHadamard } from '@fixclf/hadamard';
import {
  baumertHallUnits,
  cooperWallis,
  compactDifferenceSets,
  differenceSetHadamard,
  differenceSetOrders,
  goethalsSeidelArray,
  halfProduct,
  kronecker,
  miyamoto,
  supplementaryDifferenceSets,
  tMatrices,
  williamsonArray,
  williamsonHadamard,
  williamsonOrders,
  williamsonSequences,
} from '@fixclf/hadamard/constructions';
import { gram, nonZeroShifts, paf } from './helpers';

describe('Williamson matrices', () => {
  it('cover the odd orders the literature gives (not 35, 47, 53, 59)', () => {
    const orders = williamsonOrders();
    for (let w = 1; w <= 33; w += 2) expect(orders).toContain(w);
    for (const w of [35, 47, 53, 59]) expect(orders).not.toContain(w);
  });

  it.each(williamsonOrders())('order %i: symmetric ±1 rows with zero periodic autocorrelation sum, Williamson array is Hadamard', (w) => {
    const rows = williamsonSequences(w);
    for (const r of rows) {
      expect(r).toHaveLength(w);
      for (let i = 1; i < w; i++) expect(r[i]).toBe(r[w - i]);
    }
    expect(nonZeroShifts(rows, paf)).toEqual([]);
    expect(isHadamard(williamsonHadamard(w), 4 * w)).toBe(true);
  });

  it('the Williamson array of non-complementary rows is not Hadamard', () => {
    const [a, b, c] = williamsonSequences(5);
    expect(isHadamard(williamsonArray(a, b, c, a), 20)).toBe(false);
  });
});

describe('Goethals–Seidel array', () => {
  it('turns any complementary circulant rows into a Hadamard matrix, symmetric or not', () => {
    // Non-symmetric rows: rotate Williamson rows (a rotation keeps periodic autocorrelations).
    const rows = williamsonSequences(7).map((r, k) => Int8Array.from(r, (_, i) => r[(i + k + 1) % 7]!));
    expect(rows.some((r) => r.some((x, i) => x !== r[(7 - i) % 7]))).toBe(true);
    expect(isHadamard(goethalsSeidelArray(rows[0]!, rows[1]!, rows[2]!, rows[3]!), 28)).toBe(true);
  });
});

describe('Baumert–Hall units and the Cooper–Wallis construction', () => {
  it.each([3, 5, 7, 9, 11])('units of order 4t from T-matrices of order %i: disjoint, E_i·E_iᵀ = t·I, E_i·E_jᵀ = −E_j·E_iᵀ', (t) => {
    const units = baumertHallUnits(tMatrices(t));
    const n = 4 * t;
    for (let e = 0; e < n * n; e++) expect(units.filter((u) => u[e] !== 0).length).toBe(1);
    for (let i = 0; i < 4; i++) {
      const g = gram(units[i]!, n);
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) expect(g[r * n + c]).toBe(r === c ? t : 0);
      for (let j = i + 1; j < 4; j++) {
        for (let r = 0; r < n; r += 3) {
          for (let c = 0; c < n; c += 2) {
            let ij = 0;
            let ji = 0;
            for (let k = 0; k < n; k++) {
              ij += units[i]![r * n + k]! * units[j]![c * n + k]!;
              ji += units[j]![r * n + k]! * units[i]![c * n + k]!;
            }
            expect(ij + ji).toBe(0);
          }
        }
      }
    }
  });

  it.each([
    [3, 3],
    [5, 3],
    [3, 5],
    [7, 5],
    [67, 1],
  ])('T-matrices of order %i with Williamson matrices of order %i give a Hadamard matrix of order 4tw', (t, w) => {
    expect(isHadamard(cooperWallis(tMatrices(t), williamsonSequences(w)), 4 * t * w)).toBe(true);
  });
});

describe('supplementary difference sets', () => {
  it.each(differenceSetOrders())('Z_%i: the four sets are supplementary difference sets with k1+k2+k3+k4 = v + λ', (v) => {
    const sets = supplementaryDifferenceSets(v);
    const lambda = sets.reduce((s, x) => s + x.length, 0) - v;
    const counts = new Int32Array(v);
    for (const set of sets) for (const x of set) for (const y of set) if (x !== y) counts[(x - y + v) % v]!++;
    expect(Array.from(counts.subarray(1)).every((c) => c === lambda)).toBe(true);
    if (compactDifferenceSets(v)!.skew) {
      const first = new Set(sets[0]);
      for (let x = 1; x < v; x++) expect(first.has(x) !== first.has(v - x)).toBe(true);
      expect(first.has(0)).toBe(false);
    }
  });

  it.each([37, 39, 43, 49, 65, 67, 73, 93, 97, 103])('Z_%i gives a Hadamard matrix of order 4v (skew-Hadamard for skew sets)', (v) => {
    const h = differenceSetHadamard(v);
    expect(isHadamard(h, 4 * v)).toBe(true);
    expect(isSkewHadamard(h, 4 * v)).toBe(compactDifferenceSets(v)!.skew);
  });
});

describe('Miyamoto', () => {
  it.each([5, 13, 29, 37])('q = %i: Hadamard of order 4q from one of order q − 1', (q) => {
    expect(isHadamard(miyamoto(q, hadamard(q - 1)), 4 * q)).toBe(true);
  });

  it('rejects parameters outside the construction', () => {
    expect(() => miyamoto(7, hadamard(4))).toThrow(/prime power ≡ 1 \(mod 4\), got 7/);
    expect(() => miyamoto(13, hadamard(8))).toThrow(/12×12 Hadamard/);
  });
});

describe('products', () => {
  it('kronecker: entry (i·b + k, j·b + l) = A[i][j]·B[k][l], and Hadamard', () => {
    const a = hadamard(12);
    const b = hadamard(4);
    const k = kronecker(a, 12, b, 4);
    for (let i = 0; i < 48; i++)
      for (let j = 0; j < 48; j++) expect(k[i * 48 + j]).toBe(a[Math.floor(i / 4) * 12 + Math.floor(j / 4)]! * b[(i % 4) * 4 + (j % 4)]!);
    expect(isHadamard(k, 48)).toBe(true);
  });

  it.each([
    [12, 12],
    [12, 20],
    [20, 28],
    [4, 12],
    [2, 12],
  ])('half product of orders %i and %i is Hadamard of order ab/2', (a, b) => {
    expect(isHadamard(halfProduct(hadamard(a), a, hadamard(b), b), (a * b) / 2)).toBe(true);
  });

  it('reject odd orders and wrong sizes', () => {
    expect(() => halfProduct(new Int8Array(1), 1, hadamard(4), 4)).toThrow(/both orders must be even/);
    expect(() => kronecker(new Int8Array(3), 2, hadamard(4), 4)).toThrow(/a has 3 entries, expected 2×2/);
  });
});
