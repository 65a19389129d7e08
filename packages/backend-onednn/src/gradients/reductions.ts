import { engine, Mean, Sum, type Tensor, util } from '@tensorflow/tfjs-core';

import { OneDnnBroadcastScale } from '../kernels/custom-names';
import { activeBackendHas, type NativeGradient, overrideGradient, zeroGradients } from './override';

/** TF.js: reshape(dy) · ones(x.shape) [· 1/n] — a JS fill of a full-size tensor and two kernels; here one. */
function broadcastGradient(mean: boolean): NativeGradient {
  return (dy, saved, attrs) => {
    const [x] = saved as [Tensor];
    const zeros = zeroGradients(dy, { x: x.shape });
    if (zeros !== null) return zeros;
    const grad = dy as Tensor;
    if (!activeBackendHas(OneDnnBroadcastScale) || grad.dtype !== 'float32') return null;
    const axes = util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
    let count = 1;
    for (const axis of axes) count *= x.shape[axis]!;
    const scale = mean ? 1 / count : 1;
    const derX = () => engine().runKernel(OneDnnBroadcastScale, { x: grad }, { shape: x.shape, axes, scale }) as Tensor;
    return { x: derX };
  };
}

export function installReductionGradients(): void {
  overrideGradient(Mean, broadcastGradient(true));
  overrideGradient(Sum, broadcastGradient(false));
}
