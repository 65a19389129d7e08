import { HADAMARD_MAX_MATRIX_ORDER, HADAMARD_ORDERS_MAX, hadamardOrders, hadamardTransform, splitHadamardOrder } from '@fixclf/hadamard';
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
 * which stays exactly orthonormal. Where that largest order cannot be built (a dense core past
 * 46,340, as for 46,348 features) or the order search does not reach (over 2^18 features), the
 * order is the largest m·2^k ≤ dim with a core m ≤ 1024, within 1 % of dim.
 */
export interface HadamardFrame {
  /** U, row-major [dim, count]: built when first read, which a head on the fast path never does. */
  readonly matrix: Float64Array;
  readonly fast: FastPlan | null;
}

export function hadamardFrame(dim: number, count: number): HadamardFrame {
  const orders = dim <= HADAMARD_ORDERS_MAX ? hadamardOrders(dim) : [];
  const largestOrderAtMost = (limit: number): number => {
    for (let i = orders.length - 1; i >= 0; i--) {
      const order = orders[i]!;
      if (order > limit) continue;
      // Kept where it can be built, so a saved model's P never changes; where its dense core cannot
      // (46,348 features: core 46,348, past 46,340), the choice below, which such sizes never had.
      return splitHadamardOrder(order)!.m <= HADAMARD_MAX_MATRIX_ORDER ? order : largestSmallCoreOrderAtMost(limit);
    }
    return dim <= HADAMARD_ORDERS_MAX ? 1 : largestSmallCoreOrderAtMost(limit);
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

/** The cores m·2^k is built from below: at most 1 MB each, and at most 1024 additions a feature to mix. */
const SMALL_CORE = 1024;
let smallCores: number[] | null = null;

/**
 * The largest order m·2^k ≤ limit with a constructible core m ≤ SMALL_CORE: within 1 % of `limit`
 * (the cores are the multiples of 4 up to 1024, nearly all constructible), for sizes the order search
 * does not cover (above 2^18) or whose largest order has a core too large to build.
 */
function largestSmallCoreOrderAtMost(limit: number): number {
  smallCores ??= hadamardOrders(SMALL_CORE);
  let best = 1;
  for (const m of smallCores) {
    if (m > limit) break;
    let order = m * 2 ** Math.floor(Math.log2(limit / m));
    if (order > limit) order /= 2; // log2 rounded up to a whole number
    if (order > best) best = order;
  }
  return best;
}

/**
 * The transform of order n = m·2^k costs about n·(k + m) additions; the dense product costs
 * dim·count multiply-adds. Take the transform only where it is cheaper.
 */
export function isFastCheaper(order: number, dim: number, count: number): boolean {
  const split = splitHadamardOrder(order);
  return split != null && order * (split.k + split.m) < dim * count;
}
