// Factories for the element-wise kernels: float32 runs natively (with NumPy broadcasting for binary
// ops), every other dtype on the cpu kernel.
import { backend_util, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
import { BinaryOp, type BinaryOpCode, native, UnaryOp, type UnaryOpCode } from '../native';
import { nativeKernel, nativeOutput } from './util';

/** The float32 result of `op` on a and b with NumPy broadcasting. */
export function runBinary(backend: OneDnnBackend, op: BinaryOpCode, a: TensorInfo, b: TensorInfo): TensorInfo {
  const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const aValues = backend.float32(a);
  const bValues = backend.float32(b);
  return nativeOutput(backend, outShape, (out) => native.binary(op, aValues, a.shape, bValues, b.shape, out, outShape));
}

export function binaryKernel(kernelName: string, op: BinaryOpCode): KernelConfig {
  return nativeKernel(kernelName, ({ a, b }, backend) => {
    if (a!.dtype !== 'float32' || b!.dtype !== 'float32') return null;
    return runBinary(backend, op, a!, b!);
  });
}

/** @param zeroToZero the op maps 0 to 0, so a known-zero input gives a known-zero output unread */
export function unaryKernel(
  kernelName: string,
  op: UnaryOpCode,
  alphaOf: (attrs: NamedAttrMap) => number = () => 0,
  zeroToZero = false,
): KernelConfig {
  return nativeKernel(kernelName, ({ x }, backend, attrs) => {
    if (x!.dtype !== 'float32') return null;
    if (zeroToZero && backend.lazyKind(x!) === 'zeros') return backend.makeZeros32([...x!.shape]);
    const xValues = backend.float32(x!);
    return nativeOutput(backend, [...x!.shape], (out) => native.unary(op, xValues, out, alphaOf(attrs)));
  });
}

export { BinaryOp, UnaryOp };
