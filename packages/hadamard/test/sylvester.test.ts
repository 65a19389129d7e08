import { hadamard, isHadamard, isSymmetric } from '@fixclf/hadamard';
import { sylvester } from '@fixclf/hadamard/constructions';
import { sylvesterEntry } from './helpers';

describe('Sylvester matrices', () => {
  it.each([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048])(
    'hadamard(%i) equals scipy.linalg.hadamard: entry (i, j) = (-1)^popcount(i & j)',
    (n) => {
      const h = hadamard(n);
      expect(h).toBeInstanceOf(Int8Array);
      expect(h.length).toBe(n * n);
      let mismatches = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (h[i * n + j] !== sylvesterEntry(i, j)) mismatches++;
      expect(mismatches).toBe(0);
    },
  );

  it('matches scipy.linalg.hadamard(4) written out', () => {
    expect(Array.from(hadamard(4))).toEqual([1, 1, 1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1]);
  });

  it('is symmetric and Hadamard', () => {
    for (const n of [2, 8, 64, 512]) {
      expect(isSymmetric(sylvester(n), n)).toBe(true);
      expect(isHadamard(sylvester(n), n)).toBe(true);
    }
  });

  it('rejects orders that are not powers of two', () => {
    expect(() => sylvester(12)).toThrow('sylvester: n must be a power of two (1, 2, 4, 8, …), got 12');
    expect(() => sylvester(0)).toThrow(/power of two/);
  });
});
