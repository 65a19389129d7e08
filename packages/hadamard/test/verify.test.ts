import { hadamard, isHadamard, isSkewHadamard } from '@fixclf/hadamard';
import { paleyI, paleyII } from '@fixclf/hadamard/constructions';
import { gram, rng } from './helpers';

/** H·Hᵀ = n·I by direct multiplication, the definition isHadamard must agree with. */
function isHadamardByDefinition(h: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < h.length; i++) if (h[i] !== 1 && h[i] !== -1) return false;
  const g = gram(h, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (g[i * n + j] !== (i === j ? n : 0)) return false;
  return true;
}

describe('isHadamard', () => {
  it('agrees with H·Hᵀ = n·I on Hadamard matrices and on single-entry corruptions of them', () => {
    const random = rng(7);
    for (const n of [1, 2, 4, 12, 20, 36, 40, 64]) {
      const h = hadamard(n);
      expect(isHadamard(h, n)).toBe(true);
      expect(isHadamardByDefinition(h, n)).toBe(true);
      if (n === 1) continue;
      const flipped = Int8Array.from(h);
      const at = Math.floor(random() * n * n);
      flipped[at] = -flipped[at]!;
      expect(isHadamard(flipped, n)).toBe(isHadamardByDefinition(flipped, n));
      expect(isHadamard(flipped, n)).toBe(false);
    }
  });

  it('agrees with the definition on random ±1 matrices', () => {
    const random = rng(11);
    for (let trial = 0; trial < 200; trial++) {
      const n = [2, 4, 8][trial % 3]!;
      const m = Int8Array.from({ length: n * n }, () => (random() < 0.5 ? 1 : -1));
      expect(isHadamard(m, n)).toBe(isHadamardByDefinition(m, n));
    }
  });

  it('rejects entries other than ±1, odd orders and non-orthogonal rows', () => {
    const h = Array.from(hadamard(4));
    expect(isHadamard(h, 4)).toBe(true);
    expect(
      isHadamard(
        h.map((x, i) => (i === 5 ? 0 : x)),
        4,
      ),
    ).toBe(false);
    expect(
      isHadamard(
        h.map((x) => x * 2),
        4,
      ),
    ).toBe(false);
    expect(isHadamard(new Array(9).fill(1), 3)).toBe(false);
    expect(isHadamard([1, 1, 1, 1], 2)).toBe(false);
    expect(isHadamard([1], 1)).toBe(true);
    expect(isHadamard([-1], 1)).toBe(true);
  });

  it('throws on a length that does not match n×n and on a bad n', () => {
    expect(() => isHadamard(new Int8Array(15), 4)).toThrow(/4×4 matrix needs 16 entries, got 15/);
    expect(() => isHadamard(new Int8Array(0), 0)).toThrow(/n must be a positive integer/);
  });
});

describe('isSkewHadamard', () => {
  it('recognises Paley I matrices as skew and Paley II / Sylvester ones as not', () => {
    expect(isSkewHadamard(paleyI(11), 12)).toBe(true);
    expect(isSkewHadamard(paleyI(27), 28)).toBe(true);
    expect(isSkewHadamard(paleyII(5), 12)).toBe(false);
    expect(isSkewHadamard(hadamard(8), 8)).toBe(false);
  });
});
