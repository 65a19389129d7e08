import { invalidArgument } from '../errors';
import { randomInt, uniform, type Random } from '../random';
import { cropPlan, resizePlan } from './crop-plan';
import { roundHalfEven, toSize2 } from './size';
import type { RandomResizedCropSpec, SamplePlan, Size } from './spec';

/**
 * torchvision.transforms.RandomResizedCrop(size, scale, ratio): a crop of random area (fraction `scale`
 * of the image) and aspect ratio (log-uniform in `ratio`), resized to `size`. The Inception recipe.
 */
export function randomResizedCrop(
  size: Size,
  options: { scale?: readonly [number, number] | undefined; ratio?: readonly [number, number] | undefined } = {},
): RandomResizedCropSpec {
  const scale = options.scale ?? [0.08, 1];
  const ratio = options.ratio ?? [3 / 4, 4 / 3];
  const pair = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number');
  if (!pair(scale) || !(scale[0] > 0 && scale[0] <= scale[1] && scale[1] <= 1))
    throw invalidArgument(`randomResizedCrop: scale must satisfy 0 < lo <= hi <= 1, got ${JSON.stringify(scale)}`);
  if (!pair(ratio) || !(ratio[0] > 0 && ratio[0] <= ratio[1] && Number.isFinite(ratio[1])))
    throw invalidArgument(`randomResizedCrop: ratio must satisfy 0 < lo <= hi, got ${JSON.stringify(ratio)}`);
  return { type: 'randomResizedCrop', size: toSize2(size, 'randomResizedCrop'), scale: [scale[0], scale[1]], ratio: [ratio[0], ratio[1]] };
}

/** torchvision's RandomResizedCrop.get_params, step for step (ten tries, then a central fallback). */
export function randomResizedCropBox(
  width: number,
  height: number,
  spec: RandomResizedCropSpec,
  random: Random,
): { left: number; top: number; width: number; height: number } {
  const area = width * height;
  const logLo = Math.log(spec.ratio[0]);
  const logHi = Math.log(spec.ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * uniform(random, spec.scale[0], spec.scale[1]);
    const aspect = Math.exp(uniform(random, logLo, logHi));
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const top = randomInt(random, 0, height - h + 1);
      const left = randomInt(random, 0, width - w + 1);
      return { left, top, width: w, height: h };
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < spec.ratio[0]) h = roundHalfEven(w / spec.ratio[0]);
  else if (inRatio > spec.ratio[1]) w = roundHalfEven(h * spec.ratio[1]);
  return { left: Math.floor((width - w) / 2), top: Math.floor((height - h) / 2), width: w, height: h };
}

export function applyRandomResizedCrop(plan: SamplePlan, spec: RandomResizedCropSpec, random: Random): SamplePlan {
  const box = randomResizedCropBox(plan.outWidth, plan.outHeight, spec, random);
  const cropped = cropPlan(plan, box.left, box.top, box.width, box.height);
  return resizePlan(cropped, spec.size[1], spec.size[0]);
}
