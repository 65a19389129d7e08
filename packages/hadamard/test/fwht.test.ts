import { fwht, hadamard } from '@fixclf/hadamard';
import { denseApply, randomVector, relativeError } from './helpers';

describe('fwht', () => {
  it.each([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])('n = %i: equals hadamard(n)·v for every vector of a batch (Float64)', (n) => {
    const batch = 3;
    const input = randomVector(n * batch, n);
    const expected = denseApply(hadamard(n), n, input);
    const out = fwht(Float64Array.from(input), n);
    expect(relativeError(out, expected)).toBeLessThan(1e-13);
  });

  it.each([2, 8, 64, 2048])('n = %i: Float32 within single-precision rounding', (n) => {
    const input = randomVector(n * 2, 3 * n);
    const expected = denseApply(hadamard(n), n, input);
    const data = Float32Array.from(input);
    const out = fwht(data, n);
    expect(out).toBe(data); // in place, same array back
    expect(relativeError(out, expected)).toBeLessThan(1e-5);
  });

  it.each([8, 1024, 1 << 17])('n = %i: Float32 results are the Float64 results rounded once to single precision', (n) => {
    const input = Float32Array.from(randomVector(2 * n, 7 + n));
    const wide = fwht(Float64Array.from(input), n, { normalize: true });
    const narrow = fwht(Float32Array.from(input), n, { normalize: true });
    let mismatches = 0;
    for (let i = 0; i < narrow.length; i++) if (narrow[i] !== Math.fround(wide[i]!)) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('normalize divides by √n, making the transform orthonormal and its own inverse', () => {
    const n = 256;
    const input = randomVector(n * 4, 5);
    const plain = fwht(Float64Array.from(input), n);
    const normalized = fwht(Float64Array.from(input), n, { normalize: true });
    expect(
      relativeError(
        normalized,
        plain.map((x) => x / 16),
      ),
    ).toBeLessThan(1e-14);
    const norm = (v: Float64Array) => Math.hypot(...v);
    expect(norm(normalized)).toBeCloseTo(norm(input), 10);
    expect(relativeError(fwht(normalized, n, { normalize: true }), input)).toBeLessThan(1e-14);
  });

  it('transforms each vector independently', () => {
    const n = 16;
    const a = randomVector(n, 1);
    const b = randomVector(n, 2);
    const both = Float64Array.from([...a, ...b]);
    fwht(both, n);
    expect(Array.from(both.subarray(0, n))).toEqual(Array.from(fwht(Float64Array.from(a), n)));
    expect(Array.from(both.subarray(n))).toEqual(Array.from(fwht(Float64Array.from(b), n)));
  });

  it('handles an empty batch', () => {
    expect(fwht(new Float32Array(0), 8)).toHaveLength(0);
  });

  it('rejects a non-power-of-two n, pointing to hadamardTransform', () => {
    expect(() => fwht(new Float32Array(12), 12)).toThrow(/n must be a power of two, got 12; use hadamardTransform/);
    expect(() => fwht(new Float32Array(4), 0)).toThrow(/power of two, got 0/);
    expect(() => fwht(new Float32Array(4), 2.5)).toThrow(/power of two, got 2.5/);
  });

  it('rejects a length that is not a multiple of n, and arrays that are not float', () => {
    expect(() => fwht(new Float32Array(20), 8)).toThrow(/data.length \(20\) must be a multiple of n \(8\)/);
    expect(() => fwht(new Int32Array(8) as unknown as Float32Array, 8)).toThrow(/Float32Array or Float64Array/);
  });
});
