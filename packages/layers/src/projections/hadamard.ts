import { hadamardOrders, hadamardTransform } from '@fixclf/hadamard';
import { truncatedHadamardCoherence } from './coherence';
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
 * matrix truncated to inputDim columns; of the smallest constructible order ≥ units and the
 * reference's Sylvester order 2^⌈log2 units⌉, the one whose classes are least coherent wins, so
 * the result is never worse than the reference truncation.
 */
export const hadamardKind: ProjectionKind = {
  build(inputDim, units) {
    if (units <= inputDim) {
      const frame = hadamardFrame(inputDim, units);
      return { kind: 'hadamard', inputDim, units, matrix: frame.matrix, fast: frame.fast, warning: null };
    }
    return overcomplete(inputDim, units);
  },
  // The reference starts α at 1/√C on the ±1 matrix; on unit-norm columns that is √(N/C).
  defaultScale: (inputDim, units) => Math.sqrt(inputDim / units),
  // The reference draws the bias from U(±1/√C).
  defaultBiasRange: (units) => 1 / Math.sqrt(units),
};

function overcomplete(inputDim: number, units: number): Projection {
  const reference = 2 ** Math.ceil(Math.log2(units));
  const smallest = hadamardOrders(reference).find((n) => n >= units) ?? reference;
  const candidates = [...new Set([smallest, reference])].map((order) => {
    const h = hadamardTransform(order).matrix();
    return { order, h, coherence: truncatedHadamardCoherence(h, order, units, inputDim) };
  });
  const referenceCoherence = candidates.find((c) => c.order === reference)!.coherence;
  const best = candidates.reduce((a, b) => (b.coherence < a.coherence ? b : a));

  const { order, h } = best;
  const s = 1 / Math.sqrt(inputDim);
  const matrix = new Float64Array(inputDim * units);
  for (let k = 0; k < inputDim; k++) {
    for (let c = 0; c < units; c++) matrix[k * units + c] = h[c * order + k]! * s;
  }
  const fast = isFastCheaper(order, inputDim, units) ? { order, outputs: units, scale: s, mix: null } : null;
  const warning =
    `FixedClassifier: ${units} classes in ${inputDim} dimensions cannot be orthogonal; ` +
    `using Hadamard order ${order}, max |cos| between classes ${best.coherence.toFixed(4)} ` +
    `(reference truncation of order ${reference}: ${referenceCoherence.toFixed(4)}).`;
  return { kind: 'hadamard', inputDim, units, matrix, fast, warning };
}
