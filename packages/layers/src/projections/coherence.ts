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

/** Word operations (an XOR and a popcount) the coherence of one candidate may take: ~0.25 s here. */
export const COHERENCE_BUDGET = 3e7;

/**
 * max |cos| between the rows `rows` (row indices) of a ±1 Hadamard matrix of order n truncated to
 * its first `dim` columns, given by `entry(i, j)`. Rows of the full matrix are orthogonal, so the
 * truncated dot product is minus the dot product over the dropped columns: whichever side is
 * narrower is read. Each row's entries are packed 32 to a word (bit set for −1), so a dot product of
 * w entries is w − 2·popcount(a XOR b): building 512 → 1000 classes, which compares two candidate
 * orders, took 2.6 s with one multiply-add per entry and takes 0.24 s (2 AVX2 cores, Node 20).
 */
export function truncatedHadamardCoherence(
  entry: (i: number, j: number) => number,
  n: number,
  rows: readonly number[],
  dim: number,
): number {
  if (n <= dim) return 0;
  const width = comparedWidth(n, dim);
  const from = width < dim ? dim : 0;
  const words = Math.ceil(width / 32);
  const count = rows.length;
  const bits = new Uint32Array(count * words);
  for (let r = 0; r < count; r++) {
    const i = rows[r]!;
    for (let k = 0; k < width; k++) {
      if (entry(i, from + k) < 0) bits[r * words + (k >>> 5)]! |= 1 << (k & 31);
    }
  }
  let worst = 0;
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      let differ = 0;
      for (let w = 0; w < words; w++) differ += popcount(bits[a * words + w]! ^ bits[b * words + w]!);
      const d = width - 2 * differ;
      const s = d < 0 ? -d : d;
      if (s > worst) worst = s;
    }
  }
  return worst / dim;
}

/** The columns truncatedHadamardCoherence reads of each row: the kept ones or the dropped ones, the fewer. */
function comparedWidth(n: number, dim: number): number {
  return Math.min(dim, n - dim);
}

/**
 * The rows whose coherence is computed for order n truncated to `dim` columns: all of them while that
 * fits COHERENCE_BUDGET, else as many as fit, drawn by a fixed-seed shuffle across all classes (the first
 * ones would miss rows that repeat far apart, as a power-of-two truncation of Sylvester's matrix
 * repeats every `dim` rows).
 */
export function coherenceRows(units: number, n: number, dim: number): number[] {
  const all = Array.from({ length: units }, (_, i) => i);
  const words = Math.max(1, Math.ceil(comparedWidth(n, dim) / 32));
  const fit = Math.floor(Math.sqrt((2 * COHERENCE_BUDGET) / words));
  if (fit >= units) return all;
  let state = 0x9e3779b9;
  for (let i = 0; i < fit; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = i + ((state >>> 0) % (units - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, fit).sort((x, y) => x - y);
}

/**
 * Set bits of a 32-bit word (SWAR), by shifts and adds: with Math.imul for the last step the pair loop
 * ran 80× slower inside Jest's sandbox (12.7 s against 0.16 s), where the builtin is not inlined.
 */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  x += x >>> 8;
  x += x >>> 16;
  return x & 0x3f;
}
