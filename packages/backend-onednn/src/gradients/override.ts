// Backend-aware gradients. TF.js looks gradients up by kernel name, for every backend alike; models stay
// plain tf.layers models, so the only place to make training-mode batch norm and ReLU cheap is the
// gradient itself. Each override computes the same mathematics with one native kernel when the active
// backend provides it, and otherwise calls the gradient it replaced, so cpu, webgl and wasm behave as before.
import {
  getBackend,
  getGradient,
  getKernel,
  type GradConfig,
  type NamedAttrMap,
  registerGradient,
  type Tensor,
} from '@tensorflow/tfjs-core';

type GradResult = ReturnType<GradConfig['gradFunc']>;
export type NativeGradient = (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => GradResult | null;

const installed = new Set<string>();

/** Whether the active backend registers `kernelName` (so a gradient may call it). */
export function activeBackendHas(kernelName: string): boolean {
  return getKernel(kernelName, getBackend()) !== undefined;
}

/**
 * Replaces the gradient of `kernelName` by `nativeGradient` where it applies (it returns null to decline),
 * keeping the original's saved inputs and outputs. Installing twice is a no-op.
 */
export function overrideGradient(kernelName: string, nativeGradient: NativeGradient): void {
  if (installed.has(kernelName)) return;
  const original = getGradient(kernelName);
  if (original === undefined) return;
  installed.add(kernelName);
  registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => nativeGradient(dy, saved, attrs) ?? original.gradFunc(dy, saved, attrs),
  });
}
