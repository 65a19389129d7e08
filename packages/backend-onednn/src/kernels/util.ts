// What every native kernel needs: its backend, float32 checks, and the cpu kernel to fall back on when
// an input or attribute is outside what the native code handles (other dtypes, NCHW, PReLU, ...).
import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import { BACKEND_NAME, type OneDnnBackend } from '../backend';
import { adaptThreads } from '../threads';

export interface KernelArgs {
  inputs: NamedTensorInfoMap;
  backend: unknown;
  attrs?: NamedAttrMap;
}

export type KernelResult = TensorInfo | TensorInfo[];

/** Runs the cpu backend's kernel of the same name on the onednn backend (same storage). */
export function runCpuKernel(kernelName: string, args: KernelArgs): KernelResult {
  const config = getKernel(kernelName, 'cpu');
  if (config === undefined) throw new Error(`onednn backend: no cpu kernel '${kernelName}' to fall back on.`);
  return config.kernelFunc(args as Parameters<KernelFunc>[0]);
}

/**
 * A kernel config whose `run` returns null when it cannot handle the call natively; the cpu kernel of
 * the same name then runs instead.
 */
export function nativeKernel(
  kernelName: string,
  run: (inputs: NamedTensorInfoMap, backend: OneDnnBackend, attrs: NamedAttrMap) => KernelResult | null,
): KernelConfig {
  return {
    kernelName,
    backendName: BACKEND_NAME,
    kernelFunc: ((args: KernelArgs) => {
      adaptThreads(performance.now());
      let result: KernelResult | null;
      try {
        result = run(args.inputs, args.backend as OneDnnBackend, args.attrs ?? {});
      } catch (error) {
        // The addon's checks name the argument ("argument 'dy' has 60 elements, expected 40"), not the kernel.
        // Not `instanceof Error`: the addon's errors come from the main realm, which a vm context (Jest) is not.
        const e = error as { message?: unknown };
        if (typeof e?.message === 'string' && !e.message.includes(kernelName)) e.message = `${kernelName} (onednn): ${e.message}`;
        throw error;
      }
      return result ?? runCpuKernel(kernelName, args);
    }) as KernelFunc,
  };
}

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** A copy-free float32 tensor of `shape` filled by `fill`, or an empty one without calling it. */
export function nativeOutput(backend: OneDnnBackend, shape: number[], fill: (out: Float32Array) => void): TensorInfo {
  const { info, values } = backend.makeOutput32(shape);
  if (values.length > 0) fill(values);
  return info;
}
