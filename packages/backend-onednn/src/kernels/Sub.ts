import { Sub, type TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
import { channelMeanSource } from '../moments';
import { BinaryOp, native } from '../native';
import { runBinary } from './eltwise-util';
import { nativeKernel, sizeOf } from './util';

/** b holds one value per channel of a (last axis) and broadcasts over everything else. */
function isChannelVector(a: TensorInfo, b: TensorInfo): boolean {
  const channels = a.shape[a.shape.length - 1];
  return b.shape.length <= a.shape.length && b.shape[b.shape.length - 1] === channels && sizeOf(b.shape) === channels;
}

// x − Mean(x) inside tf.moments is only ever squared and averaged: it stays deferred (see moments.ts).
export const subConfig = nativeKernel(Sub, ({ a, b }, backend: OneDnnBackend) => {
  if (a!.dtype !== 'float32' || b!.dtype !== 'float32') return null;
  if (a!.shape.length >= 2 && channelMeanSource(b!) === a!.dataId && isChannelVector(a!, b!)) {
    const x = a!;
    const mean = b!;
    return backend.makeLazyOutput32([...x.shape], 'centered', [x, mean], (out) =>
      native.binary(BinaryOp.sub, backend.float32(x), x.shape, backend.float32(mean), mean.shape, out, x.shape),
    );
  }
  return runBinary(backend, BinaryOp.sub, a!, b!);
});
