import {
  type KernelBackend,
  type KernelFunc,
  type TensorInfo,
  type TypedArray,
  backend as activeBackend,
  findBackend,
  getBackend,
  getKernel,
  registerKernel,
} from '@tensorflow/tfjs-core';

/** A backend whose tensors live in the `cpu` backend's storage: plain TypedArrays. */
export interface CpuLikeBackend extends KernelBackend {
  data: { get(dataId: object): { values?: TypedArray } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** The float32 values of a tensor on a CPU-like backend. */
export function valuesOf(backend: CpuLikeBackend, t: TensorInfo, kernel: string): Float32Array {
  const values = backend.data.get(t.dataId).values;
  if (!(values instanceof Float32Array)) throw new Error(`${kernel}: expects a float32 tensor held in CPU memory.`);
  return values;
}

/**
 * Registers `kernels` for the active backend when it stores tensors as `cpu` does (it is `cpu`, or
 * a backend built on it such as `onednn`), and says whether they can run. Registration happens on
 * first use rather than at import, so backends registered after this module loads are covered.
 */
export function ensureCpuKernels(kernels: Record<string, KernelFunc>): boolean {
  const name = getBackend();
  const names = Object.keys(kernels);
  if (names.every((k) => getKernel(k, name) != null)) return true;
  const cpu = findBackend('cpu');
  if (cpu == null || !(activeBackend() instanceof cpu.constructor)) return false;
  for (const kernelName of names) {
    if (getKernel(kernelName, name) == null) registerKernel({ kernelName, backendName: name, kernelFunc: kernels[kernelName]! });
  }
  return true;
}
