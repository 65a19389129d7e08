// Max/average pooling over NHWC via oneDNN; 1-D pooling shapes and dilations fall back to cpu.
import { backend_util, type DataId, type TensorInfo } from '@tensorflow/tfjs-core';

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

// oneDNN's max pooling starts each window at the lowest finite float, not −∞ as TF.js does: a window of
// −∞ only (or of padding only) comes out as −3.4e38 instead of −∞, and its gradient goes to the window's
// first element instead of nowhere; a window of −3.4e38 and −∞ sends it to the wrong element. Each of
// these outputs the lowest float, so a max pooling that does falls back to cpu. The scan (Buffer.indexOf,
// memchr-based) of a ResNet-50 stem's output (32 × 56 × 56 × 64) takes ~3.4 ms against the pooling's
// ~20.5 ms (2 threads; a ResNet-50 step at that batch, ~390 GFLOP, takes seconds here, so < 0.1 % of it).
// Outputs found clean are noted so that the gradient need not scan again.
const LOWEST = Buffer.from(new Float32Array([-3.4028234663852886e38]).buffer);
const MINUS_INFINITY = Buffer.from(new Float32Array([Number.NEGATIVE_INFINITY]).buffer);
const cleanMaxPoolOutputs = new WeakSet<DataId>();

/** Whether `values` holds the float32 bit pattern `pattern` at an element boundary. */
function holds(values: Float32Array, pattern: Buffer): boolean {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  for (let at = bytes.indexOf(pattern); at !== -1; at = bytes.indexOf(pattern, at + 1)) if (at % 4 === 0) return true;
  return false;
}

export function poolForward(backend: OneDnnBackend, x: TensorInfo, attrs: PoolAttrs, isMax: boolean): TensorInfo | null {
  if (x.dtype !== 'float32' || x.shape.length !== 4) return null;
  const info = poolInfo(x.shape, attrs);
  const params = poolParams(info);
  if (params === null) return null;
  const xValues = backend.float32(x);
  const { info: out, values } = backend.makeOutput32(nhwcOut(info));
  if (values.length > 0) native.poolForward(isMax, xValues, nhwc(info), values, nhwcOut(info), params);
  if (isMax) {
    if (holds(values, LOWEST)) {
      backend.disposeOwn(out);
      return null;
    }
    cleanMaxPoolOutputs.add(out.dataId);
  }
  return out;
}

export function poolBackward(
  backend: OneDnnBackend,
  dy: TensorInfo,
  x: TensorInfo,
  attrs: PoolAttrs,
  isMax: boolean,
  output?: TensorInfo,
): TensorInfo | null {
  if (dy.dtype !== 'float32' || x.dtype !== 'float32' || x.shape.length !== 4) return null;
  if (isMax && !(output !== undefined && cleanMaxPoolOutputs.has(output.dataId))) {
    // Not our forward's checked output: a maximum of −∞ or the lowest float anywhere means cpu's gradient.
    const probe = output?.dtype === 'float32' ? backend.float32(output) : backend.float32(x);
    if (holds(probe, MINUS_INFINITY) || holds(probe, LOWEST)) return null;
  }
  const info = poolInfo(x.shape, attrs);
  const params = poolParams(info);
  if (params === null) return null;
  const dyValues = backend.float32(dy);
  const xValues = isMax ? backend.float32(x) : null;
  const { info: out, values } = backend.makeOutput32(nhwc(info));
  if (values.length > 0) native.poolBackward(isMax, dyValues, nhwcOut(info), xValues, values, nhwc(info), params);
  return out;
}
