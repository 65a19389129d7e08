/**
 * The head kernels in JavaScript, for backends whose tensors live in CPU memory as the `cpu`
 * backend's do, and their explicit registration. This package registers them for `cpu` (TF.js's
 * reference backend) when it is imported and for no other backend by itself: a backend owns its
 * kernels, and registers these (`registerFixedClassifierKernels(name)`) or its own versions of them
 * under the same names. On a backend with neither, the ops compose the same computation from
 * standard TF.js ops (matMul chains), which every backend runs.
 */
import {
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type TypedArray,
  getBackend,
  getKernel,
  registerKernel,
} from '@tensorflow/tfjs-core';
import {
  FIXED_CLASSIFIER_KERNEL_NAMES,
  HADAMARD_TRANSFORM,
  type HadamardTransformAttrs,
  NORMALIZED_HADAMARD,
  NORMALIZED_HADAMARD_GRAD,
  type NormalizedHadamardAttrs,
} from './kernel-names';
import { transformFor } from './transforms';

/** A backend whose tensors live in the `cpu` backend's storage: plain TypedArrays. */
export interface CpuLikeBackend extends KernelBackend {
  data: { get(dataId: object): { values?: TypedArray } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** The float32 values of a tensor on a CPU-like backend. */
export function valuesOf(backend: CpuLikeBackend, t: TensorInfo, kernel: string): Float32Array {
  const values = (backend.data?.get(t.dataId) as { values?: unknown } | undefined)?.values;
  // The cpu backend casts int32 and bool to float32 without a copy: the float32 tensor keeps the
  // Int32Array / Uint8Array storage of its source.
  if (t.dtype === 'float32' && (values instanceof Int32Array || values instanceof Uint8Array)) return Float32Array.from(values);
  if (!(values instanceof Float32Array)) {
    throw new Error(
      `${kernel}: expects a float32 tensor held in CPU memory (a backend storing tensors as the 'cpu' backend does); ` +
        `register @fixclf/layers' JavaScript kernels only for such backends.`,
    );
  }
  return values;
}

/** Whether the active backend has every one of `names` (then the ops run them; otherwise they compose). */
export function activeBackendHas(...names: string[]): boolean {
  const backendName = getBackend();
  return names.every((name) => getKernel(name, backendName) !== undefined);
}

/** HADAMARD_TRANSFORM on the tensor's own CPU buffer: O(n log n) additions. */
const hadamardTransformKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: TensorInfo };
  const { order, transpose } = attrs as unknown as HadamardTransformAttrs;
  const b = backend as CpuLikeBackend;
  const out = Float32Array.from(valuesOf(b, x, HADAMARD_TRANSFORM)); // a copy: kernels never write their inputs
  transformFor(order).apply(out, { transpose });
  return b.makeTensorInfo(x.shape, 'float32', out);
};

/** NORMALIZED_HADAMARD: normalise each row, transform, keep the first `outputs`, scale. */
const normalizedHadamardKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: TensorInfo };
  const { order, outputs, scale, epsilon } = attrs as unknown as NormalizedHadamardAttrs;
  const b = backend as CpuLikeBackend;
  const xs = valuesOf(b, x, NORMALIZED_HADAMARD);
  const [batch, features] = x.shape as [number, number];
  const used = Math.min(features, order);
  const buffer = new Float32Array(batch * order);
  for (let r = 0; r < batch; r++) {
    const row = r * features;
    let sumSquares = 0;
    for (let k = 0; k < features; k++) sumSquares += xs[row + k]! * xs[row + k]!;
    const inv = 1 / (Math.sqrt(sumSquares) + epsilon);
    for (let k = 0; k < used; k++) buffer[r * order + k] = xs[row + k]! * inv;
  }
  transformFor(order).apply(buffer);
  const out = new Float32Array(batch * outputs);
  for (let r = 0; r < batch; r++) {
    for (let c = 0; c < outputs; c++) out[r * outputs + c] = buffer[r * order + c]! * scale;
  }
  return b.makeTensorInfo([batch, outputs], 'float32', out);
};

/** NORMALIZED_HADAMARD_GRAD: dx = g/(r+ε) − x̂·(x̂·g)/r with g = s·Hᵀ·pad(dy), truncated to the features used. */
const normalizedHadamardGradKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  const { order, outputs, scale, epsilon } = attrs as unknown as NormalizedHadamardAttrs;
  const b = backend as CpuLikeBackend;
  const dys = valuesOf(b, dy, NORMALIZED_HADAMARD_GRAD);
  const xs = valuesOf(b, x, NORMALIZED_HADAMARD_GRAD);
  const [batch, features] = x.shape as [number, number];
  const used = Math.min(features, order);
  const buffer = new Float32Array(batch * order);
  for (let r = 0; r < batch; r++) {
    for (let c = 0; c < outputs; c++) buffer[r * order + c] = dys[r * outputs + c]! * scale;
  }
  transformFor(order).apply(buffer, { transpose: true });
  const dx = new Float32Array(batch * features);
  for (let r = 0; r < batch; r++) {
    const row = r * features;
    let sumSquares = 0;
    for (let k = 0; k < features; k++) sumSquares += xs[row + k]! * xs[row + k]!;
    const norm = Math.sqrt(sumSquares);
    const d = norm + epsilon;
    let dot = 0; // x̂·g
    for (let k = 0; k < used; k++) dot += (xs[row + k]! / d) * buffer[r * order + k]!;
    // A zero row has x̂ = 0: any positive stand-in for r gives the right (zero) correction.
    const along = dot / Math.max(norm, 1e-30);
    for (let k = 0; k < features; k++) {
      const g = k < used ? buffer[r * order + k]! : 0;
      dx[row + k] = g / d - (xs[row + k]! / d) * along;
    }
  }
  return b.makeTensorInfo([batch, features], 'float32', dx);
};

const KERNEL_FUNCS: Readonly<Record<string, KernelFunc>> = {
  [HADAMARD_TRANSFORM]: hadamardTransformKernel,
  [NORMALIZED_HADAMARD]: normalizedHadamardKernel,
  [NORMALIZED_HADAMARD_GRAD]: normalizedHadamardGradKernel,
};

/**
 * The JavaScript head kernels as kernel configs for `backendName`, one per name of
 * FIXED_CLASSIFIER_KERNEL_NAMES, for a backend that registers them itself. They read and write
 * tensors the way the `cpu` backend stores them (`backend.data.get(dataId).values`, a
 * Float32Array, and `backend.makeTensorInfo`), so they suit only backends with that storage.
 */
export function fixedClassifierKernels(backendName: string): KernelConfig[] {
  return FIXED_CLASSIFIER_KERNEL_NAMES.map((kernelName) => ({ kernelName, backendName, kernelFunc: KERNEL_FUNCS[kernelName]! }));
}

/**
 * Registers the JavaScript head kernels for `backendName`, a backend whose tensors live in CPU
 * memory as the `cpu` backend's do (the `cpu` backend itself is covered when this package loads).
 * Names the backend already has, its own versions for instance, are left alone. Returns the kernel
 * names registered now. Backends without the kernels (WebGL, WebGPU, WASM, tfjs-node) need nothing:
 * the layer composes the same computation from standard ops there.
 */
export function registerFixedClassifierKernels(backendName: string): string[] {
  if (typeof backendName !== 'string' || backendName === '') {
    throw new TypeError(`registerFixedClassifierKernels: backendName must be a backend's name, got ${String(backendName)}.`);
  }
  const registered: string[] = [];
  for (const config of fixedClassifierKernels(backendName)) {
    if (getKernel(config.kernelName, backendName) !== undefined) continue;
    registerKernel(config);
    registered.push(config.kernelName);
  }
  return registered;
}

// TF.js's reference CPU backend gets them from this package; every other backend decides for itself.
registerFixedClassifierKernels('cpu');
