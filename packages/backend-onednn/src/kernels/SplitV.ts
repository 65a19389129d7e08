import { backend_util, SplitV, type TensorInfo, util } from '@tensorflow/tfjs-core';

import { stridedSlice } from './Slice';
import { nativeKernel, runCpuKernel } from './util';

// The gradient of Concat (e.g. every DenseNet layer). The cpu kernel slices through its own JS slice,
// bypassing the Slice kernel, so a split along the channels would copy element by element.
export const splitVConfig = nativeKernel(SplitV, ({ x }, backend, attrs) => {
  if (x!.dtype !== 'float32' || x!.shape.length === 0) return null;
  const { numOrSizeSplits, axis } = attrs as { numOrSizeSplits: number | number[]; axis: number };
  const $axis = util.parseAxisParam(axis, [...x!.shape])[0]!;
  const sizes = backend_util.prepareSplitSize(x!, numOrSizeSplits, $axis);
  const begin = new Array<number>(x!.shape.length).fill(0);
  return sizes.map((extent) => {
    const size = [...x!.shape];
    size[$axis] = extent;
    const piece =
      stridedSlice(backend, x!, [...begin], size) ??
      (runCpuKernel('Slice', { inputs: { x: x! }, backend, attrs: { begin: [...begin], size } }) as TensorInfo);
    begin[$axis]! += extent;
    return piece;
  });
});
