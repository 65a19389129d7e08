import * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext } from './build-context';
import { heNormalFanOut } from './initializers';
import { GroupedConv2D } from './layers/grouped-conv2d';
import { ConstantPadding2D } from './layers/constant-padding2d';

type SymbolicTensor = tfl.SymbolicTensor;

/** PyTorch's BatchNorm2d defaults: momentum 0.1 (tfjs counts the other way: 0.9), ε = 1e-5, γ = 1, β = 0. */
export function batchNorm(x: SymbolicTensor, name: string): SymbolicTensor {
  return tfl.layers
    .batchNormalization({ name, axis: -1, momentum: 0.9, epsilon: 1e-5, gammaInitializer: 'ones', betaInitializer: 'zeros' })
    .apply(x) as SymbolicTensor;
}

export function relu(x: SymbolicTensor, name: string): SymbolicTensor {
  return tfl.layers.reLU({ name }).apply(x) as SymbolicTensor;
}

export interface ConvSpec {
  name: string;
  filters: number;
  kernelSize: number;
  strides?: number;
  /** Zero padding on every side, as PyTorch's `padding=` (default 0). */
  padding?: number;
  useBias?: boolean;
  /** Grouped convolution (ShuffleNet); 1 is an ordinary convolution. */
  groups?: number;
}

/**
 * A convolution with PyTorch's geometry. tfjs 'same' padding puts the odd extra row at the
 * bottom/right when the stride is 2, PyTorch pads symmetrically; so whenever the two would differ an
 * explicit ZeroPadding2D goes first and the convolution runs 'valid'. A stride-1 convolution with
 * padding (k − 1)/2 is the same in both, and stays a single 'same' layer.
 */
export function conv(ctx: BuildContext, x: SymbolicTensor, spec: ConvSpec): SymbolicTensor {
  const { name, filters, kernelSize } = spec;
  const strides = spec.strides ?? 1;
  const padding = spec.padding ?? 0;
  const groups = spec.groups ?? 1;
  const useBias = spec.useBias ?? false;
  let tfPadding: 'same' | 'valid' = 'valid';
  let input = x;
  if (padding > 0) {
    if (strides === 1 && 2 * padding === kernelSize - 1) tfPadding = 'same';
    else input = tfl.layers.zeroPadding2d({ name: `${name}.pad`, padding }).apply(x) as SymbolicTensor;
  }
  const common = {
    name,
    filters,
    kernelSize,
    strides,
    padding: tfPadding,
    useBias,
    kernelInitializer: heNormalFanOut(kernelSize, filters, ctx.nextSeed()),
  };
  const layer =
    groups === 1
      ? tfl.layers.conv2d({ ...common, biasInitializer: 'zeros' })
      : new GroupedConv2D({ ...common, groups, biasInitializer: tfl.initializers.zeros() });
  return layer.apply(input) as SymbolicTensor;
}

/** Depthwise k×k convolution (one filter per channel), PyTorch geometry as in `conv`. */
export function depthwiseConv(
  ctx: BuildContext,
  x: SymbolicTensor,
  spec: { name: string; channels: number; kernelSize: number; strides?: number; padding?: number; useBias?: boolean },
): SymbolicTensor {
  const { name, channels, kernelSize } = spec;
  const strides = spec.strides ?? 1;
  const padding = spec.padding ?? 0;
  let tfPadding: 'same' | 'valid' = 'valid';
  let input = x;
  if (padding > 0) {
    if (strides === 1 && 2 * padding === kernelSize - 1) tfPadding = 'same';
    else input = tfl.layers.zeroPadding2d({ name: `${name}.pad`, padding }).apply(x) as SymbolicTensor;
  }
  return tfl.layers
    .depthwiseConv2d({
      name,
      kernelSize,
      strides,
      padding: tfPadding,
      depthMultiplier: 1,
      useBias: spec.useBias ?? false,
      // PyTorch's fan-out of a [C, 1, k, k] depthwise weight is C·k·k.
      depthwiseInitializer: heNormalFanOut(kernelSize, channels, ctx.nextSeed()),
      biasInitializer: 'zeros',
    })
    .apply(input) as SymbolicTensor;
}

/**
 * PyTorch's `MaxPool2d(k, stride, padding)`: padded cells never win. After a ReLU zero padding
 * is exact (and cheaper), so `afterRelu` picks ZeroPadding2D; otherwise the pad is −∞-like.
 */
export function maxPool(
  x: SymbolicTensor,
  spec: { name: string; poolSize: number; strides: number; padding: number; afterRelu: boolean },
): SymbolicTensor {
  const { name, poolSize, strides, padding, afterRelu } = spec;
  let input = x;
  if (padding > 0) {
    const pad = afterRelu
      ? tfl.layers.zeroPadding2d({ name: `${name}.pad`, padding })
      : new ConstantPadding2D({ name: `${name}.pad`, padding, value: -3.4028234663852886e38 });
    input = pad.apply(x) as SymbolicTensor;
  }
  return tfl.layers.maxPooling2d({ name, poolSize, strides, padding: 'valid' }).apply(input) as SymbolicTensor;
}

/** PyTorch's `AvgPool2d(k, stride, padding)` with its default count_include_pad=True: zeros count. */
export function avgPool(x: SymbolicTensor, spec: { name: string; poolSize: number; strides: number; padding?: number }): SymbolicTensor {
  const { name, poolSize, strides } = spec;
  const padding = spec.padding ?? 0;
  const input = padding > 0 ? (tfl.layers.zeroPadding2d({ name: `${name}.pad`, padding }).apply(x) as SymbolicTensor) : x;
  return tfl.layers.averagePooling2d({ name, poolSize, strides, padding: 'valid' }).apply(input) as SymbolicTensor;
}

export function globalAveragePool(x: SymbolicTensor, name: string): SymbolicTensor {
  return tfl.layers.globalAveragePooling2d({ name }).apply(x) as SymbolicTensor;
}

export function add(xs: SymbolicTensor[], name: string): SymbolicTensor {
  return tfl.layers.add({ name }).apply(xs) as SymbolicTensor;
}

export function concat(xs: SymbolicTensor[], name: string): SymbolicTensor {
  return tfl.layers.concatenate({ name, axis: -1 }).apply(xs) as SymbolicTensor;
}
