import { engine, Relu, type Tensor } from '@tensorflow/tfjs-core';

import { OneDnnReluGrad } from '../kernels/custom-names';
import { activeBackendHas, overrideGradient } from './override';

/** TF.js: dy · cast(step(x)) = three kernels; here one. */
export function installReluGradient(): void {
  overrideGradient(Relu, (dy, saved) => {
    const [x] = saved as [Tensor];
    const grad = dy as Tensor;
    if (!activeBackendHas(OneDnnReluGrad) || x.dtype !== 'float32' || grad.dtype !== 'float32') return null;
    return { x: () => engine().runKernel(OneDnnReluGrad, { dy: grad, x }) as Tensor };
  });
}
