/**
 * Fast Hadamard transforms for every order n = m·2^k this library builds: multiplication by
 * hadamard(m) ⊗ Sylvester(2^k) as 2^k-point Walsh–Hadamard transforms of the m rows of each
 * vector (n·k additions) followed by a dense ±1 mix of the rows (n·m additions).
 */
import { buildConstruction } from './build';
import { checkBatch, fwht, fwhtKernel, type FloatArray } from './fwht';
import { coreConstruction, splitHadamardOrder } from './orders';
import { kronecker } from './kronecker';
import { sylvester } from './sylvester';
import { TRANSFORM_ORDER, whyNoHadamardFor } from './hadamard';
import { HADAMARD_MAX_MATRIX_ORDER, HADAMARD_MAX_ORDER } from './limits';

/** Options of {@link HadamardTransform.apply}. */
export interface HadamardTransformOptions {
  /** Divide by √n so the transform is orthonormal. Default false. */
  readonly normalize?: boolean | undefined;
  /** Multiply by the transpose of the matrix (gradients need it: hadamard(m) need not be symmetric). Default false. */
  readonly transpose?: boolean | undefined;
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
   * The first `count` rows of {@link matrix} (row-major, count×n), built without the n×n matrix: a
   * fixed classifier of 10 classes on 25,088 features needs 10 rows (250 KB), not 629 MB.
   */
  rows(count: number): Int8Array;
  /**
   * Entry (i, j) of {@link matrix}, ±1, from the core and the Sylvester formula
   * core[i >> k][j >> k] · (−1)^popcount(i & j & (2^k − 1)): single entries of an order whose matrix
   * would not fit (1 GiB at n = 32768). Indices outside 0 … n − 1 are refused.
   */
  entry(i: number, j: number): number;
  /**
   * In place, replaces every contiguous length-n vector v of `data` by H·v (or Hᵀ·v with
   * `transpose`), divided by √n with `normalize`. `data.length` must be a multiple of n.
   * @returns `data`
   */
  apply<T extends FloatArray>(data: T, options?: HadamardTransformOptions): T;
}

class KroneckerHadamardTransform implements HadamardTransform {
  readonly n: number;
  readonly m: number;
  readonly k: number;
  readonly additionsPerVector: number;
  private readonly core: Int8Array;
  /** The transposed core, built on first use. */
  private transposedCore: Int8Array | null = null;
  /** Pattern mixers for the core and its transpose, built on first use when m ≥ 28. */
  private mixer: PatternMixer | null = null;
  private transposedMixer: PatternMixer | null = null;
  /** Float64 working copies of one vector: the butterflies and the mix only ever see Float64Array (monomorphic). */
  private readonly work: Float64Array;
  private readonly mixed: Float64Array;

  constructor(n: number, m: number, k: number, core: Int8Array) {
    this.n = n;
    this.m = m;
    this.k = k;
    this.core = core;
    this.additionsPerVector = n * k + n * (m - 1);
    try {
      this.work = new Float64Array(m > 1 ? n : 0);
      this.mixed = new Float64Array(m > 1 ? n : 0);
    } catch (cause) {
      // V8 says only "Array buffer allocation failed": name the order and the size instead.
      throw new RangeError(
        `hadamardTransform(${n}): cannot allocate its two float64 working vectors of length ${n} ` +
          `(${((16 * n) / 2 ** 30).toFixed(1)} GiB); use a smaller order or free memory`,
        { cause },
      );
    }
  }

  matrix(): Int8Array {
    const { n } = this;
    if (n > HADAMARD_MAX_MATRIX_ORDER) {
      throw new RangeError(
        `hadamardTransform(${n}).matrix(): a ${n}×${n} matrix is too large to allocate (n must be at most ` +
          `${HADAMARD_MAX_MATRIX_ORDER}, so that it stays under 2 GiB); apply() multiplies by it, rows(count) gives some of its rows`,
      );
    }
    return this.k === 0 ? Int8Array.from(this.core) : kronecker(this.core, this.m, sylvester(2 ** this.k), 2 ** this.k);
  }

  rows(count: number): Int8Array {
    const { n, m, k, core } = this;
    if (!Number.isInteger(count) || count < 0 || count > n) {
      throw new RangeError(`hadamardTransform(${n}).rows(count): count must be an integer from 0 to ${n}, got ${String(count)}`);
    }
    // Row r is core row r >> k, each entry a block of Sylvester row r & (2^k − 1) with its sign (see entry).
    const width = 2 ** k;
    const out = new Int8Array(count * n);
    const sylvesterRow = new Int8Array(width);
    for (let r = 0; r < count; r++) {
      const low = r & (width - 1);
      for (let c = 0; c < width; c++) sylvesterRow[c] = 1 - 2 * parity(low & c);
      const coreRow = (r >> k) * m;
      for (let block = 0; block < m; block++) {
        const start = r * n + block * width;
        if (core[coreRow + block]! > 0) out.set(sylvesterRow, start);
        else for (let c = 0; c < width; c++) out[start + c] = -sylvesterRow[c]!;
      }
    }
    return out;
  }

  entry(i: number, j: number): number {
    const { n, m, k } = this;
    // Checked and indexed with shifts, not builtins: builtins are not inlined in Jest's sandbox, where
    // an overcomplete head's entries took 2 s through Math.floor and 0.1 s with shifts.
    if (i >>> 0 !== i || j >>> 0 !== j || i >= n || j >= n) {
      throw new RangeError(
        `hadamardTransform(${n}).entry(i, j): i and j must be integers from 0 to ${n - 1}, got (${String(i)}, ${String(j)})`,
      );
    }
    const c = this.core[(i >>> k) * m + (j >>> k)]!;
    return parity(i & j & (2 ** k - 1)) ? -c : c;
  }

  apply<T extends FloatArray>(data: T, options: HadamardTransformOptions = {}): T {
    checkBatch(data, this.n, `hadamardTransform(${this.n}).apply`);
    // Sylvester(2^k) is symmetric, so the transpose only changes the core.
    if (this.m === 1) return fwht(data, this.n, options);
    const { n, m, work, mixed } = this;
    const width = 2 ** this.k;
    const scale = options.normalize ? 1 / Math.sqrt(n) : 1;
    const signs = options.transpose ? this.transposed() : this.core;
    const mixer = m >= PATTERN_MIX_MIN_ORDER ? this.patternMixer(options.transpose === true) : null;
    for (let offset = 0; offset < data.length; offset += n) {
      work.set(data.subarray(offset, offset + n));
      if (width > 1) for (let row = 0; row < m; row++) fwhtKernel(work, row * width, width);
      if (mixer !== null) mixer.mix(work, mixed, scale);
      else mixRows(work, mixed, signs, m, width, scale);
      data.set(mixed, offset);
    }
    return data;
  }

  private patternMixer(transpose: boolean): PatternMixer {
    const width = 2 ** this.k;
    if (transpose) return (this.transposedMixer ??= new PatternMixer(this.transposed(), this.m, width));
    return (this.mixer ??= new PatternMixer(this.core, this.m, width));
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
}

/** 1 when `x` (a non-negative int32) has an odd number of set bits: the bits folded by xor, no loop. */
function parity(x: number): number {
  let v = x ^ (x >>> 16);
  v ^= v >>> 8;
  v ^= v >>> 4;
  v ^= v >>> 2;
  return (v ^ (v >>> 1)) & 1;
}

/** From this core order up, the mix uses {@link PatternMixer} (measured faster from about 28). */
const PATTERN_MIX_MIN_ORDER = 28;

/** At most this many table entries (1 MiB of Float64) per pattern mixer; wider rows go in column chunks. */
const TABLE_LIMIT = 1 << 17;

/**
 * The ±1 mix by the "method of four Russians": the m input rows are cut into groups of g;
 * for each group all 2^g signed sums of its rows are tabulated (2^g row additions, by
 * adding one row to an earlier entry), and each output row is the sum of one table entry per
 * group, picked by the signs of the core in that group: (m/g)·(2^g + m) row additions instead
 * of m². Measured 1.1× (m = 52) to 3× (m = 100, 500) faster than the fused row updates, and
 * slower below m ≈ 28 (bench/fwht-kernels.bench.mjs).
 */
class PatternMixer {
  private readonly m: number;
  private readonly width: number;
  private readonly groupSize: number;
  private readonly groups: number;
  /** Columns handled per table, so the table stays within TABLE_LIMIT entries. */
  private readonly chunk: number;
  /** For output row i and group G, its table row: G·2^g + (the core's sign pattern in G). */
  private readonly entry: Int32Array;
  private readonly table: Float64Array;

  constructor(signs: Int8Array, m: number, width: number) {
    const g = m < 256 ? 4 : m < 1024 ? 5 : 6;
    this.m = m;
    this.width = width;
    this.groupSize = g;
    this.groups = Math.ceil(m / g);
    this.entry = new Int32Array(m * this.groups);
    for (let i = 0; i < m; i++) {
      for (let group = 0; group < this.groups; group++) {
        let pattern = 0;
        for (let t = 0; t < g && group * g + t < m; t++) if (signs[i * m + group * g + t]! > 0) pattern |= 1 << t;
        this.entry[i * this.groups + group] = group * (1 << g) + pattern;
      }
    }
    const tableRows = this.groups * (1 << g);
    this.chunk = Math.max(1, Math.min(width, Math.floor(TABLE_LIMIT / tableRows)));
    this.table = new Float64Array(tableRows * this.chunk);
  }

  // prettier-ignore
  mix(x: Float64Array, out: Float64Array, scale: number): void {
    const { width, chunk } = this;
    for (let c0 = 0; c0 < width; c0 += chunk) this.mixColumns(x, out, scale, c0, Math.min(chunk, width - c0));
  }

  /** Columns c0 … c0 + cw of every row; table rows are cw long. */
  private mixColumns(x: Float64Array, out: Float64Array, scale: number, c0: number, cw: number): void {
    const { m, width, groupSize: g, groups, entry, table } = this;
    const size = 1 << g;
    for (let group = 0; group < groups; group++) {
      const first = group * g;
      const rows = Math.min(g, m - first);
      const base = group * size * cw;
      // Entry 0: every row of the group subtracted.
      for (let c = 0; c < cw; c++) {
        let sum = 0;
        for (let t = 0; t < rows; t++) sum -= x[(first + t) * width + c0 + c]!;
        table[base + c] = sum;
      }
      // Entry p: entry p without its lowest set bit t, plus twice row t.
      for (let p = 1, count = 1 << rows; p < count; p++) {
        const low = p & -p;
        const dst = base + p * cw;
        const src = base + (p ^ low) * cw;
        const row = (first + 31 - Math.clz32(low)) * width + c0;
        for (let c = 0; c < cw; c++) table[dst + c] = table[src + c]! + 2 * x[row + c]!;
      }
    }
    for (let i = 0; i < m; i++) {
      const r = i * groups;
      const o = i * width + c0;
      const e0 = entry[r]! * cw;
      for (let c = 0; c < cw; c++) out[o + c] = table[e0 + c]!;
      let group = 1;
      for (; group + 4 <= groups; group += 4) {
        const a = entry[r + group]! * cw,
          b = entry[r + group + 1]! * cw;
        const d = entry[r + group + 2]! * cw,
          e = entry[r + group + 3]! * cw;
        for (let c = 0; c < cw; c++) out[o + c]! += table[a + c]! + table[b + c]! + table[d + c]! + table[e + c]!;
      }
      for (; group < groups; group++) {
        const a = entry[r + group]! * cw;
        for (let c = 0; c < cw; c++) out[o + c]! += table[a + c]!;
      }
      if (scale !== 1) for (let c = o, end = o + cw; c < end; c++) out[c]! *= scale;
    }
  }
}

/**
 * The vector viewed as m rows of `width`: output row i = scale · Σ_j signs[i][j]·row j.
 * Eight (then four) input rows are folded into each pass over the output row (multiplying by ±1 rather
 * than branching), which measured 3× faster than one ± row update per input row and 2× faster
 * than per-column dot products (bench/fwht-kernels.bench.mjs).
 */
// prettier-ignore
function mixRows(x: Float64Array, out: Float64Array, signs: Int8Array, m: number, width: number, scale: number): void {
  for (let i = 0; i < m; i++) {
    const dst = i * width;
    const r = i * m;
    out.fill(0, dst, dst + width);
    let j = 0;
    for (; j + 8 <= m; j += 8) {
      const s0 = signs[r + j]!, s1 = signs[r + j + 1]!, s2 = signs[r + j + 2]!, s3 = signs[r + j + 3]!;
      const s4 = signs[r + j + 4]!, s5 = signs[r + j + 5]!, s6 = signs[r + j + 6]!, s7 = signs[r + j + 7]!;
      const w2 = 2 * width, w3 = 3 * width, w4 = 4 * width, w5 = 5 * width, w6 = 6 * width, w7 = 7 * width;
      for (let c = 0, k = j * width; c < width; c++, k++) {
        out[dst + c]! +=
          s0 * x[k]! + s1 * x[k + width]! + s2 * x[k + w2]! + s3 * x[k + w3]! +
          s4 * x[k + w4]! + s5 * x[k + w5]! + s6 * x[k + w6]! + s7 * x[k + w7]!;
      }
    }
    for (; j + 4 <= m; j += 4) {
      const s0 = signs[r + j]!, s1 = signs[r + j + 1]!, s2 = signs[r + j + 2]!, s3 = signs[r + j + 3]!;
      const w2 = 2 * width, w3 = 3 * width;
      for (let c = 0, k = j * width; c < width; c++, k++) {
        out[dst + c]! += s0 * x[k]! + s1 * x[k + width]! + s2 * x[k + w2]! + s3 * x[k + w3]!;
      }
    }
    for (; j < m; j++) {
      const s = signs[r + j]!;
      for (let c = 0, k = j * width; c < width; c++, k++) out[dst + c]! += s * x[k]!;
    }
    if (scale !== 1) for (let c = dst, end = dst + width; c < end; c++) out[c]! *= scale;
  }
}

/**
 * A fast transform by a Hadamard matrix of order n, for every order this library builds:
 * n = m·2^k with the largest k whose core m it builds, so the cost per vector is
 * n·k + n·(m − 1) additions instead of n². For n a power of two it is {@link fwht}
 * (m = 1); in general `matrix()` equals hadamard(n).
 *
 * @throws RangeError when the order cannot be built (same message as `hadamard`), when n
 * exceeds HADAMARD_MAX_ORDER (2^30), or when the dense core m exceeds HADAMARD_MAX_MATRIX_ORDER (46340).
 */
export function hadamardTransform(n: number): HadamardTransform {
  const why = whyNoHadamardFor(n, TRANSFORM_ORDER);
  if (why !== null) throw new RangeError(`hadamardTransform(${typeof n === 'number' ? n : 'n'}): ${why}`);
  const split = splitHadamardOrder(n)!;
  // The core is stored as a dense m×m matrix: refuse before allocating m² bytes.
  if (split.m > HADAMARD_MAX_MATRIX_ORDER) {
    throw new RangeError(
      `hadamardTransform(${n}): n = ${split.m}·2^${split.k} has a dense core of order ${split.m}, and a core ` +
        `matrix fits in memory only up to order ${HADAMARD_MAX_MATRIX_ORDER} (an m×m Int8Array under 2 GiB); ` +
        `choose an order m·2^k with a smaller core m, such as a power of two (up to ${HADAMARD_MAX_ORDER} = 2^30)`,
    );
  }
  const core = split.m === 1 ? new Int8Array([1]) : buildConstruction(coreConstruction(split.m)!);
  return new KroneckerHadamardTransform(n, split.m, split.k, core);
}
