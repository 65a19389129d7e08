export type {
  CenterCropSpec,
  NormalizeSpec,
  RandomCropSpec,
  RandomHorizontalFlipSpec,
  RandomResizedCropSpec,
  ResizeSpec,
  SamplePlan,
  Size2,
  TransformSpec,
} from './spec';
export { centerCrop } from './center-crop';
export { compose } from './compose';
export { CIFAR_MEAN, CIFAR_STD, IMAGENET_MEAN, IMAGENET_STD, normalize } from './normalize';
export { randomCrop } from './random-crop';
export { randomHorizontalFlip } from './random-horizontal-flip';
export { randomResizedCrop, randomResizedCropBox } from './random-resized-crop';
export { resize, resizedSize } from './resize';
export { cifarEval, cifarTrain, imagenetEval, imagenetTrain, type Normalization } from './presets';
export { outputSize, planSample } from './plan';
export { renderSample, type PixelImage } from './render';
