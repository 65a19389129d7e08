import type { SamplePlan } from './spec';

/**
 * Crops the plan's current (virtual) output image to the rectangle (left, top, width, height), given in
 * that image's pixels, and makes the crop the new output. The source rectangle shrinks accordingly; a
 * mirrored plan maps the rectangle from the other side so crop-after-flip stays what the user asked.
 */
export function cropPlan(plan: SamplePlan, left: number, top: number, width: number, height: number): SamplePlan {
  const sx = plan.width / plan.outWidth;
  const sy = plan.height / plan.outHeight;
  const virtualLeft = plan.flip ? plan.outWidth - left - width : left;
  return {
    ...plan,
    x: plan.x + virtualLeft * sx,
    y: plan.y + top * sy,
    width: width * sx,
    height: height * sy,
    outWidth: width,
    outHeight: height,
  };
}

/** Resamples the plan's current output to a new size without changing what part of the source it shows. */
export function resizePlan(plan: SamplePlan, outWidth: number, outHeight: number): SamplePlan {
  return { ...plan, outWidth, outHeight };
}

/** The identity plan of a width × height image: the whole image, values scaled to [0, 1] (ToTensor). */
export function identityPlan(width: number, height: number): SamplePlan {
  return {
    x: 0,
    y: 0,
    width,
    height,
    outWidth: width,
    outHeight: height,
    flip: false,
    scale: [1 / 255, 1 / 255, 1 / 255],
    bias: [0, 0, 0],
  };
}
