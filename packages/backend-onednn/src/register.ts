// Registers the 'onednn' backend: the cpu backend's kernels, with the native ones in place of theirs.
import '@tensorflow/tfjs-backend-cpu';

import { engine, getBackend, getKernel, getKernelsForBackend, registerBackend, registerKernel } from '@tensorflow/tfjs-core';

import { BACKEND_NAME, OneDnnBackend } from './backend';
import { installGradients } from './gradients';
import { setZeroAwareBackend } from './gradients/override';
import { installEarlyRelease } from './gradients/early-release';
import { nativeKernelConfigs } from './kernel-list';
import { installOptimizerFastPaths } from './optimizers';
import { assertSupportedTfjs } from './tfjs-internals';

/** Above cpu (1), webgl and wasm (2): importing the package makes it the default in Node. */
export const BACKEND_PRIORITY = 3;

/**
 * Registers for 'onednn' every cpu kernel it does not have yet. Runs at import and again whenever the
 * backend is created, so kernels added to cpu later (custom ops of other packages) are inherited too.
 */
export function inheritCpuKernels(): number {
  let added = 0;
  for (const config of getKernelsForBackend('cpu')) {
    if (getKernel(config.kernelName, BACKEND_NAME) === undefined) {
      registerKernel({ ...config, backendName: BACKEND_NAME });
      added++;
    }
  }
  return added;
}

function registerNativeKernels(): void {
  for (const config of nativeKernelConfigs) {
    if (getKernel(config.kernelName, BACKEND_NAME) === undefined) registerKernel(config);
  }
}

export function registerOneDnnBackend(): void {
  // Before anything is registered: a TF.js outside the tested range, or one whose internals moved, fails
  // here with one sentence naming the version and the fix (see src/tfjs-internals.ts).
  assertSupportedTfjs();
  registerNativeKernels();
  inheritCpuKernels();
  // This package's backend while it is the active one (the gradients' and optimizers' fast paths).
  const activeOneDnn = () => (getBackend() === BACKEND_NAME ? (engine().backend as OneDnnBackend) : null);
  installGradients();
  setZeroAwareBackend(activeOneDnn);
  // The backward pass frees each node's saved tensors and gradients once the tape has passed it
  // (FIXCLF_ONEDNN_EARLY_RELEASE=0 keeps them to the end, as TF.js does).
  const earlyRelease = process.env.FIXCLF_ONEDNN_EARLY_RELEASE !== '0';
  installEarlyRelease(() => earlyRelease && getBackend() === BACKEND_NAME);
  // tf.train.momentum / tf.train.sgd: one native call per step while onednn is active.
  installOptimizerFastPaths(activeOneDnn);
  registerBackend(
    BACKEND_NAME,
    () => {
      inheritCpuKernels();
      return new OneDnnBackend();
    },
    BACKEND_PRIORITY,
  );
}
