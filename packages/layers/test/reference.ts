// Independent reference computations for the tests: formulas written out directly, in float64.

/** Sylvester Hadamard entry (scipy.linalg.hadamard): (-1)^popcount(i & j). */
export function sylvesterEntry(i: number, j: number): number {
  let v = i & j;
  let parity = 0;
  while (v) {
    parity ^= 1;
    v &= v - 1;
  }
  return parity ? -1 : 1;
}

/** The reference implementation's class matrix H[:C, :N] (order 2^⌈log2 max(N, C)⌉), as [N, C]. */
export function referenceProjection(inputDim: number, units: number, normalise = true): Float64Array {
  const p = new Float64Array(inputDim * units);
  const s = normalise ? 1 / Math.sqrt(inputDim) : 1;
  for (let k = 0; k < inputDim; k++) for (let c = 0; c < units; c++) p[k * units + c] = sylvesterEntry(c, k) * s;
  return p;
}

/** Gram matrix PᵀP of a row-major [rows, cols] matrix. */
export function gram(p: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const g = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < cols; i++) {
      const a = p[r * cols + i]!;
      if (a === 0) continue;
      for (let j = 0; j < cols; j++) g[i * cols + j]! += a * p[r * cols + j]!;
    }
  }
  return g;
}

/** Largest |G − target(i, j)| over a Gram matrix. */
export function maxGramError(g: Float64Array, cols: number, target: (i: number, j: number) => number): number {
  let worst = 0;
  for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) worst = Math.max(worst, Math.abs(g[i * cols + j]! - target(i, j)));
  return worst;
}

/** max |cos| between distinct columns, from the Gram matrix. */
export function coherence(p: ArrayLike<number>, rows: number, cols: number): number {
  const g = gram(p, rows, cols);
  let worst = 0;
  for (let i = 0; i < cols; i++) {
    for (let j = i + 1; j < cols; j++) {
      worst = Math.max(worst, Math.abs(g[i * cols + j]!) / Math.sqrt(g[i * cols + i]! * g[j * cols + j]!));
    }
  }
  return worst;
}

/** y = α · (x / (‖x‖ + ε)) · P + b, row by row, in float64. */
export function fixedClassifierFormula(
  x: ArrayLike<number>,
  batch: number,
  p: ArrayLike<number>,
  inputDim: number,
  units: number,
  alpha: number,
  bias: ArrayLike<number> | null,
  epsilon = 1e-8,
): Float64Array {
  const y = new Float64Array(batch * units);
  for (let b = 0; b < batch; b++) {
    let norm = 0;
    for (let k = 0; k < inputDim; k++) norm += x[b * inputDim + k]! ** 2;
    const d = Math.sqrt(norm) + epsilon;
    for (let c = 0; c < units; c++) {
      let s = 0;
      for (let k = 0; k < inputDim; k++) s += (x[b * inputDim + k]! / d) * p[k * units + c]!;
      y[b * units + c] = alpha * s + (bias ? bias[c]! : 0);
    }
  }
  return y;
}

/** Deterministic pseudo-random numbers in [-1, 1). */
export function randomValues(count: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = a / 2147483648 - 1;
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/**
 * The gradients of L = Σ probe ⊙ y for y = α · (x / (‖x‖ + ε)) · P + b, in float64: with g = α·probe·Pᵀ
 * per row, dx = g/(r+ε) − x̂·(x̂·g)/r (r = ‖x‖; a zero row gets g/ε), dα = Σ probe ⊙ (x̂·P), db = Σ_rows probe.
 */
export function fixedClassifierGradients(
  x: ArrayLike<number>,
  batch: number,
  p: ArrayLike<number>,
  inputDim: number,
  units: number,
  alpha: number,
  probe: ArrayLike<number>,
  epsilon = 1e-8,
): { dx: Float64Array; dAlpha: number; dAlphaScale: number; dBias: Float64Array } {
  const dx = new Float64Array(batch * inputDim);
  const dBias = new Float64Array(units);
  let dAlpha = 0;
  let squares = 0; // Σ (probe·x̂P)²: dα sums terms of either sign, so ‖terms‖₂ is its natural scale
  const g = new Float64Array(inputDim);
  for (let b = 0; b < batch; b++) {
    const row = b * inputDim;
    let norm = 0;
    for (let k = 0; k < inputDim; k++) norm += x[row + k]! ** 2;
    norm = Math.sqrt(norm);
    const d = norm + epsilon;
    g.fill(0);
    for (let c = 0; c < units; c++) {
      const q = probe[b * units + c]!;
      dBias[c]! += q;
      let s = 0;
      for (let k = 0; k < inputDim; k++) {
        const pk = p[k * units + c]!;
        s += (x[row + k]! / d) * pk;
        g[k]! += alpha * q * pk;
      }
      dAlpha += q * s;
      squares += (q * s) ** 2;
    }
    let dot = 0;
    for (let k = 0; k < inputDim; k++) dot += (x[row + k]! / d) * g[k]!;
    const along = norm > 0 ? dot / norm : 0;
    for (let k = 0; k < inputDim; k++) dx[row + k] = g[k]! / d - (x[row + k]! / d) * along;
  }
  return { dx, dAlpha, dAlphaScale: Math.max(Math.abs(dAlpha), Math.sqrt(squares)), dBias };
}

/** max |a − e| / max |e|: the error relative to the reference's magnitude. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = 1e-12;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  return maxAbsDiff(actual, expected) / scale;
}
