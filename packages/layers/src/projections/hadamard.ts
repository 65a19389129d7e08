import { hadamardOrders, hadamardTransform, splitHadamardOrder } from '@fixclf/hadamard';
import { coherenceRows, truncatedHadamardCoherence } from './coherence';
import { hadamardFrame, isFastCheaper } from './hadamard-frame';
import type { Projection, ProjectionKind } from './types';

/**
 * The paper's fixed classifier: class vectors are rows of a Hadamard matrix (entries ±1), so the
 * product needs only additions.
 *
 * units ≤ inputDim: P = H[:units, :n]ᵀ / √n on the first n features (n the largest constructible
 * order ≤ inputDim), exactly orthonormal columns. For inputDim a power of two this is the
 * reference's H[:C, :N]ᵀ, normalised.
 *
 * units > inputDim: orthogonality is impossible. Classes are the first `units` rows of a Hadamard
 * matrix truncated to inputDim columns; of the smallest constructible order ≥ units with a core of
 * at most 1024 and the reference's Sylvester order 2^⌈log2 units⌉, the one whose classes are least
 * coherent wins, so the result is never worse than the reference truncation on the classes compared:
 * every pair where that takes under a second, else the pairs of classes drawn at random (21,841
 * classes on 2048 features: 968 of them, 0.35 s; comparing all pairs took minutes).
 */
export const hadamardKind: ProjectionKind = {
  build(inputDim, units) {
    if (units <= inputDim) {
      const frame = hadamardFrame(inputDim, units);
      return {
        kind: 'hadamard',
        inputDim,
        units,
        get matrix(): Float64Array {
          return frame.matrix; // built when read: the fast path never reads it
        },
        fast: frame.fast,
        warning: null,
      };
    }
    return overcomplete(inputDim, units);
  },
  // The reference starts α at 1/√C on the ±1 matrix; on unit-norm columns that is √(N/C).
  defaultScale: (inputDim, units) => Math.sqrt(inputDim / units),
  // The reference draws the bias from U(±1/√C).
  defaultBiasRange: (units) => 1 / Math.sqrt(units),
};

const MAX_CORE = 1024;

function overcomplete(inputDim: number, units: number): Projection {
  const reference = 2 ** Math.ceil(Math.log2(units));
  // A core of at most 1024 (1 MB): a larger one costs its m² bytes to build and n·m additions per row
  // (the order 21,852 nearest 21,841 classes has a core of 21,852: 477 MB, and no fast transform).
  const smallest = hadamardOrders(reference).find((n) => n >= units && splitHadamardOrder(n)!.m <= MAX_CORE) ?? reference;
  // Sampled for the larger candidate (the reference), so both are compared on the same classes.
  const rows = coherenceRows(units, reference, inputDim);
  const candidates = [...new Set([smallest, reference])].map((order) => {
    // Single entries, never the order×order matrix (1 GiB at 32768, the reference order for 21,841 classes).
    const transform = hadamardTransform(order);
    const entry = (i: number, j: number): number => transform.entry(i, j);
    return { order, entry, coherence: truncatedHadamardCoherence(entry, order, rows, inputDim) };
  });
  const referenceCoherence = candidates.find((c) => c.order === reference)!.coherence;
  const best = candidates.reduce((a, b) => (b.coherence < a.coherence ? b : a));

  const { order, entry } = best;
  const s = 1 / Math.sqrt(inputDim);
  const fast = isFastCheaper(order, inputDim, units) ? { order, outputs: units, scale: s, mix: null } : null;
  const among = rows.length < units ? ` among ${rows.length} of the classes drawn at random` : '';
  const warning =
    `FixedClassifier: ${units} classes in ${inputDim} dimensions cannot be orthogonal; ` +
    `using Hadamard order ${order}, max |cos| between classes ${best.coherence.toFixed(4)} ` +
    `(reference truncation of order ${reference}: ${referenceCoherence.toFixed(4)})${among}.`;
  let matrix: Float64Array | null = null;
  return {
    kind: 'hadamard',
    inputDim,
    units,
    // Built when read: a fast head never needs P, which for 2048 features and 21,841 classes is 358 MB.
    get matrix(): Float64Array {
      if (matrix === null) {
        matrix = new Float64Array(inputDim * units);
        for (let k = 0; k < inputDim; k++) {
          for (let c = 0; c < units; c++) matrix[k * units + c] = entry(c, k) * s;
        }
      }
      return matrix;
    },
    fast,
    warning,
  };
}
