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
  /** U, row-major [dim, count]: built when first read, which a head on the fast path never does. */
  readonly matrix: Float64Array;
  readonly fast: FastPlan | null;
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

  // The blocks: order n on features [offset, offset + n), giving columns [column, column + take).
  const blocks: { n: number; offset: number; column: number; take: number }[] = [];
  for (let offset = 0, column = 0; column < count;) {
    const n = largestOrderAtMost(dim - offset);
    const take = Math.min(n, count - column);
    blocks.push({ n, offset, column, take });
    offset += n;
    column += take;
  }
  let matrix: Float64Array | null = null;
  const build = (): Float64Array => {
    const u = new Float64Array(dim * count);
    for (const { n, offset, column, take } of blocks) {
      // Only the `take` rows used: 10 classes on 25,088 features read 250 KB, not the 629 MB of H.
      const h = hadamardTransform(n).rows(take);
      const s = 1 / Math.sqrt(n);
      for (let r = 0; r < take; r++) {
        for (let k = 0; k < n; k++) u[(offset + k) * count + column + r] = h[r * n + k]! * s;
      }
    }
    return u;
  };

  const n = largestOrderAtMost(dim);
  const fast: FastPlan | null =
    blocks.length === 1 && isFastCheaper(n, dim, count) ? { order: n, outputs: count, scale: 1 / Math.sqrt(n), mix: null } : null;
  return {
    get matrix(): Float64Array {
      return (matrix ??= build());
    },
    fast,
  };
}

/**
 * The transform of order n = m·2^k costs about n·(k + m) additions; the dense product costs
 * dim·count multiply-adds. Take the transform only where it is cheaper.
 */
export function isFastCheaper(order: number, dim: number, count: number): boolean {
  const split = splitHadamardOrder(order);
  return split != null && order * (split.k + split.m) < dim * count;
}
