import {
  type KernelFunc,
  type NamedAttrMap,
  type Tensor,
  type Tensor2D,
  type TensorInfo,
  engine,
  mul,
  pad,
  registerGradient,
  slice,
} from '@tensorflow/tfjs-core';
import { type CpuLikeBackend, ensureCpuKernels, valuesOf } from './cpu-kernels';
import { hadamardTransformOp, transformFor } from './hadamard-transform';
import { l2Normalize } from './l2-normalize';

/**
 * The fixed classifier's projection as one step: y = s · (H·pad(x̂))[:outputs], x̂ = x/(‖x‖₂ + ε),
 * where the first min(inputDim, order) features enter a Hadamard transform of order `order`.
 */
export interface NormalizedHadamardAttrs {
  order: number;
  outputs: number;
  scale: number;
  epsilon: number;
}

const FORWARD = 'FixclfNormalizedHadamard';
const BACKWARD = 'FixclfNormalizedHadamardGrad';

/**
 * On CPU backends both directions are single kernels over the rows (normalise, transform, keep):
 * composed from TF.js ops the broadcasting divisions, slices and pads would cost far more than
 * the transform itself. Other backends compose the same computation from ops.
 */
export function normalizedHadamard(x: Tensor2D, attrs: NormalizedHadamardAttrs): Tensor2D {
  transformFor(attrs.order);
  if (ensureCpuKernels({ [FORWARD]: forwardKernel, [BACKWARD]: backwardKernel })) {
    return engine().runKernel(FORWARD, { x }, attrs as unknown as NamedAttrMap) as Tensor2D;
  }
  return composed(x, attrs);
}

registerGradient({
  kernelName: FORWARD,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => ({
    x: () => engine().runKernel(BACKWARD, { dy: dy as Tensor, x: saved[0]! }, attrs) as Tensor,
  }),
});

export function composed(x: Tensor2D, { order, outputs, scale, epsilon }: NormalizedHadamardAttrs): Tensor2D {
  const [batch, features] = x.shape;
  let z: Tensor2D = l2Normalize(x, epsilon);
  if (features > order) z = slice(z, [0, 0], [batch, order]);
  else if (features < order) z = pad(z, [[0, 0], [0, order - features]]);
  z = hadamardTransformOp(z);
  if (outputs < order) z = slice(z, [0, 0], [batch, outputs]);
  return mul(z, scale);
}

const forwardKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: TensorInfo };
  const { order, outputs, scale, epsilon } = attrs as unknown as NormalizedHadamardAttrs;
  const b = backend as CpuLikeBackend;
  const xs = valuesOf(b, x, FORWARD);
  const [batch, features] = x.shape as [number, number];
  const used = Math.min(features, order);
  const buffer = new Float32Array(batch * order);
  for (let r = 0; r < batch; r++) {
    const row = r * features;
    let sumSquares = 0;
    for (let k = 0; k < features; k++) sumSquares += xs[row + k]! * xs[row + k]!;
    const inv = 1 / (Math.sqrt(sumSquares) + epsilon);
    for (let k = 0; k < used; k++) buffer[r * order + k] = xs[row + k]! * inv;
  }
  transformFor(order).apply(buffer);
  const out = new Float32Array(batch * outputs);
  for (let r = 0; r < batch; r++) {
    for (let c = 0; c < outputs; c++) out[r * outputs + c] = buffer[r * order + c]! * scale;
  }
  return b.makeTensorInfo([batch, outputs], 'float32', out);
};

/** dx = g/(r+ε) − x̂·(x̂·g)/r with g = s·Hᵀ·pad(dy), truncated to the features that were used. */
const backwardKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  const { order, outputs, scale, epsilon } = attrs as unknown as NormalizedHadamardAttrs;
  const b = backend as CpuLikeBackend;
  const dys = valuesOf(b, dy, BACKWARD);
  const xs = valuesOf(b, x, BACKWARD);
  const [batch, features] = x.shape as [number, number];
  const used = Math.min(features, order);
  const buffer = new Float32Array(batch * order);
  for (let r = 0; r < batch; r++) {
    for (let c = 0; c < outputs; c++) buffer[r * order + c] = dys[r * outputs + c]! * scale;
  }
  transformFor(order).apply(buffer, { transpose: true });
  const dx = new Float32Array(batch * features);
  for (let r = 0; r < batch; r++) {
    const row = r * features;
    let sumSquares = 0;
    for (let k = 0; k < features; k++) sumSquares += xs[row + k]! * xs[row + k]!;
    const norm = Math.sqrt(sumSquares);
    const d = norm + epsilon;
    let dot = 0; // x̂·g
    for (let k = 0; k < used; k++) dot += (xs[row + k]! / d) * buffer[r * order + k]!;
    // A zero row has x̂ = 0: any positive stand-in for r gives the right (zero) correction.
    const along = dot / Math.max(norm, 1e-30);
    for (let k = 0; k < features; k++) {
      const g = k < used ? buffer[r * order + k]! : 0;
      dx[row + k] = g / d - (xs[row + k]! / d) * along;
    }
  }
  return b.makeTensorInfo([batch, features], 'float32', dx);
};
