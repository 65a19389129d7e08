// Max/average pooling over NHWC via oneDNN; 1-D pooling shapes and dilations fall back to cpu.
import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
import { native } from '../native';
import { nhwc, nhwcOut, poolParams } from './conv-util';

export interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function poolInfo(xShape: readonly number[], attrs: PoolAttrs) {
  return backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}

export function poolForward(backend: OneDnnBackend, x: TensorInfo, attrs: PoolAttrs, isMax: boolean): TensorInfo | null {
  if (x.dtype !== 'float32' || x.shape.length !== 4) return null;
  const info = poolInfo(x.shape, attrs);
  const params = poolParams(info);
  if (params === null) return null;
  const xValues = backend.float32(x);
  const { info: out, values } = backend.makeOutput32(nhwcOut(info));
  if (values.length > 0) native.poolForward(isMax, xValues, nhwc(info), values, nhwcOut(info), params);
  return out;
}

export function poolBackward(backend: OneDnnBackend, dy: TensorInfo, x: TensorInfo, attrs: PoolAttrs, isMax: boolean): TensorInfo | null {
  if (dy.dtype !== 'float32' || x.dtype !== 'float32' || x.shape.length !== 4) return null;
  const info = poolInfo(x.shape, attrs);
  const params = poolParams(info);
  if (params === null) return null;
  const dyValues = backend.float32(dy);
  const xValues = isMax ? backend.float32(x) : null;
  const { info: out, values } = backend.makeOutput32(nhwc(info));
  if (values.length > 0) native.poolBackward(isMax, dyValues, nhwcOut(info), xValues, values, nhwc(info), params);
  return out;
}
