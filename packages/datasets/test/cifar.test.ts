import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatasetError, openDataset } from '../src/index';
import { mulberry32 } from '../src/random';
import { CIFAR100_COARSE_CLASSES, CIFAR100_FINE_CLASSES, CIFAR10_CLASSES } from '../src/sources/cifar-format';
import { encodeCifarRecords, writeCifarDirectory, type CifarRecords } from '../src/sources/cifar-writer';
import { failure as openingFailure } from './support/failure';
import { temporaryDirectory } from './support/temp';

const temp = temporaryDirectory();
afterAll(temp.cleanup);

function records(count: number, classes: number, seed: number): CifarRecords & { labels: number[] } {
  const random = mulberry32(seed);
  return {
    images: Uint8Array.from({ length: count * 3072 }, () => Math.floor(random() * 256)),
    labels: Array.from({ length: count }, () => Math.floor(random() * classes)),
    coarseLabels: Array.from({ length: count }, () => Math.floor(random() * 20)),
  };
}

const loose = { checkOfficialSizes: false, workers: 0 } as const;

describe('CIFAR binary format', () => {
  it('the writer lays out label byte(s), then the red, green and blue planes', () => {
    const images = new Uint8Array(3072);
    images[0] = 11; // pixel (0,0) R
    images[1] = 22; // pixel (0,0) G
    images[2] = 33; // pixel (0,0) B
    images[3 * 33] = 44; // pixel (1,1) R: row 1, column 1 → plane offset 33
    const ten = encodeCifarRecords('cifar10', { images, labels: [7] });
    expect(ten.length).toBe(3073);
    expect([ten[0], ten[1], ten[1 + 1024], ten[1 + 2048], ten[1 + 33]]).toEqual([7, 11, 22, 33, 44]);
    const hundred = encodeCifarRecords('cifar100', { images, labels: [99], coarseLabels: [19] });
    expect(hundred.length).toBe(3074);
    expect([hundred[0], hundred[1], hundred[2], hundred[2 + 1024]]).toEqual([19, 99, 11, 22]);
  });

  it('reads back exactly what was written (CIFAR-10, train and test, HWC pixels)', async () => {
    const train = records(50, 10, 1);
    const test = records(20, 10, 2);
    const dir = writeCifarDirectory(path.join(temp.dir, 'c10'), 'cifar10', { train, test });
    const ds = await openDataset(dir, { ...loose, split: 'train' });
    expect(ds.size).toBe(50);
    expect(ds.classNames).toEqual([...CIFAR10_CLASSES]);
    expect(Array.from(ds.labels)).toEqual(train.labels);
    for (const i of [0, 17, 49])
      expect(Array.from((await ds.readImage(i)).data)).toEqual(Array.from(train.images.subarray(i * 3072, (i + 1) * 3072)));
    const t = await openDataset(dir, { ...loose, split: 'test' });
    expect(Array.from(t.labels)).toEqual(test.labels);
    // Five training files, split as evenly as the count allows.
    expect(statSync(path.join(dir, 'data_batch_5.bin')).size).toBe(10 * 3073);
  });

  it('CIFAR-100 gives fine labels by default and coarse ones on request', async () => {
    const train = records(30, 100, 3);
    const dir = writeCifarDirectory(path.join(temp.dir, 'c100'), 'cifar100', { train, test: records(5, 100, 4) });
    const fine = await openDataset(dir, loose);
    expect(fine.numClasses).toBe(100);
    expect(fine.classNames).toEqual([...CIFAR100_FINE_CLASSES]);
    expect(Array.from(fine.labels)).toEqual(train.labels);
    const coarse = await openDataset(dir, { ...loose, label: 'coarse' });
    expect(coarse.classNames).toEqual([...CIFAR100_COARSE_CLASSES]);
    expect(Array.from(coarse.labels)).toEqual(train.coarseLabels);
  });

  it('a directory holding the release directory (like the cache) is read through', async () => {
    const root = path.join(temp.dir, 'cache-like');
    writeCifarDirectory(path.join(root, 'cifar-10-batches-bin'), 'cifar10', { train: records(10, 10, 5), test: records(10, 10, 6) });
    expect((await openDataset(root, loose)).size).toBe(10);
  });
});

describe('bad CIFAR files fail with the file named', () => {
  function writeSet(name: string): string {
    return writeCifarDirectory(path.join(temp.dir, name), 'cifar10', { train: records(25, 10, 7), test: records(5, 10, 8) });
  }

  const failure = (dir: string, options = {}): Promise<DatasetError> => openingFailure(() => openDataset(dir, { ...loose, ...options }));

  it('a truncated file (not a whole number of records)', async () => {
    const dir = writeSet('truncated');
    const file = path.join(dir, 'data_batch_3.bin');
    writeFileSync(file, readFileSync(file).subarray(0, 3073 * 2 + 1000));
    const error = await failure(dir);
    expect(error.code).toBe('CIFAR_SIZE');
    expect(error.file).toBe(file);
    expect(error.message).toContain(`${file} is truncated or corrupt: 7146 bytes is not a whole number of 3073-byte cifar10 records`);
  });

  it('a file cut at a record boundary, caught by the official record count', async () => {
    const dir = writeSet('official');
    const error = await failure(dir, { checkOfficialSizes: true });
    expect(error.message).toContain(
      `${path.join(dir, 'data_batch_1.bin')} holds 5 records (15365 bytes); the official file holds 10000 (30730000 bytes)`,
    );
  });

  it('a label out of range (CIFAR-10, and CIFAR-100 coarse)', async () => {
    const dir = writeSet('label');
    const file = path.join(dir, 'data_batch_2.bin');
    const bytes = readFileSync(file);
    bytes[3073 * 3] = 10; // record 3 of this file
    writeFileSync(file, bytes);
    const error = await failure(dir);
    expect(error.code).toBe('CIFAR_LABEL');
    expect(error.message).toContain(`${file}, record 3: label 10 is out of range 0…9`);

    const r = { ...records(4, 100, 9), coarseLabels: [1, 2, 20, 3] };
    const dir100 = writeCifarDirectory(path.join(temp.dir, 'label100'), 'cifar100', { train: r, test: records(1, 100, 10) });
    expect((await failure(dir100)).message).toContain('train.bin, record 2: coarse label 20 is out of range 0…19');
  });

  it('a missing file, an empty file and a wrong class list', async () => {
    const dir = writeSet('missing');
    const gone = path.join(dir, 'data_batch_4.bin');
    const { rmSync } = await import('node:fs');
    rmSync(gone);
    expect((await failure(dir)).message).toContain(`${gone} is missing`);
    const emptyDir = writeSet('empty');
    writeFileSync(path.join(emptyDir, 'test_batch.bin'), '');
    expect((await failure(emptyDir, { split: 'test' })).message).toContain('test_batch.bin is truncated or corrupt: 0 bytes');
    const metaDir = writeSet('meta');
    writeFileSync(path.join(metaDir, 'batches.meta.txt'), 'cat\ndog\n');
    expect((await failure(metaDir)).message).toContain('batches.meta.txt lists 2 class names; cifar10 has 10');
  });
});
