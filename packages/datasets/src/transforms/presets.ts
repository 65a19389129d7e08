import { centerCrop } from './center-crop';
import { compose } from './compose';
import { CIFAR_MEAN, CIFAR_STD, IMAGENET_MEAN, IMAGENET_STD, normalize } from './normalize';
import { randomCrop } from './random-crop';
import { randomHorizontalFlip } from './random-horizontal-flip';
import { randomResizedCrop } from './random-resized-crop';
import { resize } from './resize';
import { toSize2 } from './size';
import type { Size, TransformSpec } from './spec';

export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** A final normalisation, or none when `norm` is false (values stay in [0, 1]). */
function normalizeStep(norm: Normalization | false): TransformSpec[] {
  return norm === false ? [] : [normalize(norm.mean, norm.std)];
}

/** The CIFAR training recipe: pad 4 with zeros, random size × size crop, horizontal flip, normalise. */
export function cifarTrain(size: Size = 32, norm: Normalization | false = { mean: CIFAR_MEAN, std: CIFAR_STD }): TransformSpec[] {
  const [h, w] = toSize2(size, 'cifarTrain');
  // The padding scales with the image (4 px at 32 px), so the recipe keeps its meaning at other sizes.
  const padding = Math.max(1, Math.round((4 * Math.min(h, w)) / 32));
  return compose(randomCrop([h, w], { padding }), randomHorizontalFlip(), normalizeStep(norm));
}

/** CIFAR evaluation: the image as it is, normalised. */
export function cifarEval(norm: Normalization | false = { mean: CIFAR_MEAN, std: CIFAR_STD }): TransformSpec[] {
  return compose(normalizeStep(norm));
}

/** The ImageNet training recipe: RandomResizedCrop(size, scale (0.08, 1), ratio (3/4, 4/3)), flip, normalise. */
export function imagenetTrain(size: Size = 224, norm: Normalization | false = { mean: IMAGENET_MEAN, std: IMAGENET_STD }): TransformSpec[] {
  return compose(randomResizedCrop(size), randomHorizontalFlip(), normalizeStep(norm));
}

/** ImageNet evaluation: shorter side to size·256/224 (256 for 224), centre crop, normalise. */
export function imagenetEval(size: Size = 224, norm: Normalization | false = { mean: IMAGENET_MEAN, std: IMAGENET_STD }): TransformSpec[] {
  const [h, w] = toSize2(size, 'imagenetEval');
  return compose(resize(Math.round((Math.min(h, w) * 256) / 224)), centerCrop([h, w]), normalizeStep(norm));
}
