// Transforms are plain data, torchvision-style in name and meaning, so a pipeline can cross into a worker
// thread, be saved with a training run and be replayed by `fixclf eval`.

/** [height, width], as torchvision orders sizes. */
export type Size2 = readonly [number, number];
/** A size as torchvision's transforms take it: n for n × n, or [height, width]. */
export type Size = number | Size2;

export interface RandomCropSpec {
  readonly type: 'randomCrop';
  readonly size: Size2;
  /** Zero pixels added on every side before cropping (torchvision's `padding=int`). */
  readonly padding: number;
}

export interface RandomHorizontalFlipSpec {
  readonly type: 'randomHorizontalFlip';
  readonly p: number;
}

export interface RandomResizedCropSpec {
  readonly type: 'randomResizedCrop';
  readonly size: Size2;
  readonly scale: readonly [number, number];
  readonly ratio: readonly [number, number];
}

export interface ResizeSpec {
  readonly type: 'resize';
  /** A number resizes the shorter side to it, keeping the aspect ratio; [h, w] resizes to exactly that. */
  readonly size: number | Size2;
}

export interface CenterCropSpec {
  readonly type: 'centerCrop';
  readonly size: Size2;
}

export interface NormalizeSpec {
  readonly type: 'normalize';
  /** Per channel (R, G, B), on pixel values scaled to [0, 1]. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export type TransformSpec = RandomCropSpec | RandomHorizontalFlipSpec | RandomResizedCropSpec | ResizeSpec | CenterCropSpec | NormalizeSpec;

/**
 * A spec as `compose` and the `augmentation` / `evalTransforms` options take it (hand-written, or JSON):
 * sizes as n or [height, width], and what the constructor defaults may be left out. Every TransformSpec is one.
 */
export type TransformSpecInput =
  | { readonly type: 'randomCrop'; readonly size: Size; readonly padding?: number | undefined }
  | { readonly type: 'randomHorizontalFlip'; readonly p?: number | undefined }
  | {
      readonly type: 'randomResizedCrop';
      readonly size: Size;
      readonly scale?: readonly [number, number] | undefined;
      readonly ratio?: readonly [number, number] | undefined;
    }
  | ResizeSpec
  | { readonly type: 'centerCrop'; readonly size: Size }
  | NormalizeSpec;

/**
 * What a transform pipeline decided for one image: which rectangle of the source (in source pixels; it
 * may reach outside the image, which reads as zero pixels) becomes an outWidth × outHeight output,
 * mirrored or not, and the per-channel affine map from 0…255 pixel values to output values.
 * Geometric transforms compose into one rectangle, so every image is resampled exactly once.
 */
export interface SamplePlan {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly outWidth: number;
  readonly outHeight: number;
  readonly flip: boolean;
  readonly scale: readonly [number, number, number];
  readonly bias: readonly [number, number, number];
}
