import { backend_util, Concat, type TensorInfo, util } from '@tensorflow/tfjs-core';

import { native } from '../native';
import { nativeKernel, nativeOutput, sizeOf } from './util';

// Any concatenation is a row-wise one after collapsing the axes before `axis` (outer) and from it (inner).
export const concatConfig = nativeKernel(Concat, (inputs, backend, attrs) => {
  const tensors = inputs as unknown as TensorInfo[];
  if (tensors.length === 0 || tensors.some((t) => t.dtype !== 'float32')) return null;
  const axis = util.parseAxisParam((attrs as { axis: number }).axis, [...tensors[0]!.shape])[0]!;
  const shapes = tensors.map((t) => [...t.shape]);
  backend_util.assertParamsConsistent(shapes, axis);
  const outShape = backend_util.computeOutShape(shapes, axis);
  const outer = sizeOf(outShape.slice(0, axis));
  const nonEmpty = tensors.filter((t) => sizeOf(t.shape) > 0);
  const arrays = nonEmpty.map((t) => backend.float32(t));
  const innerSizes = nonEmpty.map((t) => sizeOf(t.shape.slice(axis)));
  return nativeOutput(backend, outShape, (out) => native.concat(arrays, innerSizes, outer, out));
});
