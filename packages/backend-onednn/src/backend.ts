// The 'onednn' backend: TF.js's cpu backend (same storage, plain TypedArrays, so every cpu kernel runs
// on it unchanged) whose float32 outputs come from a recycling pool and whose heavy kernels are native.
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BackendValues, DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';

import { BufferPool, type PoolStats } from './buffer-pool';
import { native } from './native';

export const BACKEND_NAME = 'onednn';

/** Free memory the pool may keep even when little is in use (FIXCLF_ONEDNN_POOL_MB, default 256). */
function minimumPoolBytes(): number {
  const mb = Number(process.env.FIXCLF_ONEDNN_POOL_MB ?? 256);
  return (Number.isFinite(mb) && mb >= 0 ? mb : 256) * 1024 * 1024;
}

export class OneDnnBackend extends MathBackendCPU {
  readonly pool = new BufferPool((bytes) => native.allocate(bytes), minimumPoolBytes());

  constructor() {
    super();
    // The cpu backend greets its first write in Node with advice to install tfjs-node; not for us.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** A float32 tensor of `shape` with pooled, uninitialised storage for a kernel to fill. */
  makeOutput32(shape: number[]): { info: TensorInfo; values: Float32Array } {
    let size = 1;
    for (const d of shape) size *= d;
    const values = this.pool.take(size);
    const dataId = super.write(values, shape, 'float32');
    return { info: { dataId, shape, dtype: 'float32' }, values };
  }

  /** The float32 storage of a tensor held by this backend. */
  float32(t: TensorInfo): Float32Array {
    const values = this.data.get(t.dataId).values;
    if (!(values instanceof Float32Array)) {
      throw new Error(`onednn backend: expected float32 storage for a tensor of dtype ${t.dtype}.`);
    }
    return values;
  }

  // Values arriving from outside (tf.tensor, cpu kernels, views of pooled arrays) may be shared; a
  // pooled array stored a second time must no longer be recycled.
  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    this.pool.markEscaped(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    this.pool.markEscaped(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  // dataSync()/data() hand the storage itself to the caller, who may keep it past dispose.
  override readSync(dataId: DataId): BackendValues {
    const values = super.readSync(dataId);
    this.pool.markEscaped(values);
    return values;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const entry = this.data.get(dataId);
    const released = super.disposeData(dataId, force);
    if (entry !== undefined && !this.data.has(dataId)) this.pool.release(entry.values);
    return released;
  }

  override memory() {
    return { ...super.memory(), pool: this.pool.snapshot(), cachedPrimitives: native.cacheSize() };
  }

  poolStats(): PoolStats {
    return this.pool.snapshot();
  }

  /** Returns pooled memory and cached primitives (what `tf.removeBackend` or tests may want). */
  releaseMemory(): void {
    this.pool.evict(0);
    native.clearCaches();
  }

  override dispose(): void {
    this.releaseMemory();
    super.dispose();
  }
}
