import { invalidArgument } from '../errors';
import type { NormalizeSpec, SamplePlan } from './spec';

/** CIFAR-10 training-set channel statistics, the values the CIFAR literature normalises with. */
export const CIFAR_MEAN = [0.4914, 0.4822, 0.4465] as const;
export const CIFAR_STD = [0.247, 0.2435, 0.2616] as const;
/** ImageNet channel statistics, torchvision's defaults. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

function perChannel(values: readonly number[], what: string): [number, number, number] {
  if (!Array.isArray(values) || (values.length !== 1 && values.length !== 3) || !values.every(Number.isFinite))
    throw invalidArgument(`normalize: ${what} must hold 1 or 3 finite numbers, got ${JSON.stringify(values)}`);
  return values.length === 1 ? [values[0]!, values[0]!, values[0]!] : [values[0]!, values[1]!, values[2]!];
}

/** torchvision.transforms.Normalize(mean, std) on values in [0, 1]: (v - mean) / std per channel. */
export function normalize(mean: readonly number[], std: readonly number[]): NormalizeSpec {
  const m = perChannel(mean, 'mean');
  const s = perChannel(std, 'std');
  if (!s.every((v) => v > 0)) throw invalidArgument(`normalize: std must be positive, got ${JSON.stringify(std)}`);
  return { type: 'normalize', mean: m, std: s };
}

/** Folds (v - mean) / std into the plan's affine value map, so normalising costs nothing extra per pixel. */
export function applyNormalize(plan: SamplePlan, spec: NormalizeSpec): SamplePlan {
  const mean = perChannel(spec.mean, 'mean');
  const std = perChannel(spec.std, 'std');
  return {
    ...plan,
    scale: [plan.scale[0] / std[0], plan.scale[1] / std[1], plan.scale[2] / std[2]],
    bias: [(plan.bias[0] - mean[0]) / std[0], (plan.bias[1] - mean[1]) / std[1], (plan.bias[2] - mean[2]) / std[2]],
  };
}
