import { fwht, hadamard, hadamardTransform, isHadamard } from '@fixclf/hadamard';
import { countMismatches, denseApply, randomVector, relativeError } from './helpers';

describe('hadamardTransform', () => {
  it.each([12, 24, 40, 72, 96, 144, 200, 320, 340, 1000, 764, 1536])(
    'n = %i: apply = matrix()·v, matrix() = hadamard(n), Hadamard',
    (n) => {
      const t = hadamardTransform(n);
      expect(t.n).toBe(n);
      expect(t.m * 2 ** t.k).toBe(n);
      const h = t.matrix();
      expect(countMismatches(h, hadamard(n))).toBe(0);
      if (n <= 340) expect(isHadamard(h, n)).toBe(true);
      const input = randomVector(2 * n, n);
      const got = t.apply(Float64Array.from(input));
      expect(relativeError(got, denseApply(h, n, input))).toBeLessThan(1e-13);
      const gotT = t.apply(Float64Array.from(input), { transpose: true });
      expect(relativeError(gotT, denseApply(h, n, input, true))).toBeLessThan(1e-13);
    },
  );

  it('rows(count) is the first count rows of matrix(), built without it', () => {
    for (const n of [1, 2, 12, 64, 96, 200, 1536]) {
      const t = hadamardTransform(n);
      const h = t.matrix();
      for (const count of [0, 1, 5, 13, n].filter((c) => c <= n)) {
        expect(countMismatches(t.rows(count), h.subarray(0, count * n))).toBe(0);
      }
    }
    expect(() => hadamardTransform(12).rows(13)).toThrow(
      'hadamardTransform(12).rows(count): count must be an integer from 0 to 12, got 13',
    );
    expect(() => hadamardTransform(12).rows(1.5)).toThrow('got 1.5');
  });

  it('entry(i, j) is matrix()[i][j], and refuses indices outside 0 … n − 1 by name', () => {
    for (const n of [1, 2, 12, 64, 96, 200, 1536]) {
      const t = hadamardTransform(n);
      const h = t.matrix();
      const entries = new Int8Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) entries[i * n + j] = t.entry(i, j);
      expect(countMismatches(entries, h)).toBe(0);
    }
    const t = hadamardTransform(12);
    expect(() => t.entry(12, 0)).toThrow('hadamardTransform(12).entry(i, j): i and j must be integers from 0 to 11, got (12, 0)');
    expect(() => t.entry(0, -1)).toThrow('got (0, -1)');
    expect(() => t.entry(0.5, 0)).toThrow('got (0.5, 0)');
    expect(() => t.entry(Number.NaN, 0)).toThrow('got (NaN, 0)');
  });

  it('past the matrix limit, entry(i, j) agrees with the transform: column j of H is H·e_j', () => {
    const n = 12 * 2 ** 14;
    const t = hadamardTransform(n);
    for (const j of [0, 5, 16384, n - 1]) {
      const unit = new Float64Array(n);
      unit[j] = 1;
      const column = t.apply(unit);
      for (const i of [0, 1, 7, 16383, 16384, 99999, n - 1]) expect(t.entry(i, j)).toBe(column[i]);
    }
  });

  it('past the matrix limit, rows(count) still works (row r = Hᵀ·e_r by the transform) and matrix() is refused by name', () => {
    const n = 12 * 2 ** 14; // 196,608: its n×n matrix would be 36 GiB
    const t = hadamardTransform(n);
    const rows = t.rows(3);
    for (let r = 0; r < 3; r++) {
      const unit = new Float64Array(n);
      unit[r] = 1;
      expect(countMismatches(rows.subarray(r * n, (r + 1) * n), Int8Array.from(t.apply(unit, { transpose: true })))).toBe(0);
    }
    expect(() => t.matrix()).toThrow(`hadamardTransform(${n}).matrix(): a ${n}×${n} matrix is too large to allocate`);
  });

  it('transpose is the inverse up to n: Hᵀ·H·v = n·v, and normalize makes it orthonormal', () => {
    for (const n of [12, 28, 48, 104]) {
      const t = hadamardTransform(n);
      const v = randomVector(3 * n, 17 + n);
      const roundTrip = t.apply(t.apply(Float64Array.from(v)), { transpose: true });
      expect(
        relativeError(
          roundTrip,
          v.map((x) => x * n),
        ),
      ).toBeLessThan(1e-13);
      const ortho = t.apply(t.apply(Float64Array.from(v), { normalize: true }), { normalize: true, transpose: true });
      expect(relativeError(ortho, v)).toBeLessThan(1e-13);
    }
  });

  it('is non-symmetric where the core is (Paley I cores are skew), so transpose matters', () => {
    const t = hadamardTransform(12);
    const e0 = new Float64Array(12);
    e0[1] = 1;
    expect(Array.from(t.apply(Float64Array.from(e0)))).not.toEqual(Array.from(t.apply(Float64Array.from(e0), { transpose: true })));
  });

  it('chooses the largest power-of-two factor and counts its additions', () => {
    const t = hadamardTransform(1536);
    expect([t.m, t.k]).toEqual([12, 7]);
    expect(t.additionsPerVector).toBe(1536 * 7 + 1536 * 11);
    expect([hadamardTransform(1664).m, hadamardTransform(1664).k]).toEqual([52, 5]);
  });

  it('is fwht when n is a power of two', () => {
    const t = hadamardTransform(256);
    expect([t.m, t.k]).toEqual([1, 8]);
    const v = randomVector(512, 9);
    expect(Array.from(t.apply(Float32Array.from(v), { normalize: true }))).toEqual(
      Array.from(fwht(Float32Array.from(v), 256, { normalize: true })),
    );
    expect(Array.from(t.apply(Float64Array.from(v), { transpose: true }))).toEqual(Array.from(fwht(Float64Array.from(v), 256)));
  });

  it('mixes wide rows in column chunks with the same result (order 500·2^7: table larger than one chunk)', () => {
    const n = 500 * 128;
    const t = hadamardTransform(n);
    expect([t.m, t.k]).toEqual([500, 7]);
    // Reference: butterflies on each row, then the core mix written out, on one vector.
    const v = randomVector(n, 3);
    const rows = Float64Array.from(v);
    for (let r = 0; r < 500; r++) fwht(rows.subarray(r * 128, (r + 1) * 128), 128);
    const core = hadamard(500);
    const expected = new Float64Array(n);
    for (let i = 0; i < 500; i++) {
      for (let j = 0; j < 500; j++) {
        const s = core[i * 500 + j]!;
        for (let c = 0; c < 128; c++) expected[i * 128 + c]! += s * rows[j * 128 + c]!;
      }
    }
    expect(relativeError(t.apply(Float64Array.from(v)), expected)).toBeLessThan(1e-12);
  });

  it('works on Float32 within single-precision rounding', () => {
    const n = 1664;
    const t = hadamardTransform(n);
    const input = randomVector(n, 4);
    const got = t.apply(Float32Array.from(input));
    expect(relativeError(got, denseApply(t.matrix(), n, input))).toBeLessThan(1e-5);
  });

  it('rejects orders it cannot build and batches of the wrong length', () => {
    expect(() => hadamardTransform(6)).toThrow(/hadamardTransform\(6\): no Hadamard matrix of order 6 exists/);
    expect(() => hadamardTransform(668)).toThrow(/open problem/);
    expect(() => hadamardTransform(12).apply(new Float32Array(30))).toThrow(/data.length \(30\) must be a multiple of n \(12\)/);
  });
});
