// bf16 copies of tensors for the kernels that run in bf16 (see precision.ts), kept per TF.js dataId.
//
// Why by dataId: a TF.js tensor's values never change. Variables change by taking a new dataId
// (Variable.assign), so a copy made for one dataId is valid for as long as that dataId lives, and a
// dataId is never reused. The only writes into existing storage are the backend's own in-place optimizer
// updates (fusedSgdUpdate, tf.train's optimizers), which drop the copies of what they rewrite, and move()
// (data arriving from another backend). A copy dies with its dataId (disposeData).
//
// A bf16 copy may also be a tensor's storage itself: in bf16 mode a convolution's output and the batch-norm
// passes' outputs are written as bf16 only (as torch.autocast keeps them); their float32 values are made
// from it if something reads them (backend.makeBf16Output). Such storage is exact: a kernel may read it in
// place of the float32 values. It goes with its dataId like any copy, and clear() leaves it alone.
//
// Two kinds of copy:
// - activations, gradients and matmul operands: a plain bf16 copy of the storage in a pooled buffer (two
//   bf16 values per float32 slot), made by the first kernel that needs it: a convolution's input is
//   converted once for the forward pass and reused by the filter gradient, an output gradient once for
//   the input and the filter gradients;
// - convolution filters: the addon keeps them in the blocked layouts its primitives want, under a key
//   this class hands out per dataId. The forward and the backward-data convolution of a step use one
//   weight version: it is converted from float32 once and the second layout is reordered from the first.
//   Keys are never reused, so a stale key can never be hit; dropped keys are forgotten in batches.
import type { DataId } from '@tensorflow/tfjs-core';

import type { BufferPool } from './buffer-pool';
import { native } from './native';

interface Shadow {
  key: number;
  /** The plain bf16 copy, once made. */
  values?: Float32Array;
  /** Whether `values` is the tensor's storage (its float32 values are made from it), not a rounded copy. */
  exact?: boolean;
  /** Computes that storage, for a tensor whose bf16 values are themselves deferred. */
  pending?: (() => Float32Array) | undefined;
  /** Whether the addon may hold converted filters under `key`. */
  keyed: boolean;
}

// One addon cache for every backend instance: keys are unique across them.
let nextKey = 1;

/** Forgotten keys are passed to the addon in batches of this many (or before the next key is used). */
const FORGET_BATCH = 256;

export class Bf16Shadows {
  private readonly entries = new Map<DataId, Shadow>();
  private forgotten: number[] = [];

  constructor(private readonly pool: BufferPool) {}

  /** A bf16 copy of `f32`, the storage of `dataId`: made on first use, kept while the dataId lives. */
  values(dataId: DataId, f32: Float32Array): Float32Array {
    const entry = this.entry(dataId);
    if (entry.values === undefined) {
      const copy = this.pool.take(Math.ceil(f32.length / 2));
      if (f32.length > 0) native.toBf16(f32, copy);
      entry.values = copy;
    }
    return entry.values;
  }

  /** Makes `values` (bf16, pooled) the storage of `dataId`, which has no other values yet. */
  adopt(dataId: DataId, values: Float32Array): void {
    const entry = this.entry(dataId);
    if (entry.values !== undefined) throw new Error('onednn backend: a bf16-backed tensor already had a bf16 copy.');
    entry.values = values;
    entry.exact = true;
  }

  /** Makes the bf16 values `compute` returns (pooled) the storage of `dataId`, computed when first asked for. */
  adoptDeferred(dataId: DataId, compute: () => Float32Array): void {
    const entry = this.entry(dataId);
    if (entry.values !== undefined) throw new Error('onednn backend: a bf16-backed tensor already had a bf16 copy.');
    entry.exact = true;
    entry.pending = compute;
  }

  /** The bf16 storage of a bf16-backed tensor (exact values; computed now if deferred), or undefined. */
  exact(dataId: DataId): Float32Array | undefined {
    const entry = this.entries.get(dataId);
    if (entry?.exact !== true) return undefined;
    if (entry.pending !== undefined) {
      const compute = entry.pending;
      entry.pending = undefined;
      entry.values = compute();
    }
    return entry.values;
  }

  /** The key under which the addon caches converted copies of this filter version (never reused). */
  weightKey(dataId: DataId): number {
    this.flush();
    const entry = this.entry(dataId);
    entry.keyed = true;
    return entry.key;
  }

  /** `dataId` was disposed, or its storage rewritten in place: its copies are stale. */
  drop(dataId: DataId): void {
    const entry = this.entries.get(dataId);
    if (entry === undefined) return;
    this.entries.delete(dataId);
    if (entry.values !== undefined) this.pool.release(entry.values);
    if (entry.keyed) {
      this.forgotten.push(entry.key);
      if (this.forgotten.length >= FORGET_BATCH) this.flush();
    }
  }

  /** Whether `dataId` has a copy of either kind. */
  has(dataId: DataId): boolean {
    return this.entries.has(dataId);
  }

  /** Passes forgotten keys to the addon, which frees their converted filters. */
  flush(): void {
    if (this.forgotten.length === 0) return;
    native.forgetBf16Weights(this.forgotten);
    this.forgotten = [];
  }

  /** Frees every copy (the backend's releaseMemory and dispose); bf16 storage stays with its tensor. */
  clear(): void {
    for (const [dataId, entry] of [...this.entries]) if (entry.exact !== true) this.drop(dataId);
    this.flush();
  }

  private entry(dataId: DataId): Shadow {
    let entry = this.entries.get(dataId);
    if (entry === undefined) {
      entry = { key: nextKey++, keyed: false };
      this.entries.set(dataId, entry);
    }
    return entry;
  }
}
