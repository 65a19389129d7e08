import { engine, Square, type Tensor } from '@tensorflow/tfjs-core';

import { OneDnnSquareGrad } from '../kernels/custom-names';
import { activeBackendHas, overrideGradient, zeroGradients } from './override';

/** TF.js: dy · (x · 2) = two kernels; here one (none for known zeros). */
export function installSquareGradient(): void {
  overrideGradient(Square, (dy, saved) => {
    const [x] = saved as [Tensor];
    const zeros = zeroGradients(dy, { x: x.shape });
    if (zeros !== null) return zeros;
    const grad = dy as Tensor;
    if (!activeBackendHas(OneDnnSquareGrad) || x.dtype !== 'float32' || grad.dtype !== 'float32') return null;
    return { x: () => engine().runKernel(OneDnnSquareGrad, { dy: grad, x }) as Tensor };
  });
}
