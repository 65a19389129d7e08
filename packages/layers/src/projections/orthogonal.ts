import { gaussian } from '../random';
import type { ProjectionKind } from './types';

/**
 * A random orthogonal projection (the reference's `Proj`): Haar-distributed orthonormal columns
 * from the QR factorisation of a seeded Gaussian matrix. With more classes than dimensions the
 * rows are orthonormal instead (a tight frame) and every column is scaled to unit norm, as the
 * reference normalises its class vectors.
 */
export const orthogonalKind: ProjectionKind = {
  build(inputDim, units, seed) {
    const tall = units <= inputDim;
    const rows = tall ? inputDim : units;
    const cols = tall ? units : inputDim;
    const q = orthonormalColumns(rows, cols, seed);
    const matrix = new Float64Array(inputDim * units);
    if (tall) {
      matrix.set(q);
    } else {
      // q is [units, inputDim]: class c is row c, normalised.
      for (let c = 0; c < units; c++) {
        let norm = 0;
        for (let k = 0; k < inputDim; k++) norm += q[c * inputDim + k]! ** 2;
        const s = 1 / Math.sqrt(norm);
        for (let k = 0; k < inputDim; k++) matrix[k * units + c] = q[c * inputDim + k]! * s;
      }
    }
    const warning = tall
      ? null
      : `FixedClassifier: ${units} classes in ${inputDim} dimensions cannot be orthogonal; ` +
        'using a random tight frame with unit-norm class vectors.';
    return { kind: 'orthogonal', inputDim, units, matrix, fast: null, warning };
  },
  // The reference's Proj starts α at 10 on unit-norm class vectors, bias 0.
  defaultScale: () => 10,
  defaultBiasRange: () => 0,
};

/**
 * Q of the thin QR factorisation of a seeded [rows, cols] Gaussian matrix (rows ≥ cols), by modified
 * Gram–Schmidt in float64. R's diagonal is positive, so Q is Haar-distributed. One pass suffices: a
 * Gaussian matrix is well conditioned, and MGS loses orthogonality only in proportion to the condition
 * number (max |QᵀQ − I| 5e-15 for 2048 × 1000, 5e-13 for 1000 × 1000, far below float32's 6e-8). The
 * second pass this did before cost twice the time for nothing a float32 layer can see: 2048 × 1000,
 * ResNet-50's ImageNet head, took 12.3 s and takes 5.0 s (2 AVX2 cores, Node 20). Returns Q row-major
 * [rows, cols].
 */
function orthonormalColumns(rows: number, cols: number, seed: number): Float64Array {
  const g = gaussian(seed, rows * cols);
  const basis: Float64Array[] = [];
  const unrolled = rows - (rows % 4);
  for (let j = 0; j < cols; j++) {
    const v = g.subarray(j * rows, (j + 1) * rows);
    for (const q of basis) {
      // Four partial sums instead of one long chain of dependent additions.
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      let i = 0;
      for (; i < unrolled; i += 4) {
        d0 += q[i]! * v[i]!;
        d1 += q[i + 1]! * v[i + 1]!;
        d2 += q[i + 2]! * v[i + 2]!;
        d3 += q[i + 3]! * v[i + 3]!;
      }
      let d = d0 + d1 + (d2 + d3);
      for (; i < rows; i++) d += q[i]! * v[i]!;
      for (i = 0; i < rows; i++) v[i]! -= d * q[i]!;
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += v[i]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < rows; i++) v[i]! /= norm;
    basis.push(v);
  }
  const out = new Float64Array(rows * cols);
  basis.forEach((q, j) => {
    for (let i = 0; i < rows; i++) out[i * cols + j] = q[i]!;
  });
  return out;
}
