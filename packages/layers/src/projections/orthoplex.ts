import { embedPolytope, polytopeTooLarge } from './polytope';
import type { ProjectionKind } from './types';

/**
 * The orthoplex (cross-polytope): classes 2i and 2i+1 are ±e_i, in ⌈units/2⌉ dimensions. Classes are
 * orthogonal or opposite (cos ∈ {0, −1}).
 */
export const orthoplexKind: ProjectionKind = {
  build(inputDim, units) {
    const dim = Math.ceil(units / 2);
    if (dim > inputDim) throw polytopeTooLarge('orthoplex', units, dim, inputDim, '⌈units / 2⌉');
    const vertices = new Float64Array(dim * units);
    for (let c = 0; c < units; c++) vertices[(c >> 1) * units + c] = c % 2 === 0 ? 1 : -1;
    return embedPolytope('orthoplex', inputDim, units, dim, vertices);
  },
  defaultScale: () => 10,
  defaultBiasRange: () => 0,
};
