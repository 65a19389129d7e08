import buffer from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/**
 * Where a dataset's images live. Every variant is plain data whose large arrays sit on SharedArrayBuffers,
 * so worker threads receive it once and read the same memory the main thread filled.
 */
export type ImageStore = PixelStore | EncodedStore | FileStore | TarStore;

/** Decoded, equally sized RGB images back to back (CIFAR, synthetic): HWC, 8 bits. */
export interface PixelStore {
  readonly kind: 'pixels';
  readonly count: number;
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  /** Names for messages, e.g. 'data_batch_1.bin' records; index i → `${label}#${i}`. */
  readonly label: string;
}

/** Encoded images (JPEG/PNG) held in memory: image i is bytes[offsets[i], offsets[i+1]). */
export interface EncodedStore {
  readonly kind: 'encoded';
  readonly count: number;
  readonly bytes: Uint8Array;
  readonly offsets: Float64Array;
  readonly names: SharedNames;
  /** For small images of one size: their pixels, filled as each is first decoded (by any thread). */
  readonly decoded?: DecodedCache;
}

/**
 * Decoded pixels of equally sized small images (CIFAR as JPEGs: 50,000 × 3,072 bytes), so an image is
 * decoded once, not once per epoch. ready[i] is set (atomically, after the pixels) when image i is in.
 */
export interface DecodedCache {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly ready: Uint8Array;
}

/** One file per image, read when needed (folders too large to hold in memory). */
export interface FileStore {
  readonly kind: 'files';
  readonly count: number;
  readonly names: SharedNames;
}

/** Members of an uncompressed tar read in place at their offsets (archives too large to hold in memory). */
export interface TarStore {
  readonly kind: 'tar';
  readonly count: number;
  readonly archive: string;
  readonly offsets: Float64Array;
  readonly sizes: Float64Array;
  readonly names: SharedNames;
}

/**
 * Strings in shared memory, UTF-8 back to back: string i is bytes[ends[i − 1], ends[i]). Worker threads
 * get them with the store, without a copy: ImageNet's 1.28 M paths as an array of strings were ~90 MB
 * copied into every decode worker (1.35 GB with 15 workers) and ~1 s of the main thread's time each.
 */
export interface SharedNames {
  readonly bytes: Uint8Array;
  readonly ends: Float64Array;
}

export function sharedNames(names: readonly string[]): SharedNames {
  let total = 0;
  for (const name of names) total += Buffer.byteLength(name, 'utf8');
  const bytes = sharedBytes(total);
  const ends = sharedFloat64(names.length);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = 0;
  names.forEach((name, i) => {
    at += view.write(name, at, 'utf8');
    ends[i] = at;
  });
  return { bytes, ends };
}

export function nameAt(names: SharedNames, index: number): string {
  const start = index === 0 ? 0 : names.ends[index - 1]!;
  const end = names.ends[index]!;
  return Buffer.from(names.bytes.buffer, names.bytes.byteOffset + start, end - start).toString('utf8');
}

/** The name of sample i in messages: a file path, or `archive:member`. */
export function sampleName(store: ImageStore, index: number): string {
  return store.kind === 'pixels' ? `${store.label}#${index}` : nameAt(store.names, index);
}

/**
 * The most bytes one in-memory store may hold: its images sit in one shared buffer, whose length V8
 * caps (4 GiB on Node 20, far more from Node 22). Above it, packing a split of more (ImageNet's 6.3 GB
 * val/, on a machine with 32 GB of RAM) failed with "Invalid typed array length"; it is read from disk instead.
 */
export const MAX_IN_MEMORY_BYTES = buffer.constants.MAX_LENGTH;

/** Allocates shared memory, falling back to ordinary memory where SharedArrayBuffer is unavailable. */
export function sharedBytes(length: number): Uint8Array {
  return typeof SharedArrayBuffer === 'function' ? new Uint8Array(new SharedArrayBuffer(length)) : new Uint8Array(length);
}

export function sharedFloat64(length: number): Float64Array {
  return typeof SharedArrayBuffer === 'function' ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

/** Reads encoded sample bytes; keeps one descriptor open per tar archive for the life of the reader. */
export class EncodedReader {
  private tarFd: number | undefined;

  constructor(private readonly store: EncodedStore | FileStore | TarStore) {}

  read(index: number): Uint8Array {
    const store = this.store;
    switch (store.kind) {
      case 'encoded':
        return store.bytes.subarray(store.offsets[index]!, store.offsets[index + 1]!);
      case 'files':
        return readFileSync(nameAt(store.names, index));
      case 'tar': {
        this.tarFd ??= openSync(store.archive, 'r');
        const size = store.sizes[index]!;
        const out = Buffer.allocUnsafe(size);
        const got = readSync(this.tarFd, out, 0, size, store.offsets[index]!);
        if (got !== size) throw new Error(`archive ended after ${got} of ${size} bytes`);
        return out;
      }
    }
  }

  close(): void {
    if (this.tarFd !== undefined) closeSync(this.tarFd);
    this.tarFd = undefined;
  }
}
