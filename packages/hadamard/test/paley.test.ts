import { isHadamard, isSymmetric } from '@fixclf/hadamard';
import { GaloisField, jacobsthalMatrix, paleyConferenceMatrix, paleyI, paleyII } from '@fixclf/hadamard/constructions';
import { gram } from './helpers';

describe('Paley constructions', () => {
  it.each([3, 7, 11, 19, 23, 27, 31, 43, 47, 59, 67, 79, 83, 103, 107, 127, 243, 343])('Paley I, q = %i: Hadamard of order q + 1', (q) => {
    expect(isHadamard(paleyI(q), q + 1)).toBe(true);
  });

  it.each([5, 9, 13, 17, 25, 29, 37, 41, 49, 81, 121, 125, 169, 289])('Paley II, q = %i: Hadamard of order 2(q + 1)', (q) => {
    expect(isHadamard(paleyII(q), 2 * (q + 1))).toBe(true);
  });

  it.each([5, 7, 9, 11, 13, 27, 25])('the conference matrix of q = %i has C·Cᵀ = q·I, zero diagonal, ±1 elsewhere', (q) => {
    const v = q + 1;
    const c = paleyConferenceMatrix(q);
    const g = gram(c, v);
    for (let i = 0; i < v; i++) {
      expect(c[i * v + i]).toBe(0);
      for (let j = 0; j < v; j++) {
        if (i !== j) expect(Math.abs(c[i * v + j]!)).toBe(1);
        expect(g[i * v + j]).toBe(i === j ? q : 0);
      }
    }
    const skew = Array.from(c).every((x, t) => x === -c[(t % v) * v + Math.floor(t / v)]!);
    expect(isSymmetric(c, v)).toBe(q % 4 === 1);
    expect(skew).toBe(q % 4 === 3);
  });

  it('the Jacobsthal matrix has row sums 0 and Q·Qᵀ = q·I − J', () => {
    for (const q of [7, 9, 13, 27]) {
      const jac = jacobsthalMatrix(new GaloisField(q));
      const g = gram(jac, q);
      for (let i = 0; i < q; i++) {
        let sum = 0;
        for (let j = 0; j < q; j++) {
          sum += jac[i * q + j]!;
          expect(g[i * q + j]).toBe(i === j ? q - 1 : -1);
        }
        expect(sum).toBe(0);
      }
    }
  });

  it('rejects q of the wrong residue or not a prime power', () => {
    expect(() => paleyI(13)).toThrow(/prime power ≡ 3 \(mod 4\), got 13/);
    expect(() => paleyI(15)).toThrow(/got 15/);
    expect(() => paleyII(11)).toThrow(/prime power ≡ 1 \(mod 4\), got 11/);
    expect(() => paleyII(21)).toThrow(/got 21/);
    expect(() => paleyConferenceMatrix(8)).toThrow(/odd prime power, got 8/);
  });
});
