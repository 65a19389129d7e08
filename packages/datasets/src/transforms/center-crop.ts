import { cropPlan } from './crop-plan';
import { roundHalfEven, toSize2 } from './size';
import type { CenterCropSpec, SamplePlan, Size } from './spec';

/** torchvision.transforms.CenterCrop(size); a crop larger than the image pads it with zeros, as torchvision does. */
export function centerCrop(size: Size): CenterCropSpec {
  return { type: 'centerCrop', size: toSize2(size, 'centerCrop') };
}

function cropStart(extent: number, crop: number): number {
  // torchvision pads (crop - extent) // 2 before a too-large crop, else crops at int(round((extent - crop) / 2)).
  return crop > extent ? -Math.floor((crop - extent) / 2) : roundHalfEven((extent - crop) / 2);
}

export function applyCenterCrop(plan: SamplePlan, spec: CenterCropSpec): SamplePlan {
  const [th, tw] = spec.size;
  return cropPlan(plan, cropStart(plan.outWidth, tw), cropStart(plan.outHeight, th), tw, th);
}
