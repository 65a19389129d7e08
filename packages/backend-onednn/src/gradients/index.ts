import { installBatchNormGradient } from './batch-norm';
import { installConcatGradient } from './concat';
import { installReductionGradients } from './reductions';
import { installReluGradient } from './relu';
import { installSquareGradient } from './square';
import { installZeroGradients } from './zeros';

export function installGradients(): void {
  installBatchNormGradient();
  installReluGradient();
  installSquareGradient();
  installReductionGradients();
  installConcatGradient();
  installZeroGradients();
}
