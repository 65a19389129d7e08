// Recycles the Float32Arrays that hold tensors. A training step allocates the same few hundred
// activation-sized arrays every step; fresh memory costs a page fault per 4 KiB (an 8 MiB array takes
// ~0.8 ms to fault in, more than the kernel that fills it) and waits for the garbage collector to be
// returned. Arrays come back here the moment TF.js disposes their tensor, and go out again unzeroed.
//
// An array is recycled only while no one else can see it: once its values escape the backend
// (dataSync/data, or a view of it stored under a second tensor) it is left to the garbage collector.

export interface PoolStats {
  /** Bytes of pooled arrays currently holding tensors. */
  inUseBytes: number;
  /** Bytes of arrays waiting in the pool for reuse. */
  freeBytes: number;
  /** The most bytes ever in use at once. */
  peakInUseBytes: number;
  /** Arrays handed out that had to be freshly allocated. */
  allocations: number;
  /** Arrays handed out from the pool. */
  reuses: number;
}

interface Ownership {
  escaped: boolean;
  inPool: boolean;
}

/** Free arrays unused for this long are dropped: they belong to shapes the program no longer uses. */
const IDLE_MS = 30_000;

export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  // Insertion order = age, for eviction; the value is when the array came back.
  private readonly freeOrder = new Map<Float32Array, number>();
  private readonly owned = new WeakMap<ArrayBufferLike, Ownership>();
  private stats: PoolStats = { inUseBytes: 0, freeBytes: 0, peakInUseBytes: 0, allocations: 0, reuses: 0 };

  /**
   * @param allocate returns an ArrayBuffer of the given byte length (contents undefined)
   * @param minCapacityBytes the pool may keep this much free memory, and beyond it twice the peak in use:
   *   arrays are matched by exact length, so a step whose many shapes peak at different moments (a
   *   DenseNet) needs more than its peak to reuse everything; capping at the peak made it reallocate
   *   hundreds of arrays every step
   */
  constructor(
    private readonly allocate: (byteLength: number) => ArrayBuffer,
    private readonly minCapacityBytes: number,
  ) {}

  /** An array of `length` floats with undefined contents; the caller must overwrite all of it. */
  take(length: number): Float32Array {
    const list = this.free.get(length);
    let array = list?.pop();
    if (array !== undefined) {
      this.freeOrder.delete(array);
      this.stats.freeBytes -= array.byteLength;
      this.owned.get(array.buffer)!.inPool = false;
      this.stats.reuses++;
    } else {
      array = new Float32Array(this.allocate(length * 4), 0, length);
      this.owned.set(array.buffer, { escaped: false, inPool: false });
      this.stats.allocations++;
    }
    this.stats.inUseBytes += array.byteLength;
    if (this.stats.inUseBytes > this.stats.peakInUseBytes) this.stats.peakInUseBytes = this.stats.inUseBytes;
    return array;
  }

  /** Whether `values` lives in memory this pool handed out. */
  owns(values: unknown): boolean {
    return ArrayBuffer.isView(values) && this.owned.has(values.buffer);
  }

  /**
   * Whether `values` is pooled memory that holds a tensor and has never been visible outside the backend:
   * memory the backend may rewrite in place when the one tensor holding it changes (optimizer updates).
   */
  isPrivate(values: unknown): boolean {
    if (!(values instanceof Float32Array)) return false;
    const ownership = this.owned.get(values.buffer);
    return ownership !== undefined && !ownership.escaped && !ownership.inPool && values.byteOffset === 0;
  }

  /** `values` is now visible outside the backend: never recycle its memory. */
  markEscaped(values: unknown): void {
    if (!ArrayBuffer.isView(values)) return;
    const ownership = this.owned.get(values.buffer);
    if (ownership !== undefined && !ownership.escaped) {
      ownership.escaped = true;
      this.stats.inUseBytes -= values.buffer.byteLength;
    }
  }

  /** The tensor holding `values` was disposed. */
  release(values: unknown): void {
    if (!(values instanceof Float32Array)) return;
    const ownership = this.owned.get(values.buffer);
    if (ownership === undefined || ownership.escaped || ownership.inPool) return;
    ownership.inPool = true;
    this.stats.inUseBytes -= values.byteLength;
    let list = this.free.get(values.length);
    if (list === undefined) {
      list = [];
      this.free.set(values.length, list);
    }
    list.push(values);
    const now = performance.now();
    this.freeOrder.set(values, now);
    this.stats.freeBytes += values.byteLength;
    this.evict(Math.max(this.minCapacityBytes, 2 * this.stats.peakInUseBytes), now - IDLE_MS);
  }

  /** Drops free arrays, oldest first, until at most `capacityBytes` remain and none came back before `idleSince`. */
  evict(capacityBytes = 0, idleSince = -Infinity): void {
    for (const [array, releasedAt] of this.freeOrder) {
      if (this.stats.freeBytes <= capacityBytes && releasedAt >= idleSince) break;
      this.freeOrder.delete(array);
      const list = this.free.get(array.length)!;
      list.splice(list.indexOf(array), 1);
      if (list.length === 0) this.free.delete(array.length);
      this.owned.get(array.buffer)!.escaped = true;
      this.stats.freeBytes -= array.byteLength;
    }
  }

  snapshot(): PoolStats {
    return { ...this.stats };
  }
}
