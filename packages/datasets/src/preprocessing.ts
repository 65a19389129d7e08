import type { TransformSpec } from './transforms/spec';

/** The preset behind a preprocessing: CIFAR's (small images at their own size) or ImageNet's (224×224 crops). */
export type PreprocessingRecipe = 'cifar' | 'imagenet';

/**
 * Everything needed to turn an image of this dataset into network input, as JSON: save it with a training
 * run and pass it back as `openDataset(source, { preprocessing })` to evaluate exactly as trained.
 */
export interface Preprocessing {
  /** [height, width] of every batch image. */
  readonly imageSize: readonly [number, number];
  readonly channels: 3;
  /** Per-channel mean and std of the final normalisation (0 and 1 when there is none). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** Training-time pipeline (augmentation). */
  readonly train: readonly TransformSpec[];
  /** Evaluation-time pipeline. */
  readonly eval: readonly TransformSpec[];
  /** The preset the pipelines came from; always set by openDataset (absent in records saved before it was). */
  readonly recipe?: PreprocessingRecipe;
  /**
   * One line saying which recipe was chosen and why, e.g. "cifar recipe, 32×32 batches: images are
   * typically 32×32 (299 of 300 images)"; always set by openDataset.
   */
  readonly reason?: string;
}
