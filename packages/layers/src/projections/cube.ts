import { embedPolytope, polytopeTooLarge } from './polytope';
import type { ProjectionKind } from './types';

/**
 * The hypercube: class c is the vertex whose coordinate r is −1 where bit r of c is set and +1
 * otherwise, over ⌈log2 units⌉ dimensions, scaled to unit norm. The most compact polytope: a
 * thousand classes fit in ten features.
 */
export const cubeKind: ProjectionKind = {
  build(inputDim, units) {
    const dim = Math.max(1, Math.ceil(Math.log2(units)));
    if (dim > inputDim) throw polytopeTooLarge('cube', units, dim, inputDim, '⌈log2 units⌉');
    const vertices = new Float64Array(dim * units);
    const s = 1 / Math.sqrt(dim);
    for (let c = 0; c < units; c++) {
      for (let r = 0; r < dim; r++) vertices[r * units + c] = (c >> r) & 1 ? -s : s;
    }
    return embedPolytope('cube', inputDim, units, dim, vertices);
  },
  defaultScale: () => 10,
  defaultBiasRange: () => 0,
};
