// @fixclf/backend-onednn: importing this module registers the 'onednn' TF.js backend (or throws one
// sentence saying what failed and how to fix it when the native addon cannot load: an AddonLoadError
// whose `code` tells the causes apart; or, when the installed TensorFlow.js is outside the tested range or
// lacks an internal the backend relies on, a TfjsCompatibilityError).
import { engine, getBackend, type Tensor, type Variable } from '@tensorflow/tfjs-core';

import { BACKEND_NAME, OneDnnBackend } from './backend';
import { native } from './native';
import type { AddonLoadError as AddonLoadErrorClass } from './addon-load-error';
import type { Bf16Shadows as Bf16ShadowsClass } from './bf16-shadows';
import type { BufferPool as BufferPoolClass } from './buffer-pool';
import type { TfjsCompatibilityError as TfjsCompatibilityErrorClass } from './tfjs-internals';
import type { FusedSgdOptions } from './optimizers';
import { registerOneDnnBackend } from './register';
import { enableAdaptiveThreads } from './threads';

registerOneDnnBackend();

export { BACKEND_NAME, OneDnnBackend } from './backend';
export type { PoolStats } from './buffer-pool';
export type { LazyKind } from './backend';
export type { AddonLoadFailure } from './addon-load-error';
export { SUPPORTED_TFJS_RANGE, type TfjsCompatibilityFailure } from './tfjs-internals';
// Classes exported as types only. The two errors importing the package throws: a failed import gives no
// module to take a class from, so `instanceof` cannot work; catch the import, test `error.name`, read
// `code`. And the classes of two public members of OneDnnBackend. (Aliases, because the declaration
// bundle turns `export type { SomeClass }` into a value export, which the consumer check catches.)
/** Thrown by the import when the native addon cannot load; `name` is 'AddonLoadError'. */
export type AddonLoadError = AddonLoadErrorClass;
/** Thrown by the import when the installed TensorFlow.js cannot run the backend; `name` is 'TfjsCompatibilityError'. */
export type TfjsCompatibilityError = TfjsCompatibilityErrorClass;
/** The type of OneDnnBackend's `pool` (its kernels' shared buffers), so it can be named. */
export type BufferPool = BufferPoolClass;
/** The type of OneDnnBackend's `bf16` (the bf16 copies of weights), so it can be named. */
export type Bf16Shadows = Bf16ShadowsClass;
export type { CeilingResult } from './native';
export { BACKEND_PRIORITY, inheritCpuKernels } from './register';
// @fixclf/layers' head kernels, run natively here: the names are the contract (mirrored, not imported).
export { HADAMARD_TRANSFORM, NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD } from './kernels/head-names';
export { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, TRUNK_TRAINING, TRUNK_TRAINING_GRAD } from './kernels/layers-names';
// Convolutions and matrix products in bf16 when FIXCLF_ONEDNN_PRECISION=bf16 (read when precision.ts loads).
export { getPrecision, type Precision, setPrecision } from './precision';
export type { FusedSgdOptions } from './optimizers';

/** oneDNN's version and threading runtime, as linked. */
export function onednnVersion(): { major: number; minor: number; patch: number; cpuRuntime: string } {
  return native.version();
}

// Threads follow the machine's load unless FIXCLF_ONEDNN_THREADS fixes a count.
const fixedThreads = Number(process.env.FIXCLF_ONEDNN_THREADS);
enableAdaptiveThreads(!(Number.isInteger(fixedThreads) && fixedThreads > 0));

/**
 * Threads used by oneDNN and the backend's own loops: every core the rest of the machine leaves free
 * (re-checked every 2 s), or the count FIXCLF_ONEDNN_THREADS / setThreads(n) fixes.
 */
export function getThreads(): number {
  return native.threads();
}

/**
 * A fixed thread count, or 'auto' to follow the machine's load (fewer threads while other work keeps
 * cores busy; see src/threads.ts).
 */
export function setThreads(threads: number | 'auto'): void {
  if (threads === 'auto') {
    enableAdaptiveThreads(true);
    return;
  }
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`setThreads: threads must be a positive integer or 'auto', got ${threads}.`);
  enableAdaptiveThreads(false);
  native.setThreads(threads);
}

/**
 * oneDNN alone running convolution forward + backward-data + backward-weights over `layers`
 * ([height, width, inChannels, outChannels, kernel, stride, count], NHWC, 'same' padding) at `batch`:
 * the ceiling a training step's convolutions can reach. `plainWeights` forces TF.js's HWIO filter layout.
 */
export function convolutionCeiling(
  layers: readonly (readonly [number, number, number, number, number, number, number])[],
  batch: number,
  options: { repetitions?: number; plainWeights?: boolean } = {},
) {
  layers.forEach((layer, i) => {
    const names = ['height', 'width', 'inChannels', 'outChannels', 'kernel', 'stride', 'count'];
    const bad = layer.findIndex((v) => !Number.isInteger(v) || v < 1);
    if (layer.length !== 7 || bad >= 0) {
      throw new RangeError(
        `convolutionCeiling: layers[${i}] must be 7 positive integers [${names.join(', ')}], got [${layer.join(', ')}]` +
          (bad >= 0 ? ` (${names[bad]} ${layer[bad]})` : ''),
      );
    }
  });
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`convolutionCeiling: batch must be a positive integer, got ${batch}.`);
  return native.convCeiling(
    layers.map((l) => [...l]),
    batch,
    options.repetitions ?? 5,
    options.plainWeights ?? false,
  );
}

/**
 * One step of stochastic gradient descent with momentum, in PyTorch's semantics (torch.optim.SGD), over
 * every variable in one native call:
 *   d = g + wd·w;  v = μ·v + d (v = d where `buffers[i]` is null: the first step);
 *   w −= lr·(nesterov ? d + μ·v : v)   (without momentum: w −= lr·d).
 * `weightDecay` is one value or one per variable (0 for weights excluded from decay). Variables and
 * buffers are updated in place where their storage is theirs alone, else assigned new storage, as
 * Variable.assign does. Returns the momentum buffers after the step: those passed, and new
 * non-trainable variables where null was passed (all null when momentum is 0). Needs the onednn backend
 * active; every tensor float32, each gradient and buffer of its variable's shape.
 */
export function fusedSgdUpdate(
  variables: readonly Variable[],
  gradients: readonly Tensor[],
  buffers: readonly (Variable | null)[],
  options: FusedSgdOptions,
): (Variable | null)[] {
  const backend = engine().backend;
  if (getBackend() !== BACKEND_NAME || !(backend instanceof OneDnnBackend)) {
    throw new Error(
      `fusedSgdUpdate needs the '${BACKEND_NAME}' backend active (it is '${getBackend()}'): await tf.setBackend('${BACKEND_NAME}').`,
    );
  }
  return backend.fusedSgdUpdate(variables, gradients, buffers, options);
}
