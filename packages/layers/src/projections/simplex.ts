import { embedPolytope, polytopeTooLarge } from './polytope';
import type { ProjectionKind } from './types';

/**
 * The regular simplex (the simplex equiangular tight frame of later work): `units` unit vectors in
 * units − 1 dimensions with cos = −1/(units − 1) between every pair, the most separated set possible.
 * Vertex c has coordinates √(C/(C−1))·h_r[c] in the Helmert basis h_1 … h_{C−1} of the plane ⊥ 1.
 */
export const simplexKind: ProjectionKind = {
  build(inputDim, units) {
    const dim = units - 1;
    // One class has no simplex (it would span 0 dimensions): say what the geometry needs instead.
    if (units < 2) {
      throw new Error(
        `FixedClassifier: a simplex needs at least 2 classes (its C vertices span C − 1 dimensions), got units = ${units}. ` +
          "Classify into 2 or more classes, or use matrix 'hadamard' or 'orthogonal'.",
      );
    }
    if (dim > inputDim) throw polytopeTooLarge('simplex', units, dim, inputDim, 'units − 1');
    const vertices = new Float64Array(dim * units);
    const lift = Math.sqrt(units / dim);
    for (let r = 1; r <= dim; r++) {
      const s = lift / Math.sqrt(r * (r + 1));
      for (let c = 0; c < r; c++) vertices[(r - 1) * units + c] = s;
      vertices[(r - 1) * units + r] = -r * s;
    }
    return embedPolytope('simplex', inputDim, units, dim, vertices);
  },
  defaultScale: () => 10,
  defaultBiasRange: () => 0,
};
