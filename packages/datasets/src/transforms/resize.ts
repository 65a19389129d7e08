import { invalidArgument } from '../errors';
import { resizePlan } from './crop-plan';
import { toSize2 } from './size';
import type { ResizeSpec, SamplePlan, Size } from './spec';

/** torchvision.transforms.Resize(size): a number sets the shorter side (aspect kept), [h, w] the exact size. */
export function resize(size: Size): ResizeSpec {
  if (typeof size === 'number') {
    if (!Number.isInteger(size) || size <= 0) throw invalidArgument(`resize: size must be a positive integer, got ${size}`);
    return { type: 'resize', size };
  }
  return { type: 'resize', size: toSize2(size, 'resize') };
}

/** The output size torchvision computes: the short side becomes `size`, the long side int(size * long / short). */
export function resizedSize(width: number, height: number, size: Size): { width: number; height: number } {
  if (typeof size !== 'number') return { width: size[1], height: size[0] };
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.floor((size * long) / short);
  return width <= height ? { width: size, height: newLong } : { width: newLong, height: size };
}

export function applyResize(plan: SamplePlan, spec: ResizeSpec): SamplePlan {
  const out = resizedSize(plan.outWidth, plan.outHeight, spec.size);
  return resizePlan(plan, out.width, out.height);
}
