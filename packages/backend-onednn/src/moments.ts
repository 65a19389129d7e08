// Recognises training-mode batch normalisation as TF.js performs it: tf.moments computes
// μ = Mean(x), v = Mean(Square(Sub(x, μ))) over every axis but the channels, then FusedBatchNorm(x, μ, v).
// The first Mean computes v as well, in the same pass; Sub and Square stay deferred and the second Mean
// just hands v out. The Mean kernels tag their outputs here; FusedBatchNorm's gradient asks whether its mean and variance
// are x's batch moments recorded on the tape now being differentiated. If so, one fused kernel yields the
// full gradient through μ and v as well, and the moments' own backward only carries zeros.
import { type DataId, type TensorInfo } from '@tensorflow/tfjs-core';

import { currentTape, recordingTape } from './tfjs-internals';

interface Recorded {
  x: DataId;
  // The tape the producing kernel was recorded on: tags from another (or no) tape do not count.
  tape: unknown;
}

const means = new WeakMap<DataId, Recorded & { variance: Float32Array | undefined }>();
const variances = new WeakMap<DataId, Recorded & { mean: DataId }>();

/** `mean` is Mean(x) over every axis but the last; `variance`, if known, the matching variance. */
export function noteChannelMean(mean: TensorInfo, x: TensorInfo, variance?: Float32Array): void {
  means.set(mean.dataId, { x: x.dataId, tape: recordingTape(), variance });
}

/** The variance computed alongside `mean`, if `mean` is the channel mean of x and it was computed. */
export function knownChannelVariance(mean: DataId, x: DataId): Float32Array | undefined {
  const m = means.get(mean);
  return m !== undefined && m.x === x ? m.variance : undefined;
}

/** The x whose channel mean `mean` is, if any. */
export function channelMeanSource(mean: TensorInfo): DataId | undefined {
  return means.get(mean.dataId)?.x;
}

/** `variance` is Mean((x − mean)²) over every axis but the last. */
export function noteChannelVariance(variance: TensorInfo, x: DataId, mean: DataId): void {
  variances.set(variance.dataId, { x, mean, tape: recordingTape() });
}

/** Whether mean and variance are x's batch moments, computed on the tape being differentiated. */
export function areTapedBatchMoments(x: TensorInfo, mean: TensorInfo, variance: TensorInfo): boolean {
  const m = means.get(mean.dataId);
  const v = variances.get(variance.dataId);
  const tape = currentTape();
  return (
    m !== undefined &&
    v !== undefined &&
    tape != null &&
    m.x === x.dataId &&
    v.x === x.dataId &&
    v.mean === mean.dataId &&
    m.tape === tape &&
    v.tape === tape
  );
}
