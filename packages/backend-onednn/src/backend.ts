// The 'onednn' backend: TF.js's cpu backend (same storage, plain TypedArrays, so every cpu kernel runs
// on it unchanged) whose float32 outputs come from a recycling pool, whose heavy kernels are native, and
// which may defer computing a tensor until someone reads it (see makeLazyOutput32).
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { type BackendValues, type DataId, type DataType, type Tensor, type TensorInfo, type Variable } from '@tensorflow/tfjs-core';

import { Bf16Shadows } from './bf16-shadows';
import { BufferPool, type PoolStats } from './buffer-pool';
import { native } from './native';
import { type FusedSgdOptions, fusedSgdUpdateOn } from './optimizers';
import { cpuDataRecord, deferRecordValues, hasCpuDataRecord, removeEngineDataId, silenceCpuFirstUseWarning } from './tfjs-internals';

export const BACKEND_NAME = 'onednn';

/**
 * What a deferred tensor holds: zeros; x − μ or (x − μ)² (μ per channel, over the last axis); a batch-norm
 * output; a ReLU gradient dy·step(y); an NHWC tensor zero-padded in height and width ('padded'); float32
 * values of bf16 storage ('bf16'); or any other deferred computation ('deferred').
 */
export type LazyKind = 'zeros' | 'centered' | 'squaredCentered' | 'normalized' | 'reluGrad' | 'padded' | 'bf16' | 'deferred';

interface LazyEntry {
  kind: LazyKind;
  sources: TensorInfo[];
  materialized: boolean;
  // What fusing kernels need to compute from the sources directly (e.g. batch-norm parameters).
  detail: unknown;
}

/** Free memory the pool may keep even when little is in use (FIXCLF_ONEDNN_POOL_MB, default 256). */
function minimumPoolBytes(): number {
  const mb = Number(process.env.FIXCLF_ONEDNN_POOL_MB ?? 256);
  return (Number.isFinite(mb) && mb >= 0 ? mb : 256) * 1024 * 1024;
}

export class OneDnnBackend extends MathBackendCPU {
  readonly pool = new BufferPool((bytes) => native.allocate(bytes), minimumPoolBytes());
  /** bf16 copies of tensors for the kernels that run in bf16, per dataId (see bf16-shadows.ts). */
  readonly bf16 = new Bf16Shadows(this.pool);
  private readonly lazy = new WeakMap<DataId, LazyEntry>();
  // Deferred tensors still holding their sources (only forced disposal of a source needs to find them:
  // one map entry per deferred tensor costs less than a set of dependents per source).
  private readonly holding = new Map<DataId, LazyEntry>();
  // dataId → what a kernel attached to it (e.g. the trunk's saved tensors), released with it
  private readonly attachments = new Map<DataId, { value: unknown; release: () => void }>();

  constructor() {
    super();
    // The cpu backend greets its first write in Node with advice to install tfjs-node; not for us.
    silenceCpuFirstUseWarning(this);
  }

  /** A float32 tensor of `shape` with pooled, uninitialised storage for a kernel to fill. */
  makeOutput32(shape: number[]): { info: TensorInfo; values: Float32Array } {
    const values = this.pool.take(sizeOf(shape));
    const dataId = super.write(values, shape, 'float32');
    return { info: { dataId, shape, dtype: 'float32' }, values };
  }

  /**
   * A float32 tensor whose values are computed by `compute` only when something reads them. `sources`
   * stay alive until then. Kernels that understand `kind` (e.g. Mean of a 'squaredCentered' tensor, or
   * Add of 'zeros') use it without ever reading the values: training-mode batch norm's intermediates
   * (x − μ, (x − μ)², and the zero gradients flowing back through them) are never materialised.
   */
  makeLazyOutput32(
    shape: number[],
    kind: LazyKind,
    sources: TensorInfo[],
    compute: (out: Float32Array) => void,
    detail?: unknown,
  ): TensorInfo {
    const dataId = super.write(new Float32Array(0), shape, 'float32');
    const entry: LazyEntry = { kind, sources: [...sources], materialized: false, detail };
    for (const { dataId: source } of entry.sources) this.incRef(source);
    if (entry.sources.length > 0) this.holding.set(dataId, entry);
    const size = sizeOf(shape);
    deferRecordValues(
      cpuDataRecord(this, dataId)!,
      () => {
        const values = this.pool.take(size);
        if (size > 0) compute(values);
        return values;
      },
      () => {
        entry.materialized = true;
        this.releaseSources(dataId, entry);
      },
    );
    this.lazy.set(dataId, entry);
    return { dataId, shape, dtype: 'float32' };
  }

  /** The deferred kind of a tensor ('zeros' stays known after materialisation), or undefined. */
  lazyKind(t: TensorInfo): LazyKind | undefined {
    const entry = this.lazy.get(t.dataId);
    if (entry === undefined) return undefined;
    return entry.kind === 'zeros' || !entry.materialized ? entry.kind : undefined;
  }

  /** The detail a deferred tensor was made with, while it is still deferred. */
  lazyDetail<T>(t: TensorInfo, kind: LazyKind): T | undefined {
    const entry = this.lazy.get(t.dataId);
    return entry !== undefined && !entry.materialized && entry.kind === kind ? (entry.detail as T) : undefined;
  }

  /** The tensors a deferred tensor was defined from, while it is still deferred. */
  lazySources(t: TensorInfo): TensorInfo[] | undefined {
    const entry = this.lazy.get(t.dataId);
    return entry !== undefined && !entry.materialized ? entry.sources : undefined;
  }

  private releaseSources(dataId: DataId, entry: LazyEntry): void {
    this.holding.delete(dataId);
    for (const { dataId: source } of entry.sources) {
      // The engine may already have let go of the source; if this was the last reference, tell it.
      if (this.disposeData(source)) removeEngineDataId(source, this);
    }
    entry.sources = [];
  }

  /** A deferred all-zeros float32 tensor: a gradient known to vanish. */
  makeZeros32(shape: number[]): TensorInfo {
    return this.makeLazyOutput32(shape, 'zeros', [], (out) => out.fill(0));
  }

  /** `t` under a new tensor, sharing its storage (as the cpu Identity kernel does). */
  share(t: TensorInfo): TensorInfo {
    this.incRef(t.dataId);
    return { dataId: t.dataId, shape: [...t.shape], dtype: t.dtype };
  }

  /**
   * The values of a float32 tensor as a Float32Array: its storage, or a converted copy when the cpu
   * backend's Cast shares an int32/bool tensor's storage under the float32 dtype (it does, as no precision
   * is lost).
   */
  float32(t: TensorInfo): Float32Array {
    const values = cpuDataRecord(this, t.dataId)?.values;
    if (values instanceof Float32Array) return values;
    if (ArrayBuffer.isView(values)) return Float32Array.from(values as unknown as ArrayLike<number>);
    throw new Error(`onednn backend: a ${t.dtype} tensor of shape [${t.shape}] has no numeric storage.`);
  }

  /**
   * A float32 tensor whose storage is bf16 (pooled, two values per element of `bf16`, for a kernel to
   * fill): what bf16 mode's convolutions and batch-norm passes write. Its float32 values are made from
   * the bf16 ones if something reads them; bf16-aware kernels read `bf16Backed(t)` instead.
   */
  makeBf16Output(shape: number[]): { info: TensorInfo; bf16: Float32Array } {
    const bf16 = this.pool.take(Math.ceil(sizeOf(shape) / 2));
    const info = this.makeLazyOutput32(shape, 'bf16', [], (out) => native.fromBf16(bf16, out));
    this.bf16.adopt(info.dataId, bf16);
    return { info, bf16 };
  }

  /**
   * makeBf16Output whose bf16 values are computed by `fill` only when a kernel asks for them (bf16Backed)
   * or something reads the float32 values; `sources` stay alive until then. Until then it is also a
   * deferred tensor of `kind` with `detail` (e.g. a ReLU gradient that a batch-norm gradient applies on
   * the fly without ever computing it).
   */
  makeLazyBf16Output(
    shape: number[],
    sources: TensorInfo[],
    fill: (bf16: Float32Array) => void,
    kind: LazyKind = 'bf16',
    detail?: unknown,
  ): TensorInfo {
    const size = sizeOf(shape);
    const compute = () => {
      const bf16 = this.pool.take(Math.ceil(size / 2));
      fill(bf16);
      // Computed: the sources are no longer needed (the float32 values come from the bf16 ones), nor is
      // what the kind promised about them.
      const entry = this.lazy.get(info.dataId);
      if (entry !== undefined) {
        this.releaseSources(info.dataId, entry);
        entry.kind = 'bf16';
        entry.detail = undefined;
      }
      return bf16;
    };
    const info = this.makeLazyOutput32(shape, kind, sources, (out) => native.fromBf16(this.bf16.exact(info.dataId)!, out), detail);
    this.bf16.adoptDeferred(info.dataId, compute);
    return info;
  }

  /** The bf16 storage of a tensor made by makeBf16Output (its exact values), or undefined. */
  bf16Backed(t: TensorInfo): Float32Array | undefined {
    return this.bf16.exact(t.dataId);
  }

  /**
   * A float32 tensor's values for a kernel that reads either precision: its bf16 storage when it has one
   * (bf16: true), else its float32 values.
   */
  activation(t: TensorInfo): { values: Float32Array; bf16: boolean } {
    const bf16 = this.bf16.exact(t.dataId);
    return bf16 !== undefined ? { values: bf16, bf16: true } : { values: this.float32(t), bf16: false };
  }

  /**
   * A float32 tensor's values as bf16 (two per element of the array): its bf16 storage, or a copy converted
   * once per tensor.
   */
  bf16Values(t: TensorInfo): Float32Array {
    return this.bf16.exact(t.dataId) ?? this.bf16.values(t.dataId, this.float32(t));
  }

  /** Its float32 values, or null when it is bf16-backed (for kernels given the bf16 values instead). */
  float32Unless16(t: TensorInfo): Float32Array | null {
    return this.bf16.exact(t.dataId) !== undefined ? null : this.float32(t);
  }

  /** The key under which the addon caches this filter's converted copies (see bf16-shadows.ts). */
  bf16WeightKey(t: TensorInfo): number {
    return this.bf16.weightKey(t.dataId);
  }

  /**
   * Attaches `value` to a tensor: a kernel's state that later kernels find by the tensor
   * (attachment(t)), `release`d when the tensor's storage goes.
   */
  attach(dataId: DataId, value: unknown, release: () => void): void {
    this.attachments.set(dataId, { value, release });
  }

  /** What was attached to `t`, while its storage lives. */
  attachment<T>(t: TensorInfo): T | undefined {
    return this.attachments.get(t.dataId)?.value as T | undefined;
  }

  /** Disposes a tensor this backend's code made for itself (no engine tensor wraps it). */
  disposeOwn(t: TensorInfo): void {
    if (this.disposeData(t.dataId)) removeEngineDataId(t.dataId, this);
  }

  /** The storage of `dataId` was rewritten in place: copies derived from it are stale. */
  storageChanged(dataId: DataId): void {
    this.bf16.drop(dataId);
  }

  /**
   * One SGD step in PyTorch's semantics over every variable, in one native call (see fusedSgdUpdate in
   * index.ts). A method, so that code which does not import this package (@fixclf/train's SGD) finds it
   * on the active backend.
   */
  fusedSgdUpdate(
    variables: readonly Variable[],
    gradients: readonly Tensor[],
    buffers: readonly (Variable | null)[],
    options: FusedSgdOptions,
  ): (Variable | null)[] {
    return fusedSgdUpdateOn(this, variables, gradients, buffers, options);
  }

  // Values arriving from outside (tf.tensor, cpu kernels, views of pooled arrays) may be shared; a
  // pooled array stored a second time must no longer be recycled.
  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    this.pool.markEscaped(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    this.pool.markEscaped(values);
    this.bf16.drop(dataId);
    super.move(dataId, values, shape, dtype, refCount);
  }

  // dataSync()/data() hand the storage itself to the caller, who may keep it past dispose.
  override readSync(dataId: DataId): BackendValues {
    const values = super.readSync(dataId);
    this.pool.markEscaped(values);
    return values;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const record = cpuDataRecord(this, dataId);
    if (record === undefined) return super.disposeData(dataId, force);
    // Forced disposal (moving data to another backend) must not pull the rug from deferred tensors.
    if (force) {
      const dependents = [...this.holding].filter(([, entry]) => entry.sources.some((source) => source.dataId === dataId));
      for (const [dependent] of dependents) void cpuDataRecord(this, dependent)?.values;
    }
    const released = super.disposeData(dataId, force);
    if (!hasCpuDataRecord(this, dataId)) {
      this.bf16.drop(dataId);
      const attachment = this.attachments.get(dataId);
      if (attachment !== undefined) {
        this.attachments.delete(dataId);
        attachment.release();
      }
      const entry = this.lazy.get(dataId);
      if (entry !== undefined && !entry.materialized) this.releaseSources(dataId, entry);
      else this.pool.release(record.values);
    }
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
    this.bf16.clear();
    this.pool.evict(0);
    native.clearCaches();
  }

  override dispose(): void {
    this.releaseMemory();
    super.dispose();
  }
}

function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}
