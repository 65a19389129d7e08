// `tsc -p packages/datasets` compiles this file with exactOptionalPropertyTypes: a caller's option that may be
// undefined is passed straight through (no TS2379), and undefined means the default.
import {
  DatasetError,
  openDataset,
  randomCrop,
  randomResizedCrop,
  type ArrayBatch,
  type BatchOptions,
  type Dataset,
  type EnsureCifarOptions,
  type OpenDatasetOptions,
} from '../src/index';
import { encodeCifarRecords, generateSynthetic, type DownloadOptions } from '../src/internals';

/** A caller's own options, forwarded to ours: each one possibly undefined. */
interface CallerOptions {
  readonly number?: number | undefined;
  readonly flag?: boolean | undefined;
  readonly text?: string | undefined;
  readonly pair?: readonly [number, number] | undefined;
  readonly labels?: 'onehot' | 'int' | undefined;
  readonly split?: 'train' | 'test' | 'validation' | undefined;
  readonly label?: 'fine' | 'coarse' | undefined;
  readonly onBadImage?: 'error' | 'skip' | undefined;
  readonly verify?: 'structure' | 'decode' | undefined;
  readonly augmentation?: 'cifar' | 'imagenet' | 'none' | undefined;
  readonly coarseLabels?: readonly number[] | undefined;
  readonly progress?: boolean | undefined;
  readonly cause?: unknown;
}

const unset: CallerOptions = {};

const SYNTHETIC = { size: 40, seed: unset.number };

/** Every batch option, undefined. */
const unsetBatchOptions: BatchOptions = {
  batchSize: unset.number,
  shuffle: unset.flag,
  seed: unset.number,
  epoch: unset.number,
  augment: unset.flag,
  dropRemainder: unset.flag,
  startBatch: unset.number,
  labels: unset.labels,
  prefetch: unset.number,
};

async function firstBatch(dataset: Dataset, options: BatchOptions): Promise<ArrayBatch> {
  for await (const batch of dataset.arrays(options)) return batch;
  throw new Error('no batch');
}

describe('options forwarded as undefined (exactOptionalPropertyTypes)', () => {
  it('transforms: padding, scale and ratio undefined are the defaults', () => {
    expect(randomCrop(32, { padding: unset.number })).toEqual(randomCrop(32));
    expect(randomResizedCrop(224, { scale: unset.pair, ratio: unset.pair })).toEqual(randomResizedCrop(224));
  });

  it('openDataset, batches and holdout: every option undefined gives the defaults', async () => {
    const options: OpenDatasetOptions = {
      split: unset.split,
      validation: undefined,
      workers: unset.number,
      verify: unset.verify,
      onBadImage: unset.onBadImage,
      memoryLimit: unset.number,
      cacheDecoded: unset.flag,
      label: unset.label,
      checkOfficialSizes: unset.flag,
      cacheDir: unset.text,
      download: unset.flag,
      progress: unset.progress,
      synthetic: SYNTHETIC,
      imageSize: unset.number,
      augmentation: unset.augmentation,
      evalTransforms: undefined,
      normalization: undefined,
      preprocessing: undefined,
    };
    const forwarded = await openDataset('synthetic', options);
    const plain = await openDataset('synthetic', { synthetic: { size: 40 } });
    try {
      expect(forwarded.split).toBe('train');
      expect(forwarded.size).toBe(plain.size);
      expect(forwarded.preprocessing).toEqual(plain.preprocessing);
      const a = await firstBatch(forwarded, unsetBatchOptions);
      const b = await firstBatch(plain, {});
      expect(a.shape).toEqual([32, 32, 32, 3]);
      expect(a).toEqual(b);
      expect(forwarded.numBatches({ batchSize: unset.number, dropRemainder: unset.flag })).toBe(plain.numBatches());
      const held = forwarded.holdout({ fraction: 0.25, count: unset.number, seed: unset.number, stratify: unset.flag });
      const heldPlain = plain.holdout({ fraction: 0.25 });
      expect(Array.from(held.validation.labels)).toEqual(Array.from(heldPlain.validation.labels));
      expect(held.validation.size).toBe(10);
    } finally {
      await Promise.all([forwarded.close(), plain.close()]);
    }
  });

  it('DatasetError: file and cause undefined are absent', () => {
    const error = new DatasetError('NOT_FOUND', 'gone', { file: unset.text, cause: unset.cause });
    expect(error.file).toBeUndefined();
    expect('cause' in error).toBe(false);
  });

  it('internals: generateSynthetic seed and encodeCifarRecords coarseLabels undefined are the defaults', () => {
    const forwarded = generateSynthetic({ split: 'test', size: 4, seed: unset.number });
    expect(Buffer.from(forwarded.store.data).equals(Buffer.from(generateSynthetic({ split: 'test', size: 4 }).store.data))).toBe(true);
    const records = { images: new Uint8Array(2 * 32 * 32 * 3).fill(7), labels: [3, 99] };
    expect(encodeCifarRecords('cifar100', { ...records, coarseLabels: unset.coarseLabels })).toEqual(
      encodeCifarRecords('cifar100', records),
    );
  });

  it('download options accept forwarded undefined values (checked by tsc)', () => {
    const download: DownloadOptions = {
      url: 'https://example.invalid/a.tar.gz',
      destination: '/tmp/a.tar.gz',
      md5: unset.text,
      size: unset.number,
      onProgress: undefined,
      idleTimeoutMs: unset.number,
    };
    const ensure: EnsureCifarOptions = {
      cacheDir: unset.text,
      download: { url: download.url, md5: unset.text, size: unset.number },
      onProgress: undefined,
    };
    expect(ensure.download).toEqual({ url: download.url, md5: undefined, size: undefined });
  });
});
