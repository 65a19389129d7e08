/**
 * Largest |cos| between two distinct columns of P ([rows, cols], row-major): how close two class
 * vectors are. 0 for orthogonal classes.
 */
export function maxAbsCosine(matrix: ArrayLike<number>, rows: number, cols: number): number {
  const norms = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) norms[c]! += matrix[r * cols + c]! ** 2;
  }
  let worst = 0;
  const dot = new Float64Array(cols);
  for (let i = 0; i < cols; i++) {
    dot.fill(0);
    for (let r = 0; r < rows; r++) {
      const a = matrix[r * cols + i]!;
      if (a === 0) continue;
      for (let j = i + 1; j < cols; j++) dot[j]! += a * matrix[r * cols + j]!;
    }
    for (let j = i + 1; j < cols; j++) {
      const denom = Math.sqrt(norms[i]! * norms[j]!);
      if (denom > 0) worst = Math.max(worst, Math.abs(dot[j]!) / denom);
    }
  }
  return worst;
}

/**
 * max |cos| between rows 0..rows-1 of a ±1 Hadamard matrix h (order n) truncated to its first
 * `dim` columns. Rows of h are orthogonal, so the truncated dot product is minus the dot product
 * over the dropped columns: that costs rows²·(n − dim) instead of rows²·dim.
 */
export function truncatedHadamardCoherence(h: Int8Array, n: number, rows: number, dim: number): number {
  const dropped = n - dim;
  if (dropped <= 0) return 0;
  const tail = new Int32Array(rows * dropped);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < dropped; k++) tail[i * dropped + k] = h[i * n + dim + k]!;
  }
  let worst = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) {
      let s = 0;
      for (let k = 0; k < dropped; k++) s += tail[i * dropped + k]! * tail[j * dropped + k]!;
      if (Math.abs(s) > worst) worst = Math.abs(s);
    }
  }
  return worst / dim;
}
