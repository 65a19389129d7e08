/**
 * @fixclf/datasets/internals — the building blocks of @fixclf/datasets, for tools and tests rather than
 * training code: tar reading, image identification and decoding, downloads, the seeded random numbers
 * behind shuffling and augmentation, the CIFAR binary format and its writer, the synthetic generator, and
 * how a transform pipeline becomes one resample per image. `openDataset` and the transforms are in
 * '@fixclf/datasets'. These may change in a minor version more readily than the main entry point.
 */
export { indexTar, readTar } from './sources/tar-reader';
export type { TarEntry } from './sources/tar-parser';
export { chooseDecoder, decodeImage, JPEG_JS_MAX_PIXELS, type DecoderName } from './image/decode';
export { inspectImage } from './image/inspect-image';
export type { ImageInfo } from './image/image-info';
export { downloadFile, md5OfFile, type DownloadOptions } from './download';
export { mixSeed, mulberry32, permutation, type Random } from './random';
export { CIFAR_LAYOUT, cifarRecordBytes } from './sources/cifar-format';
export { CIFAR_REMOTE } from './sources/cifar-remote';
export { encodeCifarRecords, writeCifarDirectory, type CifarRecords } from './sources/cifar-writer';
export { drawSyntheticImage, generateSynthetic, SYNTHETIC_DEFAULT_SIZES } from './sources/synthetic';
export type { SamplePlan } from './transforms/spec';
export { outputSize, planSample } from './transforms/plan';
export { renderSample, type PixelImage } from './transforms/render';
export { randomResizedCropBox } from './transforms/random-resized-crop';
export { resizedSize } from './transforms/resize';
