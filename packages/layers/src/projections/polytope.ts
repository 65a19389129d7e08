import { hadamardFrame } from './hadamard-frame';
import type { Projection } from './types';

/**
 * Places a regular polytope's vertices ([dim, units] row-major, one unit vertex per class) into
 * the feature space through an orthonormal Hadamard frame U ([inputDim, dim]): P = U·V. The
 * geometry (every angle between classes) is the polytope's, every feature takes part, and the
 * product is a fast Hadamard transform followed by a small [dim, units] mix (or, where the transform
 * costs more than U's product, x̂·U followed by the mix).
 */
export function embedPolytope(kind: Projection['kind'], inputDim: number, units: number, dim: number, vertices: Float64Array): Projection {
  const frame = hadamardFrame(inputDim, dim);
  const frameMatrix = frame.matrix; // a getter (built on first read): once, not per entry
  const matrix = new Float64Array(inputDim * units);
  for (let k = 0; k < inputDim; k++) {
    for (let r = 0; r < dim; r++) {
      const u = frameMatrix[k * dim + r]!;
      if (u === 0) continue;
      for (let c = 0; c < units; c++) matrix[k * units + c]! += u * vertices[r * units + c]!;
    }
  }
  const fast = frame.fast ? { ...frame.fast, mix: vertices } : null;
  // No transform cheaper than the frame's product: the two small products still beat P's.
  const factors = fast === null && inputDim * dim + dim * units < inputDim * units ? { frame: frameMatrix, dim, mix: vertices } : null;
  return { kind, inputDim, units, matrix, fast, factors, warning: null };
}

/** Thrown at build time for a polytope that does not fit in the input's dimensions. */
export function polytopeTooLarge(kind: string, units: number, needed: number, inputDim: number, rule: string): Error {
  return new Error(
    `FixedClassifier: a ${kind} of ${units} classes needs ${needed} dimensions (${rule}), ` +
      `but the input has only ${inputDim} features. Use fewer classes, a wider input, or matrix 'hadamard'.`,
  );
}
