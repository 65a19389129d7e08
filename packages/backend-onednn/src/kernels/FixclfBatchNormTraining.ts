import type { TensorInfo } from '@tensorflow/tfjs-core';

import { native } from '../native';
import { channelsOf, deferredBatchNorm, perChannel } from './batch-norm-util';
import { BATCH_NORM_TRAINING, type BatchNormTrainingAttrs } from './layers-names';
import { nativeKernel, sizeOf } from './util';

/**
 * @fixclf/layers' training-mode batch norm in one call: the batch moments in one pass (as the Mean of
 * tf.moments computes them here), the normalised output deferred as FusedBatchNorm's is (a following
 * ReLU or residual Add computes it in their own pass), and tf.layers' moving-average update on the
 * per-channel vectors, rounded as TF.js's sub, mul and sub round it. What tf.moments, FusedBatchNorm and
 * two moving-average updates cost as a dozen kernel calls is one.
 */
export const fixclfBatchNormTrainingConfig = nativeKernel(
  BATCH_NORM_TRAINING,
  ({ x, scale, offset, movingMean, movingVariance }, backend, attrs) => {
    const { varianceEpsilon, momentum } = attrs as unknown as BatchNormTrainingAttrs;
    const channels = channelsOf(x!);
    const s = perChannel(backend, scale, channels);
    const o = perChannel(backend, offset, channels);
    const oldMean = perChannel(backend, movingMean, channels);
    const oldVariance = perChannel(backend, movingVariance, channels);
    if (x!.dtype !== 'float32' || x!.shape.length < 2 || !s || !o || !oldMean || !oldVariance) {
      throw new Error(
        `${BATCH_NORM_TRAINING}: x must be float32 of rank 2 or more, scale, offset and the moving averages float32 per channel.`,
      );
    }
    const count = sizeOf(x!.shape);
    const xs = backend.activation(x!);
    const mean = backend.makeOutput32([channels]);
    const variance = backend.makeOutput32([channels]);
    if (count > 0) native.channelMoments(xs.values, channels, mean.values, variance.values, xs.bf16, count);
    else {
      // No values: tf.moments gives mean and variance 0 (TF.js's Mean of nothing); pooled memory is not zeroed.
      mean.values.fill(0);
      variance.values.fill(0);
    }
    // tf.layers: moving − (moving − batch)·decay, decay = 1 − momentum as a float32 scalar tensor. Each
    // step rounded to float32: the difference and product of two float32 values are exact in a double.
    const decay = Math.fround(1 - momentum);
    const movingAverage = (old: Float32Array, batch: Float32Array) => {
      const out = backend.makeOutput32([channels]);
      for (let c = 0; c < channels; c++) out.values[c] = Math.fround(old[c]! - Math.fround(Math.fround(old[c]! - batch[c]!) * decay));
      return out.info;
    };
    const sources: TensorInfo[] = [x!, mean.info, variance.info, offset!, scale!];
    const stats = { mean: mean.values, variance: variance.values, scale: s, offset: o, epsilon: varianceEpsilon };
    const y = deferredBatchNorm(backend, x!, stats, sources);
    return [y, mean.info, variance.info, movingAverage(oldMean, mean.values), movingAverage(oldVariance, variance.values)];
  },
);
