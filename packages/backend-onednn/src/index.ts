// @fixclf/backend-onednn: importing this module registers the 'onednn' TF.js backend (or throws one
// sentence saying what failed and how to fix it when the native addon cannot load: an AddonLoadError
// whose `code` tells the causes apart).
import { native } from './native';
import { registerOneDnnBackend } from './register';
import { enableAdaptiveThreads } from './threads';

registerOneDnnBackend();

export { BACKEND_NAME, OneDnnBackend } from './backend';
export type { PoolStats } from './buffer-pool';
export type { AddonLoadError, AddonLoadFailure } from './addon-load-error';
export type { CeilingResult } from './native';
export { BACKEND_PRIORITY, inheritCpuKernels } from './register';

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
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`setThreads: threads must be a positive integer or 'auto', got ${threads}.`);
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
  return native.convCeiling(layers.map((l) => [...l]), batch, options.repetitions ?? 5, options.plainWeights ?? false);
}
