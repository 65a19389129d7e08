import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errors';
import {
  CIFAR100_COARSE_CLASSES,
  CIFAR100_FINE_CLASSES,
  CIFAR10_CLASSES,
  CIFAR_LAYOUT,
  CIFAR_PIXELS,
  CIFAR_SIDE,
  cifarRecordBytes,
  type CifarVariant,
} from './cifar-format';

/** Images as 32×32 RGB, HWC interleaved (the layout of every batch), with labels. */
export interface CifarRecords {
  /** count × 32 × 32 × 3 bytes. */
  readonly images: Uint8Array;
  /** CIFAR-10 labels, or CIFAR-100 fine labels. */
  readonly labels: ArrayLike<number>;
  /** CIFAR-100 only: coarse labels (default: 0 for every record). */
  readonly coarseLabels?: ArrayLike<number> | undefined;
}

/**
 * Encodes records in the CIFAR binary format: label byte(s), then the image as planar R, G, B. Labels are
 * written as given (even out of range) so tests can build bad files; only what the format cannot hold fails.
 */
export function encodeCifarRecords(variant: CifarVariant, records: CifarRecords): Uint8Array {
  const count = records.labels.length;
  if (records.images.length !== count * CIFAR_PIXELS) {
    throw invalidArgument(
      `encodeCifarRecords: images holds ${records.images.length} bytes; ${count} labels need ${count * CIFAR_PIXELS} (count × 32 × 32 × 3)`,
    );
  }
  const recordBytes = cifarRecordBytes(variant);
  const labelBytes = recordBytes - CIFAR_PIXELS;
  const out = new Uint8Array(count * recordBytes);
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  for (let i = 0; i < count; i++) {
    const base = i * recordBytes;
    const label = records.labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label > 255)
      throw invalidArgument(`encodeCifarRecords: label ${label} of record ${i} does not fit a byte`);
    if (variant === 'cifar10') out[base] = label;
    else {
      out[base] = records.coarseLabels?.[i] ?? 0;
      out[base + 1] = label;
    }
    const src = i * CIFAR_PIXELS;
    for (let p = 0; p < plane; p++) {
      out[base + labelBytes + p] = records.images[src + 3 * p]!;
      out[base + labelBytes + plane + p] = records.images[src + 3 * p + 1]!;
      out[base + labelBytes + 2 * plane + p] = records.images[src + 3 * p + 2]!;
    }
  }
  return out;
}

function writeAtomically(file: string, bytes: Uint8Array | string): void {
  const temporary = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}

function slice(records: CifarRecords, from: number, to: number): CifarRecords {
  return {
    images: records.images.subarray(from * CIFAR_PIXELS, to * CIFAR_PIXELS),
    labels: Array.prototype.slice.call(records.labels, from, to) as number[],
    ...(records.coarseLabels === undefined ? {} : { coarseLabels: Array.prototype.slice.call(records.coarseLabels, from, to) as number[] }),
  };
}

/**
 * Writes a directory laid out like the official release (CIFAR-10: data_batch_1…5.bin split as evenly as
 * possible, test_batch.bin, batches.meta.txt; CIFAR-100: train.bin, test.bin and the label-name files),
 * each file written under a temporary name and renamed. Returns the directory.
 */
export function writeCifarDirectory(directory: string, variant: CifarVariant, data: { train: CifarRecords; test: CifarRecords }): string {
  mkdirSync(directory, { recursive: true });
  const layout = CIFAR_LAYOUT[variant];
  const trainCount = data.train.labels.length;
  layout.train.forEach((name, i) => {
    const from = Math.floor((trainCount * i) / layout.train.length);
    const to = Math.floor((trainCount * (i + 1)) / layout.train.length);
    writeAtomically(path.join(directory, name), encodeCifarRecords(variant, slice(data.train, from, to)));
  });
  writeAtomically(path.join(directory, layout.test[0]!), encodeCifarRecords(variant, data.test));
  if (variant === 'cifar10') writeAtomically(path.join(directory, 'batches.meta.txt'), `${CIFAR10_CLASSES.join('\n')}\n\n`);
  else {
    writeAtomically(path.join(directory, 'coarse_label_names.txt'), `${CIFAR100_COARSE_CLASSES.join('\n')}\n`);
    writeAtomically(path.join(directory, 'fine_label_names.txt'), `${CIFAR100_FINE_CLASSES.join('\n')}\n`);
  }
  return directory;
}
