import type { TransformSpec } from './transforms/spec';

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
}
