import { Square } from '@tensorflow/tfjs-core';

import { BinaryOp, native } from '../native';
import { UnaryOp } from './eltwise-util';
import { nativeKernel, nativeOutput } from './util';

// (x − μ)² of a deferred x − μ stays deferred: Mean reads it as a variance straight from x (moments.ts).
export const squareConfig = nativeKernel(Square, ({ x }, backend) => {
  if (x!.dtype !== 'float32') return null;
  const sources = backend.lazyKind(x!) === 'centered' ? backend.lazySources(x!) : undefined;
  if (sources !== undefined) {
    const [a, mean] = sources as [typeof x, typeof x];
    return backend.makeLazyOutput32([...x!.shape], 'squaredCentered', [a!, mean!], (out) =>
      native.binary(BinaryOp.squaredDifference, backend.float32(a!), a!.shape, backend.float32(mean!), mean!.shape, out, a!.shape),
    );
  }
  if (backend.lazyKind(x!) === 'zeros') return backend.makeZeros32([...x!.shape]);
  const xValues = backend.float32(x!);
  return nativeOutput(backend, [...x!.shape], (out) => native.unary(UnaryOp.square, xValues, out, 0));
});
