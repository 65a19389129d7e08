/**
 * Fast Hadamard transforms for every order n = m·2^k this library builds: multiplication by
 * hadamard(m) ⊗ Sylvester(2^k) as 2^k-point Walsh–Hadamard transforms of the m rows of each
 * vector (n·k additions) followed by a dense ±1 mix of the rows (n·m additions).
 */
import { buildConstruction } from './build';
import { checkBatch, fwhtInPlace, scaleInPlace, type FloatArray } from './fwht';
import { coreConstruction, splitHadamardOrder } from './orders';
import { kronecker } from './kronecker';
import { sylvester } from './sylvester';
import { whyNoHadamard } from './hadamard';

/** Options of {@link HadamardTransform.apply}. */
export interface HadamardTransformOptions {
  /** Divide by √n so the transform is orthonormal. Default false. */
  readonly normalize?: boolean;
  /** Multiply by the transpose of the matrix (gradients need it: hadamard(m) need not be symmetric). Default false. */
  readonly transpose?: boolean;
}

/** A fast transform by a Hadamard matrix of order n = m·2^k. */
export interface HadamardTransform {
  /** The order of the matrix (the length of each vector). */
  readonly n: number;
  /** The dense core order: 1 or a multiple of 4. */
  readonly m: number;
  /** The exponent of the Sylvester factor: n = m·2^k. */
  readonly k: number;
  /** Additions per vector: n·k for the butterflies plus n·(m − 1) for the dense mix. */
  readonly additionsPerVector: number;
  /** The row-major n×n matrix `apply` multiplies by: hadamard(m) ⊗ hadamard(2^k), itself Hadamard. */
  matrix(): Int8Array;
  /**
   * In place, replaces every contiguous length-n vector v of `data` by H·v (or Hᵀ·v with
   * `transpose`), divided by √n with `normalize`. `data.length` must be a multiple of n.
   * @returns `data`
   */
  apply<T extends FloatArray>(data: T, options?: HadamardTransformOptions): T;
}

/** Below this row length the mix runs as per-column dot products, above it as row axpys. */
const ROW_MIX_MIN_WIDTH = 8;

class KroneckerHadamardTransform implements HadamardTransform {
  readonly n: number;
  readonly m: number;
  readonly k: number;
  readonly additionsPerVector: number;
  private readonly core: Int8Array;
  private transposedCore: Int8Array | null = null;
  private scratch: Float64Array;

  constructor(n: number, m: number, k: number, core: Int8Array) {
    this.n = n;
    this.m = m;
    this.k = k;
    this.core = core;
    this.additionsPerVector = n * k + n * (m - 1);
    this.scratch = new Float64Array(m > 1 ? n : 0);
  }

  matrix(): Int8Array {
    return this.k === 0 ? Int8Array.from(this.core) : kronecker(this.core, this.m, sylvester(2 ** this.k), 2 ** this.k);
  }

  apply<T extends FloatArray>(data: T, options: HadamardTransformOptions = {}): T {
    checkBatch(data, this.n, `hadamardTransform(${this.n}).apply`);
    const width = 2 ** this.k;
    // Sylvester(2^k) is symmetric, so the transpose only changes the core.
    if (width > 1) fwhtInPlace(data, width);
    const scale = options.normalize ? 1 / Math.sqrt(this.n) : 1;
    if (this.m === 1) {
      if (scale !== 1) scaleInPlace(data, scale);
      return data;
    }
    const core = options.transpose ? this.transposed() : this.core;
    for (let offset = 0; offset < data.length; offset += this.n) {
      if (width >= ROW_MIX_MIN_WIDTH) this.mixRows(data, offset, core, width, scale);
      else this.mixColumns(data, offset, core, width, scale);
    }
    return data;
  }

  private transposed(): Int8Array {
    if (this.transposedCore === null) {
      const { m, core } = this;
      const t = new Int8Array(m * m);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) t[j * m + i] = core[i * m + j]!;
      this.transposedCore = t;
    }
    return this.transposedCore;
  }

  /** Row i of the vector (viewed as m×width) becomes Σ_j core[i][j]·row j: contiguous ± row updates. */
  private mixRows(x: FloatArray, offset: number, core: Int8Array, width: number, scale: number): void {
    const { m, n } = this;
    const acc = this.scratch;
    acc.fill(0);
    for (let i = 0; i < m; i++) {
      const out = i * width;
      for (let j = 0; j < m; j++) {
        const src = offset + j * width;
        if (core[i * m + j]! > 0) for (let c = 0; c < width; c++) acc[out + c]! += x[src + c]!;
        else for (let c = 0; c < width; c++) acc[out + c]! -= x[src + c]!;
      }
    }
    for (let t = 0; t < n; t++) x[offset + t] = acc[t]! * scale;
  }

  /** Narrow rows: each output is a ±1 dot product down a strided column. */
  private mixColumns(x: FloatArray, offset: number, core: Int8Array, width: number, scale: number): void {
    const { m, n } = this;
    const acc = this.scratch;
    for (let c = 0; c < width; c++) {
      for (let i = 0; i < m; i++) {
        const row = i * m;
        let sum = 0;
        for (let j = 0; j < m; j++) sum += core[row + j]! * x[offset + j * width + c]!;
        acc[i * width + c] = sum;
      }
    }
    for (let t = 0; t < n; t++) x[offset + t] = acc[t]! * scale;
  }
}

/**
 * A fast transform by a Hadamard matrix of order n, for every order this library builds:
 * n = m·2^k with the largest k whose core m it builds, so the cost per vector is
 * n·k + n·(m − 1) additions instead of n². For n a power of two it is {@link fwht}
 * (m = 1); in general `matrix()` equals hadamard(n).
 *
 * @throws RangeError when the order cannot be built (same message as `hadamard`).
 */
export function hadamardTransform(n: number): HadamardTransform {
  const why = whyNoHadamard(n);
  if (why !== null) throw new RangeError(`hadamardTransform(${String(n)}): ${why}`);
  const split = splitHadamardOrder(n)!;
  const core = split.m === 1 ? new Int8Array([1]) : buildConstruction(coreConstruction(split.m)!);
  return new KroneckerHadamardTransform(n, split.m, split.k, core);
}
