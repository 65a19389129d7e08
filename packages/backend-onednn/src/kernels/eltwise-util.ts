// Factories for the element-wise kernels: float32 runs natively (with NumPy broadcasting for binary
// ops), every other dtype on the cpu kernel.
import { backend_util, type KernelConfig, type NamedAttrMap } from '@tensorflow/tfjs-core';

import { BinaryOp, type BinaryOpCode, native, UnaryOp, type UnaryOpCode } from '../native';
import { nativeKernel, nativeOutput } from './util';

export function binaryKernel(kernelName: string, op: BinaryOpCode): KernelConfig {
  return nativeKernel(kernelName, ({ a, b }, backend) => {
    if (a!.dtype !== 'float32' || b!.dtype !== 'float32') return null;
    const outShape = backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
    const aValues = backend.float32(a!);
    const bValues = backend.float32(b!);
    return nativeOutput(backend, outShape, (out) => native.binary(op, aValues, a!.shape, bValues, b!.shape, out, outShape));
  });
}

export function unaryKernel(
  kernelName: string,
  op: UnaryOpCode,
  alphaOf: (attrs: NamedAttrMap) => number = () => 0,
): KernelConfig {
  return nativeKernel(kernelName, ({ x }, backend, attrs) => {
    if (x!.dtype !== 'float32') return null;
    const xValues = backend.float32(x!);
    return nativeOutput(backend, [...x!.shape], (out) => native.unary(op, xValues, out, alphaOf(attrs)));
  });
}

export { BinaryOp, UnaryOp };
