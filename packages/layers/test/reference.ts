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
