import { type NamedAttrMap, type Tensor, type Tensor2D, engine, mul, pad, registerGradient, slice } from '@tensorflow/tfjs-core';
import { activeBackendHas } from './cpu-kernels';
import { hadamardTransformOp } from './hadamard-transform';
import { NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD, type NormalizedHadamardAttrs } from './kernel-names';
import { l2Normalize } from './l2-normalize';
import { coreFor, transformFor } from './transforms';

export { NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD, type NormalizedHadamardAttrs } from './kernel-names';

/**
 * The fixed classifier's projection as one step: y = s · (H·pad(x̂))[:outputs], x̂ = x/(‖x‖₂ + ε),
 * where the first min(inputDim, order) features enter a Hadamard transform of order `order`.
 *
 * On a backend that has both head kernels (`cpu`, with this package's JavaScript kernels; a backend
 * that registered them or its own, such as `onednn`'s native ones) each direction is one kernel
 * over the rows (normalise, transform, keep): composed from TF.js ops, the broadcasting divisions,
 * slices and pads would cost far more than the transform itself. Every other backend composes the
 * same computation from ops. `core` is filled in from `order` when absent.
 */
export function normalizedHadamard(x: Tensor2D, attrs: NormalizedHadamardAttrs): Tensor2D {
  transformFor(attrs.order); // validates the order
  const full: NormalizedHadamardAttrs = { ...attrs, core: attrs.core ?? coreFor(attrs.order) };
  if (activeBackendHas(NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD)) {
    return engine().runKernel(NORMALIZED_HADAMARD, { x }, full as unknown as NamedAttrMap) as Tensor2D;
  }
  return composed(x, full);
}

registerGradient({
  kernelName: NORMALIZED_HADAMARD,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => ({
    x: () => engine().runKernel(NORMALIZED_HADAMARD_GRAD, { dy: dy as Tensor, x: saved[0]! }, attrs) as Tensor,
  }),
});

/** The same computation from standard ops, for backends without the head kernels. */
export function composed(x: Tensor2D, { order, outputs, scale, epsilon }: NormalizedHadamardAttrs): Tensor2D {
  const [batch, features] = x.shape;
  let z: Tensor2D = l2Normalize(x, epsilon);
  if (features > order) z = slice(z, [0, 0], [batch, order]);
  else if (features < order)
    z = pad(z, [
      [0, 0],
      [0, order - features],
    ]);
  z = hadamardTransformOp(z);
  if (outputs < order) z = slice(z, [0, 0], [batch, outputs]);
  return mul(z, scale);
}
