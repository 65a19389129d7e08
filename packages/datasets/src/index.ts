// What a user of the datasets needs. The building blocks (tar reading, image decoding, downloads, seeded
// random numbers, CIFAR writing, the synthetic generator, sample planning) are '@fixclf/datasets/internals'.
export { openDataset, type DatasetSource, type OpenDatasetOptions } from './open-dataset';
export type { SourceOptions } from './resolve-source';
export type { PreprocessingOptions } from './choose-preprocessing';
export { Dataset, type ArrayBatch, type Batch, type DatasetImage } from './dataset';
export type { BatchOptions } from './batch-options';
export type { Preprocessing, PreprocessingRecipe } from './preprocessing';
export type { HoldoutOptions } from './holdout';
export { toTfDataset, type TfDataGenerator } from './to-tf-dataset';
export { DatasetError, type DatasetErrorCode } from './errors';
export { BAD_IMAGE_POLICIES, type BadImage, type BadImagePolicy } from './sources/encoded-images';
export type { SplitName } from './sources/image-folder-layout';

// Transforms, for the augmentation and evalTransforms options.
export type {
  CenterCropSpec,
  NormalizeSpec,
  RandomCropSpec,
  RandomHorizontalFlipSpec,
  RandomResizedCropSpec,
  ResizeSpec,
  Size,
  Size2,
  TransformSpec,
  TransformSpecInput,
} from './transforms/spec';
export { centerCrop } from './transforms/center-crop';
export { compose } from './transforms/compose';
export { CIFAR_MEAN, CIFAR_STD, IMAGENET_MEAN, IMAGENET_STD, normalize } from './transforms/normalize';
export { randomCrop } from './transforms/random-crop';
export { randomHorizontalFlip } from './transforms/random-horizontal-flip';
export { randomResizedCrop } from './transforms/random-resized-crop';
export { resize } from './transforms/resize';
export { cifarEval, cifarTrain, imagenetEval, imagenetTrain, type Normalization } from './transforms/presets';

// Class names, and CIFAR's download and cache.
export { CIFAR10_CLASSES, CIFAR100_COARSE_CLASSES, CIFAR100_FINE_CLASSES, type CifarVariant } from './sources/cifar-format';
export { SYNTHETIC_CLASSES } from './sources/synthetic';
export { ensureCifar, type EnsureCifarOptions } from './sources/cifar-remote';
export { progressBar, type DownloadProgress, type ProgressListener, type ProgressStream } from './progress';
export { dataCacheDir } from './cache-dir';
