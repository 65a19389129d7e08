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

import { createdInScope } from '../tfjs-internals';

type GradResult = ReturnType<GradConfig['gradFunc']>;
export type NativeGradient = (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => GradResult | null;

// kernel name → the gradient TF.js had before this backend replaced it.
const originals = new Map<string, GradConfig>();

/**
 * Frees an output gradient once this node's gradient no longer needs it. TF.js keeps every gradient of the
 * backward pass until the pass ends (twice the activations' memory); an output's gradient is read by its
 * producing node only, so it can go as soon as that node is done — provided the backward pass created it
 * (in `scopeId`), i.e. it is not a dy the caller passed to tf.grad.
 */
export function releaseGradient(dy: Tensor, scopeId: number | undefined): void {
  if (createdInScope(dy, scopeId)) dy.dispose();
}

/** Whether the active backend registers `kernelName` (so a gradient may call it). */
export function activeBackendHas(kernelName: string): boolean {
  return getKernel(kernelName, getBackend()) !== undefined;
}

/**
 * Registers `make(original)` as the gradient of `kernelName`, where TF.js defines one. Installing twice is
 * a no-op: the registry is the one place that knows which gradients this backend has replaced.
 */
export function replaceGradient(kernelName: string, make: (original: GradConfig) => GradConfig): void {
  if (originals.has(kernelName)) return;
  const original = getGradient(kernelName);
  if (original === undefined) return;
  originals.set(kernelName, original);
  registerGradient(make(original));
}

/**
 * Every gradient this backend has replaced, by kernel name, with the gradient TF.js had before (to
 * compare against, or to re-register). The replacements are what getGradient(kernelName) returns.
 */
export function replacedGradients(): ReadonlyMap<string, GradConfig> {
  return originals;
}

/**
 * Replaces the gradient of `kernelName` by `nativeGradient` where it applies (it returns null to decline),
 * keeping the original's saved inputs and outputs. Installing twice is a no-op.
 */
export function overrideGradient(kernelName: string, nativeGradient: NativeGradient): void {
  replaceGradient(kernelName, (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) => nativeGradient(dy, saved, attrs) ?? original.gradFunc(dy, saved, attrs),
  }));
}
