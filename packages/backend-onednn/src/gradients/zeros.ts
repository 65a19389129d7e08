import { Cast, Reshape, Sub, type Tensor } from '@tensorflow/tfjs-core';

import { overrideGradient, zeroGradients } from './override';

/**
 * The gradients that only carry the batch moments' zeros (see zeroGradients): given known zeros they
 * return zeros without a kernel call, and are TF.js's own otherwise (on every backend).
 */
export function installZeroGradients(): void {
  overrideGradient(Sub, (dy, saved) => {
    const [a, b] = saved as [Tensor, Tensor];
    return zeroGradients(dy, { a: a.shape, b: b.shape });
  });
  overrideGradient(Reshape, (dy, saved) => zeroGradients(dy, { x: (saved as [Tensor])[0].shape }));
  overrideGradient(Cast, (dy) => zeroGradients(dy, { x: (dy as Tensor).shape }));
}
