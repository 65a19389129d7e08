import { invalidArgument, showValue } from '../errors';
import { randomInt, type Random } from '../random';
import { cropPlan } from './crop-plan';
import { toSize2 } from './size';
import type { RandomCropSpec, SamplePlan, Size } from './spec';

/** torchvision.transforms.RandomCrop(size, padding): zero-pad every side, then crop at a uniform position. */
export function randomCrop(size: Size, options: { padding?: number | undefined } = {}): RandomCropSpec {
  const padding = options.padding ?? 0;
  if (!Number.isInteger(padding) || padding < 0)
    throw invalidArgument(`randomCrop: padding must be a non-negative integer, got ${showValue(padding)}`);
  return { type: 'randomCrop', size: toSize2(size, 'randomCrop'), padding };
}

export function applyRandomCrop(plan: SamplePlan, spec: RandomCropSpec, random: Random): SamplePlan {
  const [th, tw] = spec.size;
  const paddedHeight = plan.outHeight + 2 * spec.padding;
  const paddedWidth = plan.outWidth + 2 * spec.padding;
  if (th > paddedHeight || tw > paddedWidth) {
    throw invalidArgument(`randomCrop: crop ${th}×${tw} is larger than the padded image ${paddedHeight}×${paddedWidth}`);
  }
  const top = randomInt(random, 0, paddedHeight - th + 1);
  const left = randomInt(random, 0, paddedWidth - tw + 1);
  return cropPlan(plan, left - spec.padding, top - spec.padding, tw, th);
}
