import { BinaryOp, native } from '../native';
import { OneDnnBroadcastScale } from './custom-names';
import { nativeKernel, nativeOutput } from './util';

/**
 * The gradient of a Sum or Mean: dy (the reduced tensor) broadcast back over the reduced `axes` of
 * `shape`, times `scale` (1, or 1/count for Mean). TF.js builds it as reshape · ones · mul · div.
 */
export const oneDnnBroadcastScaleConfig = nativeKernel(OneDnnBroadcastScale, ({ x }, backend, attrs) => {
  const { shape, axes, scale } = attrs as { shape: number[]; axes: number[]; scale: number };
  if (backend.lazyKind(x!) === 'zeros') return backend.makeZeros32([...shape]);
  const expanded = shape.map((extent, axis) => (axes.includes(axis) ? 1 : extent));
  const xValues = backend.float32(x!);
  const factor = new Float32Array([scale]);
  return nativeOutput(backend, [...shape], (out) => native.binary(BinaryOp.mul, xValues, expanded, factor, [], out, shape));
});
