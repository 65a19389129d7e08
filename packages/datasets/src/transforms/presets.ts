import { centerCrop } from './center-crop';
import { compose } from './compose';
import { CIFAR_MEAN, CIFAR_STD, IMAGENET_MEAN, IMAGENET_STD, normalize } from './normalize';
import { randomCrop } from './random-crop';
import { randomHorizontalFlip } from './random-horizontal-flip';
import { randomResizedCrop } from './random-resized-crop';
import { resize } from './resize';
import type { TransformSpec } from './spec';

export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** The CIFAR training recipe: pad 4 with zeros, random size × size crop, horizontal flip, normalise. */
export function cifarTrain(size = 32, norm: Normalization = { mean: CIFAR_MEAN, std: CIFAR_STD }): TransformSpec[] {
  return compose(randomCrop(size, { padding: 4 }), randomHorizontalFlip(), normalize(norm.mean, norm.std));
}

/** CIFAR evaluation: the image as it is, normalised. */
export function cifarEval(norm: Normalization = { mean: CIFAR_MEAN, std: CIFAR_STD }): TransformSpec[] {
  return compose(normalize(norm.mean, norm.std));
}

/** The ImageNet training recipe: RandomResizedCrop(size, scale (0.08, 1), ratio (3/4, 4/3)), flip, normalise. */
export function imagenetTrain(size = 224, norm: Normalization = { mean: IMAGENET_MEAN, std: IMAGENET_STD }): TransformSpec[] {
  return compose(randomResizedCrop(size), randomHorizontalFlip(), normalize(norm.mean, norm.std));
}

/** ImageNet evaluation: shorter side to size·256/224 (256 for 224), centre crop size × size, normalise. */
export function imagenetEval(size = 224, norm: Normalization = { mean: IMAGENET_MEAN, std: IMAGENET_STD }): TransformSpec[] {
  return compose(resize(Math.round((size * 256) / 224)), centerCrop(size), normalize(norm.mean, norm.std));
}
