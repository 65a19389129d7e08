import * as tf from '@tensorflow/tfjs';

/**
 * The backend for the backward-pass checks. A full gradient of an ImageNet network is out of reach
 * of the tfjs 'cpu' backend in a test run (its Conv2DBackpropFilter does ~1 M multiply-adds/s under
 * Jest), so when @fixclf/backend-onednn's native addon is built and loads, its 'onednn' backend is
 * used as an accelerator. It is never a dependency: without it the same checks run on 'cpu', slowly.
 */
export async function backwardBackend(): Promise<string> {
  const specifier = '@fixclf/backend-onednn'; // a variable, so neither tsc nor a bundler follows it
  try {
    await import(specifier);
    if (tf.findBackendFactory('onednn') !== undefined) return 'onednn';
  } catch {
    // not built here: fall through to the reference backend
  }
  return 'cpu';
}
