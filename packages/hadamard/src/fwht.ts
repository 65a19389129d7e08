/**
 * The fast Walsh–Hadamard transform: multiplication by the Sylvester matrix hadamard(n),
 * n = 2^k, in n·log2(n) additions, in place, on a batch of contiguous vectors.
 */
import { isPowerOfTwo } from './bits';

/** A floating-point array the transforms work on in place. */
export type FloatArray = Float32Array | Float64Array;

/** Options of {@link fwht}. */
export interface FwhtOptions {
  /** Divide by √n so the transform is orthonormal (and its own inverse). Default false. */
  readonly normalize?: boolean;
}

/** Throws unless `data` is a Float32Array/Float64Array holding whole vectors of length `n`. */
export function checkBatch(data: unknown, n: number, caller: string): asserts data is FloatArray {
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new TypeError(`${caller}: data must be a Float32Array or Float64Array`);
  }
  if (data.length % n !== 0) {
    throw new RangeError(
      `${caller}: data.length (${data.length}) must be a multiple of n (${n}): data holds a batch of length-${n} vectors`,
    );
  }
}

/**
 * Butterflies of a batch of transforms, done in place on the whole array at once:
 * `data` holds vectors of length n = 2^k back to back, and because every stage pairs
 * elements within an aligned block, one pass over the array serves every vector.
 *
 * Strategy (measured in bench/fwht.bench.mjs): the first two or three stages run as one
 * radix-8/radix-4 pass fully in registers, then the remaining stages go two at a time
 * (radix 4), so a length-8192 vector is read and written 5 times instead of 13.
 */
export function fwhtInPlace(x: FloatArray, n: number): void {
  const total = x.length;
  if (n === 1 || total === 0) return;
  if (n === 2) {
    for (let i = 0; i < total; i += 2) {
      const a = x[i]!;
      const b = x[i + 1]!;
      x[i] = a + b;
      x[i + 1] = a - b;
    }
    return;
  }
  let h: number;
  const log = 31 - Math.clz32(n);
  if (log % 2 === 1) {
    // Stages of half-width 1, 2 and 4: an 8-point transform per aligned block of 8.
    for (let i = 0; i < total; i += 8) {
      const a0 = x[i]!, a1 = x[i + 1]!, a2 = x[i + 2]!, a3 = x[i + 3]!;
      const a4 = x[i + 4]!, a5 = x[i + 5]!, a6 = x[i + 6]!, a7 = x[i + 7]!;
      const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
      const b4 = a4 + a5, b5 = a4 - a5, b6 = a6 + a7, b7 = a6 - a7;
      const c0 = b0 + b2, c1 = b1 + b3, c2 = b0 - b2, c3 = b1 - b3;
      const c4 = b4 + b6, c5 = b5 + b7, c6 = b4 - b6, c7 = b5 - b7;
      x[i] = c0 + c4;
      x[i + 1] = c1 + c5;
      x[i + 2] = c2 + c6;
      x[i + 3] = c3 + c7;
      x[i + 4] = c0 - c4;
      x[i + 5] = c1 - c5;
      x[i + 6] = c2 - c6;
      x[i + 7] = c3 - c7;
    }
    h = 8;
  } else {
    // Stages of half-width 1 and 2: a 4-point transform per aligned block of 4.
    for (let i = 0; i < total; i += 4) {
      const a0 = x[i]!, a1 = x[i + 1]!, a2 = x[i + 2]!, a3 = x[i + 3]!;
      const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
      x[i] = b0 + b2;
      x[i + 1] = b1 + b3;
      x[i + 2] = b0 - b2;
      x[i + 3] = b1 - b3;
    }
    h = 4;
  }
  // Remaining stages two at a time: half-widths h and 2h fused into a radix-4 butterfly.
  for (; h < n; h *= 4) {
    const h2 = 2 * h;
    const h3 = 3 * h;
    const block = 4 * h;
    for (let i = 0; i < total; i += block) {
      for (let j = i, end = i + h; j < end; j++) {
        const a0 = x[j]!, a1 = x[j + h]!, a2 = x[j + h2]!, a3 = x[j + h3]!;
        const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
        x[j] = b0 + b2;
        x[j + h] = b1 + b3;
        x[j + h2] = b0 - b2;
        x[j + h3] = b1 - b3;
      }
    }
  }
}

/** Multiplies every element by `factor`. */
export function scaleInPlace(x: FloatArray, factor: number): void {
  for (let i = 0; i < x.length; i++) x[i]! *= factor;
}

/**
 * In-place fast Walsh–Hadamard transform of every contiguous length-`n` vector in `data`:
 * each vector v becomes hadamard(n)·v (Sylvester ordering, the symmetric matrix of
 * `scipy.linalg.hadamard`), in O(n log n). With `normalize` the result is divided by √n,
 * which makes the transform orthonormal and its own inverse.
 *
 * @param data a batch of vectors back to back; its length must be a multiple of `n`
 * @param n the vector length, a power of two (for other orders see {@link hadamardTransform})
 * @returns `data`, transformed
 */
export function fwht<T extends FloatArray>(data: T, n: number, options: FwhtOptions = {}): T {
  if (!isPowerOfTwo(n)) {
    throw new RangeError(
      `fwht: n must be a power of two, got ${String(n)}; use hadamardTransform(n) for the other orders m·2^k`,
    );
  }
  checkBatch(data, n, 'fwht');
  fwhtInPlace(data, n);
  if (options.normalize) scaleInPlace(data, 1 / Math.sqrt(n));
  return data;
}
