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
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { isFirstOrderBackward, tensorFromInfo } from '../tfjs-internals';
import { isSoleGradient } from './early-release';

type GradResult = ReturnType<GradConfig['gradFunc']>;
export type NativeGradient = (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => GradResult | null;

// kernel name → the gradient TF.js had before this backend replaced it.
const originals = new Map<string, GradConfig>();

/**
 * Frees an output gradient once this node's gradient no longer needs it. TF.js keeps every gradient of the
 * backward pass until the pass ends (twice the activations' memory); an output's gradient is read by its
 * producing node only, so it can go as soon as that node is done — provided the backward pass created it
 * (in `scopeId`), i.e. it is not a dy the caller passed to tf.grad, and no other node reads the same
 * tensor (a custom gradient returning one dy for two inputs: isSoleGradient). Never during a higher-order
 * gradient, whose outer tape may read it.
 */
export function releaseGradient(dy: Tensor, scopeId: number | undefined): void {
  if (isSoleGradient(dy, scopeId)) dy.dispose();
}

/** What the gradients ask of the active backend to skip gradients known to be zero. */
export interface ZeroAwareBackend {
  lazyKind(t: TensorInfo): string | undefined;
  makeZeros32(shape: number[]): TensorInfo;
}

let zeroAwareBackend: () => ZeroAwareBackend | null = () => null;

/** How the gradients find this package's backend: the accessor returns null while another is active. */
export function setZeroAwareBackend(accessor: () => ZeroAwareBackend | null): void {
  zeroAwareBackend = accessor;
}

/**
 * When `dy` is known to be all zeros (a deferred zeros tensor of this backend), zeros for each input of
 * `shapes`, made without a kernel call; otherwise null. Training-mode batch norm's gradient folds the
 * gradient through the batch moments into dx and hands the moments zeros (moments.ts); the moments'
 * own backward (Reshape, Mean, Square, Sub, Cast: ~13 kernel calls per batch norm, ~740 of a ResNet-56
 * step's ~3,900) would only carry those zeros through TF.js's per-call bookkeeping.
 */
export function zeroGradients(dy: Tensor | Tensor[], shapes: Record<string, readonly number[]>): Record<string, () => Tensor> | null {
  const backend = zeroAwareBackend();
  if (backend === null || Array.isArray(dy) || backend.lazyKind(dy) !== 'zeros') return null;
  const gradients: Record<string, () => Tensor> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    gradients[name] = () => tensorFromInfo(backend.makeZeros32([...shape]));
  }
  return gradients;
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
 * keeping the original's saved inputs and outputs. Installing twice is a no-op. While an outer tape records
 * the backward pass (a higher-order gradient), the original runs: the native gradient kernels have no
 * gradient of their own, so the outer tape could not differentiate them.
 */
export function overrideGradient(kernelName: string, nativeGradient: NativeGradient): void {
  replaceGradient(kernelName, (original) => ({
    ...original,
    gradFunc: (dy, saved, attrs) =>
      (isFirstOrderBackward() ? nativeGradient(dy, saved, attrs) : null) ?? original.gradFunc(dy, saved, attrs),
  }));
}
