import { installBatchNormGradient } from './batch-norm';
import { installReductionGradients } from './reductions';
import { installReluGradient } from './relu';
import { installSquareGradient } from './square';

export function installGradients(): void {
  installBatchNormGradient();
  installReluGradient();
  installSquareGradient();
  installReductionGradients();
}
