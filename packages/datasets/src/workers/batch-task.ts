import type { TransformSpec } from '../transforms/spec';

/** One batch of work: which samples, and how to turn each into output values. Plain data, worker-safe. */
export interface BatchTask {
  /** Store indices, in batch order. */
  readonly indices: Int32Array;
  readonly seed: number;
  readonly epoch: number;
  readonly transforms: readonly TransformSpec[];
  readonly outWidth: number;
  readonly outHeight: number;
  /** Decode each image fully and report failures, producing no output (the open-time 'decode' check). */
  readonly decodeOnly?: boolean;
}

/** A sample that could not be read or decoded; the batch policy decides whether that is fatal. */
export interface SampleFailure {
  /** Position in the batch. */
  readonly position: number;
  /** Store index. */
  readonly index: number;
  readonly file: string;
  readonly reason: string;
}

export interface BatchResult {
  /** batch × outHeight × outWidth × 3 values, NHWC; rows of failed samples are left zero. */
  readonly x: Float32Array;
  readonly failures: SampleFailure[];
}

/** A problem with the pipeline itself (not one image): it fails the whole batch. */
export interface TaskError {
  readonly message: string;
  readonly code?: string;
  readonly file?: string;
}
