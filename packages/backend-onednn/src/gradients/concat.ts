import { Concat, type Tensor } from '@tensorflow/tfjs-core';

import { OneDnnReluGrad } from '../kernels/custom-names';
import { activeBackendHas, releaseGradient, replaceGradient } from './override';
import { activeScopeId } from '../tfjs-internals';

/**
 * TF.js's Concat gradient splits dy eagerly into the inputs' gradients; dy is then dead but kept until the
 * backward pass ends — in a DenseNet, a gradient as large as every concatenated feature map. On 'onednn'
 * the same split runs and dy is freed right after.
 */
export function installConcatGradient(): void {
  replaceGradient(Concat, (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const scope = activeScopeId();
      const result = original.gradFunc(dy, saved, attrs);
      if (activeBackendHas(OneDnnReluGrad) && !Array.isArray(dy)) releaseGradient(dy as Tensor, scope);
      return result;
    },
  }));
}
