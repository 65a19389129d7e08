// Translating TF.js convolution attributes into the addon's parameter block.
import { backend_util, type DataId, type TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
import { ActivationCode, type ConvParams, native, type PoolParams } from '../native';
import { getPrecision } from '../precision';
import { sizeOf } from './util';

type Conv2DInfo = backend_util.Conv2DInfo;

/**
 * oneDNN's right/bottom padding for a window that TF.js placed: the smallest non-negative padding that
 * yields TF.js's output size. Null when TF.js's output needs negative padding (never for 'same'/'valid').
 */
function trailingPad(inSize: number, outSize: number, stride: number, effectiveFilter: number, lead: number): number | null {
  const exact = (outSize - 1) * stride + effectiveFilter - inSize - lead;
  if (exact + stride - 1 < 0) return null;
  return Math.max(exact, 0);
}

export function convParams(info: Conv2DInfo): ConvParams | null {
  const { top, left } = info.padInfo;
  if (top < 0 || left < 0) return null;
  const bottom = trailingPad(info.inHeight, info.outHeight, info.strideHeight, info.effectiveFilterHeight, top);
  const right = trailingPad(info.inWidth, info.outWidth, info.strideWidth, info.effectiveFilterWidth, left);
  if (bottom === null || right === null) return null;
  return [info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, top, left, bottom, right];
}

export function poolParams(info: Conv2DInfo): PoolParams | null {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const { top, left } = info.padInfo;
  if (top < 0 || left < 0) return null;
  const bottom = trailingPad(info.inHeight, info.outHeight, info.strideHeight, info.filterHeight, top);
  const right = trailingPad(info.inWidth, info.outWidth, info.strideWidth, info.filterWidth, left);
  if (bottom === null || right === null) return null;
  return [info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, top, left, bottom, right];
}

export const nhwc = (info: Conv2DInfo): number[] => [info.batchSize, info.inHeight, info.inWidth, info.inChannels];
export const nhwcOut = (info: Conv2DInfo): number[] => [info.batchSize, info.outHeight, info.outWidth, info.outChannels];

/** The oneDNN post-op code of a TF.js fused activation, or null (prelu, unknown) for the cpu fallback. */
export function activationCode(activation: unknown): number | null {
  if (activation == null) return ActivationCode.linear;
  if (typeof activation !== 'string') return null;
  const code = (ActivationCode as Record<string, number>)[activation];
  return code ?? null;
}

/**
 * A fused bias as a per-channel vector of length `channels`, or null when it broadcasts some other way.
 * A scalar bias is expanded.
 */
export function channelVector(backend: OneDnnBackend, t: TensorInfo, channels: number): Float32Array | null {
  const values = backend.float32(t);
  const size = sizeOf(t.shape);
  if (size === 1) return new Float32Array(channels).fill(values[0]!);
  const last = t.shape[t.shape.length - 1];
  if (size !== channels || last !== channels) return null;
  return values;
}

export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * TF.js's geometry of an NHWC convolution of `xShape` by `filterShape` (plain or depthwise) and the addon's
 * parameters for it; null (fall back) for another layout or a padding oneDNN cannot express.
 */
function convGeometry(
  xShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
  depthwise: boolean,
): { info: Conv2DInfo; params: ConvParams } | null {
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || xShape.length !== 4 || filterShape.length !== 4) return null;
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
  const params = convParams(info);
  return params === null ? null : { info, params };
}

/** A deferred ZeroPadding2D (PadV2.ts): its source padded with zero rows and columns. */
export interface SpatialZeroPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * The convolution's input and parameters, with a still-deferred zero padding of x (ZeroPadding2D before a
 * stride-2 convolution) folded into the convolution's own: the same sums over the unpadded tensor, with no
 * padded copy made, and oneDNN's kernels run faster with implicit padding (the filter gradient at
 * ResNet-56's stride-2 shapes in bf16: 1.5–1.7 ms padded explicitly, 1.0 ms in PyTorch, padded implicitly).
 */
function foldPadding(backend: OneDnnBackend, x: TensorInfo, params: ConvParams): { x: TensorInfo; params: ConvParams } {
  const pad = backend.lazyDetail<SpatialZeroPadding>(x, 'padded');
  const source = backend.lazySources(x)?.[0];
  if (pad === undefined || source === undefined || sizeOf(source.shape) === 0) return { x, params };
  const [sh, sw, dh, dw, top, left, bottom, right] = params;
  return { x: source, params: [sh, sw, dh, dw, top + pad.top, left + pad.left, bottom + pad.bottom, right + pad.right] };
}

/** Forward convolution (plain or depthwise) with optional fused bias and activation; null = fall back. */
export function convForward(
  backend: OneDnnBackend,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: ConvAttrs,
  depthwise: boolean,
  bias: TensorInfo | undefined,
  activation: unknown,
  leakyreluAlpha: number | undefined,
): TensorInfo | null {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || (bias !== undefined && bias.dtype !== 'float32')) return null;
  const code = activationCode(activation);
  if (code === null) return null;
  const geometry = convGeometry(x.shape, filter.shape, attrs, depthwise);
  if (geometry === null) return null;
  const { info } = geometry;
  const { x: input, params } = foldPadding(backend, x, geometry.params);
  let biasValues: Float32Array | null = null;
  if (bias !== undefined) {
    biasValues = channelVector(backend, bias, info.outChannels);
    if (biasValues === null) return null;
  }
  const filterValues = backend.float32(filter);
  const groups = depthwise ? info.inChannels : 1;
  const outShape = nhwcOut(info);
  const size = sizeOf(outShape);
  // bf16: the output is bf16 storage (as torch.autocast's is), read as such by batch norm, ReLU and the
  // next convolution; x's bf16 values (its storage, or a copy kept for the filter gradient) and the
  // filter's converted copies (kept for the input gradient) are read in place of float32.
  const bf16 = getPrecision() === 'bf16' && sizeOf(input.shape) > 0 && size > 0;
  if (!bf16) {
    const xValues = backend.float32(input);
    const { info: out, values } = backend.makeOutput32(outShape);
    if (size > 0) {
      native.convForward(
        xValues,
        input.shape,
        filterValues,
        filter.shape,
        groups,
        biasValues,
        values,
        outShape,
        params,
        code,
        leakyreluAlpha ?? 0.2,
      );
    }
    return out;
  }
  const xBf16 = backend.bf16Values(input);
  const { info: out, bf16: yBf16 } = backend.makeBf16Output(outShape);
  native.convForward(
    backend.float32Unless16(input),
    input.shape,
    filterValues,
    filter.shape,
    groups,
    biasValues,
    null,
    outShape,
    params,
    code,
    leakyreluAlpha ?? 0.2,
    xBf16,
    backend.bf16WeightKey(filter),
    yBf16,
  );
  return out;
}

/** Gradient of a convolution with respect to its input; null = fall back. */
export function convBackwardData(
  backend: OneDnnBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  inputShape: number[],
  attrs: ConvAttrs,
  depthwise: boolean,
): TensorInfo | null {
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const geometry = convGeometry(inputShape, filter.shape, attrs, depthwise);
  if (geometry === null) return null;
  const { info, params } = geometry;
  return deferredInputGradient(backend, dy, filter, nhwc(info), params, depthwise ? info.inChannels : 1);
}

// Input gradients not computed yet → how to compute a window of one instead (cropInputGradient).
const windows = new WeakMap<DataId, (begin: number[], size: number[]) => TensorInfo | null>();

/**
 * The input gradient of a convolution of `xShape` with `params`, deferred: TF.js computes the input
 * gradient of every convolution, including the first layer's, whose input is the image and whose
 * gradient nobody reads; that one is then never computed.
 */
function deferredInputGradient(
  backend: OneDnnBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  xShape: number[],
  params: ConvParams,
  groups: number,
): TensorInfo {
  let computed = false;
  let dx: TensorInfo;
  if (getPrecision() === 'bf16' && sizeOf(dy.shape) > 0 && sizeOf(xShape) > 0) {
    // bf16: dx is bf16 storage too (as torch.autocast's gradients are), read as such by the batch-norm
    // gradient and the residual sums.
    dx = backend.makeLazyBf16Output(xShape, [dy, filter], (values) => {
      computed = true;
      native.convBackwardData(
        backend.float32Unless16(dy),
        dy.shape,
        backend.float32(filter),
        filter.shape,
        groups,
        null,
        xShape,
        params,
        backend.bf16Values(dy),
        backend.bf16WeightKey(filter),
        values,
      );
    });
  } else {
    dx = backend.makeLazyOutput32(xShape, 'deferred', [dy, filter], (values) => {
      computed = true;
      if (values.length === 0) return;
      native.convBackwardData(backend.float32(dy), dy.shape, backend.float32(filter), filter.shape, groups, values, xShape, params);
    });
  }
  // A window of x's gradient in height and width is the input gradient of the same convolution over that
  // window of x with the rest moved into the padding: what ZeroPadding2D's gradient (a Slice) asks for.
  windows.set(dx.dataId, (begin, size) => {
    if (computed || begin.length !== 4 || size.length !== 4) return null;
    if (begin[0] !== 0 || begin[3] !== 0 || size[0] !== xShape[0] || size[3] !== xShape[3]) return null;
    const [sh, sw, dh, dw, top, left, bottom, right] = params;
    const cropBottom = xShape[1]! - begin[1]! - size[1]!;
    const cropRight = xShape[2]! - begin[2]! - size[2]!;
    if (size[1]! <= 0 || size[2]! <= 0 || cropBottom < 0 || cropRight < 0) return null;
    const windowParams: ConvParams = [sh, sw, dh, dw, top + begin[1]!, left + begin[2]!, bottom + cropBottom, right + cropRight];
    return deferredInputGradient(backend, dy, filter, [...size], windowParams, groups);
  });
  return dx;
}

/**
 * A window (Slice) of a convolution's input gradient that has not been computed yet, computed directly:
 * the gradient of ZeroPadding2D then costs neither the padded gradient nor the copy. Null otherwise.
 */
export function cropInputGradient(x: TensorInfo, begin: number[], size: number[]): TensorInfo | null {
  return windows.get(x.dataId)?.(begin, size) ?? null;
}

/** Gradient of a convolution with respect to its filter; null = fall back. */
export function convBackwardFilter(
  backend: OneDnnBackend,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: number[],
  attrs: ConvAttrs,
  depthwise: boolean,
): TensorInfo | null {
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const geometry = convGeometry(x.shape, filterShape, attrs, depthwise);
  if (geometry === null) return null;
  const { info } = geometry;
  const { x: input, params } = foldPadding(backend, x, geometry.params);
  const { info: out, values } = backend.makeOutput32([...filterShape]);
  if (values.length > 0) {
    const bf16 = getPrecision() === 'bf16' && sizeOf(input.shape) > 0 && sizeOf(dy.shape) > 0;
    native.convBackwardFilter(
      bf16 ? backend.float32Unless16(input) : backend.float32(input),
      input.shape,
      bf16 ? backend.float32Unless16(dy) : backend.float32(dy),
      filterShape,
      depthwise ? info.inChannels : 1,
      values,
      null,
      nhwcOut(info),
      params,
      bf16 ? backend.bf16Values(input) : null,
      bf16 ? backend.bf16Values(dy) : null,
    );
  }
  return out;
}
