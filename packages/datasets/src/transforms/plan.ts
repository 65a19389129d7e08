import type { Random } from '../random';
import { applyCenterCrop } from './center-crop';
import { identityPlan } from './crop-plan';
import { applyNormalize } from './normalize';
import { applyRandomCrop } from './random-crop';
import { applyRandomHorizontalFlip } from './random-horizontal-flip';
import { applyRandomResizedCrop } from './random-resized-crop';
import { applyResize } from './resize';
import type { SamplePlan, TransformSpec } from './spec';

/**
 * Runs a transform pipeline over an image of the given size, drawing its random decisions from `random`
 * in pipeline order, and returns the one plan that `renderSample` (or sharp) executes.
 */
export function planSample(transforms: readonly TransformSpec[], width: number, height: number, random: Random): SamplePlan {
  let plan = identityPlan(width, height);
  for (const spec of transforms) {
    switch (spec.type) {
      case 'randomCrop':
        plan = applyRandomCrop(plan, spec, random);
        break;
      case 'randomHorizontalFlip':
        plan = applyRandomHorizontalFlip(plan, spec, random);
        break;
      case 'randomResizedCrop':
        plan = applyRandomResizedCrop(plan, spec, random);
        break;
      case 'resize':
        plan = applyResize(plan, spec);
        break;
      case 'centerCrop':
        plan = applyCenterCrop(plan, spec);
        break;
      case 'normalize':
        plan = applyNormalize(plan, spec);
        break;
    }
  }
  return plan;
}

/** The output size a pipeline gives an image of the given size. */
export function outputSize(transforms: readonly TransformSpec[], width: number, height: number): { width: number; height: number } {
  // Sizes never depend on random draws, so any generator gives the right answer.
  const plan = planSample(transforms, width, height, () => 0.5);
  return { width: plan.outWidth, height: plan.outHeight };
}
