export { openDataset, type DatasetSource, type OpenDatasetOptions } from './open-dataset';
export { Dataset, type ArrayBatch, type Batch, type DatasetImage } from './dataset';
export type { BatchOptions } from './batch-options';
export type { Preprocessing, PreprocessingRecipe } from './preprocessing';
export type { HoldoutOptions } from './holdout';
export { toTfDataset, type TfDataGenerator } from './to-tf-dataset';
export { DatasetError, type DatasetErrorCode } from './errors';
export type { BadImage, BadImagePolicy } from './sources/encoded-images';
export type { SplitName } from './sources/image-folder-layout';

export * from './transforms/index';

export {
  CIFAR10_CLASSES,
  CIFAR100_COARSE_CLASSES,
  CIFAR100_FINE_CLASSES,
  CIFAR_LAYOUT,
  cifarRecordBytes,
  type CifarVariant,
} from './sources/cifar-format';
export { encodeCifarRecords, writeCifarDirectory, type CifarRecords } from './sources/cifar-writer';
export { CIFAR_REMOTE, ensureCifar, type EnsureCifarOptions } from './sources/cifar-remote';
export { drawSyntheticImage, generateSynthetic, SYNTHETIC_CLASSES, SYNTHETIC_DEFAULT_SIZES } from './sources/synthetic';
export { downloadFile, md5OfFile, type DownloadOptions } from './download';
export { progressBar, type DownloadProgress, type ProgressListener } from './progress';
export { dataCacheDir } from './cache-dir';
export { chooseDecoder, decodeImage, JPEG_JS_MAX_PIXELS } from './image/decode';
export { inspectImage } from './image/inspect-image';
export { indexTar, readTar } from './sources/tar-reader';
export type { TarEntry } from './sources/tar-parser';
export type { ImageInfo } from './image/image-info';
export { mixSeed, mulberry32, permutation } from './random';
