import { invalidArgument, showValue } from '../errors';
import type { Random } from '../random';
import type { RandomHorizontalFlipSpec, SamplePlan } from './spec';

/** torchvision.transforms.RandomHorizontalFlip(p): mirror left–right with probability p. */
export function randomHorizontalFlip(p = 0.5): RandomHorizontalFlipSpec {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw invalidArgument(`randomHorizontalFlip: p must be in [0, 1], got ${showValue(p)}`);
  return { type: 'randomHorizontalFlip', p };
}

export function applyRandomHorizontalFlip(plan: SamplePlan, spec: RandomHorizontalFlipSpec, random: Random): SamplePlan {
  return random() < spec.p ? { ...plan, flip: !plan.flip } : plan;
}
