import { hadamardOrders, hadamardTransform, splitHadamardOrder } from '@fixclf/hadamard';
import type { FastPlan } from './types';

/**
 * An orthonormal frame U of shape [dim, count] (count ≤ dim) built from Hadamard matrices:
 * column r is row r of a Hadamard matrix of order n, divided by √n, on the first n features.
 *
 * The reference implementation truncates H of order 2^⌈log2 dim⌉ to its first `dim` columns,
 * which keeps rows orthogonal only when dim is a power of two. Here the order is the largest
 * constructible order n ≤ dim (≥ count whenever one exists), so UᵀU = I for every dim; features
 * beyond n are not used (e.g. 2 of DenseNet-BC's 342). When no single order fits between count
 * and dim, further Hadamard blocks fill the remaining features and columns (block-diagonal),
 * which stays exactly orthonormal.
 */
export interface HadamardFrame {
  matrix: Float64Array;
  fast: FastPlan | null;
}

export function hadamardFrame(dim: number, count: number): HadamardFrame {
  const orders = hadamardOrders(dim);
  const largestOrderAtMost = (limit: number): number => {
    for (let i = orders.length - 1; i >= 0; i--) {
      const order = orders[i]!;
      if (order <= limit) return order;
    }
    return 1;
  };

  const matrix = new Float64Array(dim * count);
  let featureOffset = 0;
  let column = 0;
  let blocks = 0;
  while (column < count) {
    const n = largestOrderAtMost(dim - featureOffset);
    const h = hadamardTransform(n).matrix();
    const take = Math.min(n, count - column);
    const s = 1 / Math.sqrt(n);
    for (let r = 0; r < take; r++) {
      for (let k = 0; k < n; k++) {
        matrix[(featureOffset + k) * count + column + r] = h[r * n + k]! * s;
      }
    }
    featureOffset += n;
    column += take;
    blocks += 1;
  }

  const n = largestOrderAtMost(dim);
  const fast: FastPlan | null =
    blocks === 1 && isFastCheaper(n, dim, count) ? { order: n, outputs: count, scale: 1 / Math.sqrt(n), mix: null } : null;
  return { matrix, fast };
}

/**
 * The transform of order n = m·2^k costs about n·(k + m) additions; the dense product costs
 * dim·count multiply-adds. Take the transform only where it is cheaper.
 */
export function isFastCheaper(order: number, dim: number, count: number): boolean {
  const split = splitHadamardOrder(order);
  return split != null && order * (split.k + split.m) < dim * count;
}
