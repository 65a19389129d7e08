import { engine, Relu, type Tensor } from '@tensorflow/tfjs-core';

import { OneDnnReluGrad } from '../kernels/custom-names';
import { activeBackendHas, releaseGradient, replaceGradient } from './override';
import { activeScopeId, isFirstOrderBackward } from '../tfjs-internals';

/**
 * TF.js: dy · cast(step(x)) = three kernels; here one, deferred into the batch-norm gradient that usually
 * follows. The override also saves the ReLU's output instead of its input: step(relu(x)) = step(x), so the
 * gradient is the same on every backend, and the input (often a batch-norm output) need not be stored.
 */
export function installReluGradient(): void {
  replaceGradient(Relu, (original) => ({
    kernelName: Relu,
    inputsToSave: [],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [y] = saved as [Tensor];
      const grad = dy as Tensor;
      // OneDnnReluGrad has no gradient: a higher-order gradient (an outer tape recording) takes TF.js's.
      if (isFirstOrderBackward() && activeBackendHas(OneDnnReluGrad) && y.dtype === 'float32' && grad.dtype === 'float32') {
        const scope = activeScopeId();
        return {
          x: () => {
            // The deferred gradient holds dy's storage; the tensor itself can go now.
            const dx = engine().runKernel(OneDnnReluGrad, { dy: grad, y }) as Tensor;
            releaseGradient(grad, scope);
            return dx;
          },
        };
      }
      return original.gradFunc(dy, [y], attrs);
    },
  }));
}
