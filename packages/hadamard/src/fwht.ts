/**
 * The fast Walsh–Hadamard transform: multiplication by the Sylvester matrix hadamard(n),
 * n = 2^k, in n·log2(n) additions, in place, on a batch of contiguous vectors.
 *
 * Design (measured with bench/fwht-kernels.bench.mjs):
 * - one vector at a time, so every butterfly stage works on data already in L1/L2;
 * - the butterflies always run on Float64Array data: Float32 vectors are widened into a
 *   scratch vector with the native TypedArray.set and narrowed back once. This keeps the
 *   kernel monomorphic (a kernel that sees both array types runs ~1.7× slower in V8), costs
 *   less than the polymorphism, and rounds to single precision once instead of per stage;
 * - stages are fused three at a time (radix-8 butterflies in registers), so a length-8192
 *   vector is read and written 5 times instead of 13.
 */
import { isPowerOfTwo } from './bits';
import { describeValue } from './limits';

/** A floating-point array the transforms work on in place. */
export type FloatArray = Float32Array | Float64Array;

/** Options of {@link fwht}. */
export interface FwhtOptions {
  /** Divide by √n so the transform is orthonormal (and its own inverse). Default false. */
  readonly normalize?: boolean | undefined;
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

/** Scratch vectors up to this length are kept between calls (512 KiB); longer ones are temporary. */
const KEPT_SCRATCH_LENGTH = 1 << 16;
let keptScratch = new Float64Array(0);

/** A Float64 scratch vector of at least `length` elements (shared; callers must not nest). */
export function scratchVector(length: number): Float64Array {
  if (keptScratch.length >= length) return keptScratch;
  const fresh = new Float64Array(length);
  if (length <= KEPT_SCRATCH_LENGTH) keptScratch = fresh;
  return fresh;
}

/**
 * Walsh–Hadamard transform of x[offset … offset + n), n = 2^k, in place.
 * A first pass transforms aligned blocks of 8 in registers (stages 1–3), one radix-2 or
 * radix-4 pass takes the stages left over modulo 3, and radix-8 passes do three stages per
 * read of the vector (10–25% faster than radix-4 passes, bench/fwht-kernels.bench.mjs).
 */
// prettier-ignore
export function fwhtKernel(x: Float64Array, offset: number, n: number): void {
  const end = offset + n;
  if (n < 8) {
    if (n === 2) {
      const a = x[offset]!;
      const b = x[offset + 1]!;
      x[offset] = a + b;
      x[offset + 1] = a - b;
    } else if (n === 4) {
      const a0 = x[offset]!, a1 = x[offset + 1]!, a2 = x[offset + 2]!, a3 = x[offset + 3]!;
      const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
      x[offset] = b0 + b2;
      x[offset + 1] = b1 + b3;
      x[offset + 2] = b0 - b2;
      x[offset + 3] = b1 - b3;
    }
    return;
  }
  for (let i = offset; i < end; i += 8) {
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
  let h = 8;
  const leftover = (31 - Math.clz32(n) - 3) % 3;
  if (leftover === 1) {
    for (let i = offset; i < end; i += 2 * h) {
      for (let j = i, stop = i + h; j < stop; j++) {
        const a = x[j]!;
        const b = x[j + h]!;
        x[j] = a + b;
        x[j + h] = a - b;
      }
    }
    h *= 2;
  } else if (leftover === 2) {
    const h2 = 2 * h, h3 = 3 * h;
    for (let i = offset; i < end; i += 4 * h) {
      for (let j = i, stop = i + h; j < stop; j++) {
        const a0 = x[j]!, a1 = x[j + h]!, a2 = x[j + h2]!, a3 = x[j + h3]!;
        const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
        x[j] = b0 + b2;
        x[j + h] = b1 + b3;
        x[j + h2] = b0 - b2;
        x[j + h3] = b1 - b3;
      }
    }
    h *= 4;
  }
  for (; h < n; h *= 8) {
    const h2 = 2 * h, h3 = 3 * h, h4 = 4 * h, h5 = 5 * h, h6 = 6 * h, h7 = 7 * h;
    for (let i = offset; i < end; i += 8 * h) {
      for (let j = i, stop = i + h; j < stop; j++) {
        const a0 = x[j]!, a1 = x[j + h]!, a2 = x[j + h2]!, a3 = x[j + h3]!;
        const a4 = x[j + h4]!, a5 = x[j + h5]!, a6 = x[j + h6]!, a7 = x[j + h7]!;
        const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
        const b4 = a4 + a5, b5 = a4 - a5, b6 = a6 + a7, b7 = a6 - a7;
        const c0 = b0 + b2, c1 = b1 + b3, c2 = b0 - b2, c3 = b1 - b3;
        const c4 = b4 + b6, c5 = b5 + b7, c6 = b4 - b6, c7 = b5 - b7;
        x[j] = c0 + c4;
        x[j + h] = c1 + c5;
        x[j + h2] = c2 + c6;
        x[j + h3] = c3 + c7;
        x[j + h4] = c0 - c4;
        x[j + h5] = c1 - c5;
        x[j + h6] = c2 - c6;
        x[j + h7] = c3 - c7;
      }
    }
  }
}

/** Multiplies x[offset … offset + length) by `factor`. */
export function scaleRange(x: Float64Array, offset: number, length: number, factor: number): void {
  for (let i = offset, end = offset + length; i < end; i++) x[i]! *= factor;
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
  if (Number.isInteger(n) && n > 2 ** 30 && Number.isInteger(Math.log2(n))) {
    // A power of two, but beyond what the 32-bit index arithmetic of the butterflies handles.
    throw new RangeError(`fwht: n must be at most 2^30 = ${2 ** 30}, got 2^${Math.log2(n)} = ${n}`);
  }
  if (!isPowerOfTwo(n)) {
    throw new RangeError(`fwht: n must be a power of two, got ${describeValue(n)}; use hadamardTransform(n) for the other orders m·2^k`);
  }
  checkBatch(data, n, 'fwht');
  const scale = options.normalize ? 1 / Math.sqrt(n) : 1;
  if (data instanceof Float64Array) {
    for (let offset = 0; offset < data.length; offset += n) {
      fwhtKernel(data, offset, n);
      if (scale !== 1) scaleRange(data, offset, n, scale);
    }
    return data;
  }
  const work = scratchVector(n);
  for (let offset = 0; offset < data.length; offset += n) {
    work.set(data.subarray(offset, offset + n));
    fwhtKernel(work, 0, n);
    if (scale !== 1) scaleRange(work, 0, n, scale);
    data.set(work.subarray(0, n), offset);
  }
  return data;
}
