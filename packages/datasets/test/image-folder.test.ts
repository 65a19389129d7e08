import buffer from 'node:buffer';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDataset, randomCrop, type ArrayBatch, type Dataset } from '../src/index';
import { sharedBytes } from '../src/image-store';
import { effectiveMemoryLimit } from '../src/resolve-source';
import { batchesDiffer, encodeJpeg, encodeJpegWithSharp, encodePng, meanAbsDiff, testPixels } from './support/images';
import { systemTar } from './support/tar';
import { failure } from './support/failure';
import { temporaryDirectory } from './support/temp';

const temp = temporaryDirectory();
afterAll(temp.cleanup);

/** Writes files (relative path → bytes) under a new directory. */
function writeTree(name: string, files: Record<string, Uint8Array | string>): string {
  const root = path.join(temp.dir, name);
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), bytes);
  }
  return root;
}

const pixels = (seed: number, w = 32, h = 32) => testPixels(w, h, seed);

let good: Record<string, Uint8Array | string>;
beforeAll(async () => {
  good = {
    'cat/b.jpg': encodeJpeg(pixels(1), 32, 32),
    'cat/a.jpg': encodeJpeg(pixels(2), 32, 32),
    'cat/c.jpeg': encodeJpeg(pixels(3), 32, 32),
    'ant/1.png': await encodePng(pixels(4), 32, 32),
    'ant/2.png': await encodePng(pixels(5), 32, 32),
    'bee/sub/x.jpg': encodeJpeg(pixels(6), 32, 32),
    'bee/y.JPG': encodeJpeg(pixels(7), 32, 32),
    'cat/.DS_Store': 'junk the finder leaves',
    'README.txt': 'files beside the classes are ignored, as ImageFolder does',
  };
});

async function allBatches(ds: Dataset, options = {}): Promise<ArrayBatch[]> {
  const out: ArrayBatch[] = [];
  for await (const b of ds.arrays({ batchSize: 3, seed: 5, ...options })) out.push(b);
  return out;
}

describe('ImageFolder directories and archives', () => {
  it('sorts classes, labels files by class, ignores hidden and top-level files', async () => {
    const root = writeTree('plain', good);
    const ds = await openDataset(root, { workers: 0 });
    expect(ds.classNames).toEqual(['ant', 'bee', 'cat']);
    expect(ds.size).toBe(7);
    expect(Array.from(ds.labels)).toEqual([0, 0, 1, 1, 2, 2, 2]);
    const files = await Promise.all(Array.from({ length: 7 }, async (_, i) => path.relative(root, (await ds.readImage(i)).file)));
    expect(files).toEqual(['ant/1.png', 'ant/2.png', 'bee/sub/x.jpg', 'bee/y.JPG', 'cat/a.jpg', 'cat/b.jpg', 'cat/c.jpeg']);
    // Pixels: PNG exactly, JPEG within compression error.
    expect(Array.from((await ds.readImage(0)).data)).toEqual(Array.from(pixels(4)));
    expect(meanAbsDiff((await ds.readImage(4)).data, pixels(2))).toBeLessThan(4);
    // 32×32 uniform images get the CIFAR recipe at their own size.
    expect(ds.imageSize).toEqual([32, 32]);
    expect(ds.preprocessing.train.map((t) => t.type)).toEqual(['randomCrop', 'randomHorizontalFlip', 'normalize']);
  });

  it('a .tar and a .tar.gz with a top-level train/ directory give the same batches as the directory, in threads or not', async () => {
    const root = writeTree('wrapped/train', good);
    const reference = await allBatches(await openDataset(root, { workers: 0 }));
    const tar = path.join(temp.dir, 'wrapped.tar');
    const gz = path.join(temp.dir, 'wrapped.tar.gz');
    systemTar(tar, path.join(temp.dir, 'wrapped'), ['train']);
    systemTar(gz, path.join(temp.dir, 'wrapped'), ['train'], { gzip: true });
    for (const [source, options] of [
      [tar, { workers: 0 }],
      [gz, { workers: 2 }],
      [path.join(temp.dir, 'wrapped'), { workers: 1 }],
      [root, { workers: 0, memoryLimit: 0 }], // read file by file
      [tar, { workers: 1, memoryLimit: 0 }], // indexed in place
    ] as const) {
      const ds = await openDataset(source, options);
      expect(ds.classNames).toEqual(['ant', 'bee', 'cat']);
      expect(batchesDiffer(await allBatches(ds), reference)).toBeUndefined();
      await ds.close();
    }
  });

  it('the decoded-pixel cache of small images changes nothing: same batches epoch after epoch, threads or not', async () => {
    const root = writeTree('cached', good);
    const plain = await openDataset(root, { workers: 0, cacheDecoded: false });
    const cached = await openDataset(root, { workers: 2 });
    for (const epoch of [0, 1, 2]) {
      expect(batchesDiffer(await allBatches(cached, { epoch }), await allBatches(plain, { epoch }))).toBeUndefined();
    }
    await cached.close();
  });

  it('split directories: train/ for train, val/ (or test/) for test', async () => {
    const root = writeTree('splits', {
      'train/a/1.png': await encodePng(pixels(8), 32, 32),
      'train/b/1.png': await encodePng(pixels(9), 32, 32),
      'train/b/2.png': await encodePng(pixels(10), 32, 32),
      'val/a/1.png': await encodePng(pixels(11), 32, 32),
      'val/b/1.png': await encodePng(pixels(12), 32, 32),
    });
    expect((await openDataset(root, { workers: 0 })).size).toBe(3);
    const test = await openDataset(root, { split: 'test', workers: 0 });
    expect(test.size).toBe(2);
    expect(Array.from((await test.readImage(1)).data)).toEqual(Array.from(pixels(12)));
  });

  it('larger images of mixed sizes get the ImageNet recipe and are decoded with sharp in the workers', async () => {
    const root = writeTree('large', {
      'x/1.jpg': await encodeJpegWithSharp(pixels(13, 120, 90), 120, 90),
      'x/2.jpg': await encodeJpegWithSharp(pixels(14, 90, 130), 90, 130),
      'y/1.png': await encodePng(pixels(15, 100, 100), 100, 100),
    });
    const ds = await openDataset(root, { imageSize: 48, workers: 1 });
    expect(ds.preprocessing.train.map((t) => t.type)).toEqual(['randomResizedCrop', 'randomHorizontalFlip', 'normalize']);
    expect(ds.preprocessing.eval.map((t) => t.type)).toEqual(['resize', 'centerCrop', 'normalize']);
    const [batch] = await allBatches(ds, { augment: true, batchSize: 8 });
    expect(batch!.shape).toEqual([3, 48, 48, 3]);
    expect(Array.from(batch!.x).every(Number.isFinite)).toBe(true);
    await ds.close();
  });
  it('prefetches: while the consumer works, the workers make the next batch', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 24; i++) files[`c${i % 2}/${i}.jpg`] = await encodeJpegWithSharp(pixels(100 + i, 320, 240), 320, 240);
    const ds = await openDataset(writeTree('prefetch', files), { imageSize: 96, workers: 1 });
    const iterator = ds.arrays({ batchSize: 8, prefetch: 2 });
    await iterator.next(); // starts the workers, makes batch 1 and starts batch 2
    await new Promise((resolve) => setTimeout(resolve, 1500)); // "training"
    const start = performance.now();
    const second = await iterator.next();
    const waited = performance.now() - start;
    expect(second.value!.shape).toEqual([8, 96, 96, 3]);
    expect(waited).toBeLessThan(100); // ready: it was made during the pause
    await iterator.return(undefined);
    await ds.close();
  });
});

describe('bad image files', () => {
  it('a non-image file in a class directory fails naming it, or is skipped and counted', async () => {
    const root = writeTree('nonimage', { ...good, 'bee/notes.txt': 'not an image' });
    const error = await failure(() => openDataset(root, { workers: 0 }));
    expect(error.code).toBe('BAD_IMAGE');
    expect(error.file).toBe(path.join(root, 'bee/notes.txt'));
    expect(error.message).toContain('not a JPEG or PNG image');
    const ds = await openDataset(root, { workers: 0, onBadImage: 'skip' });
    expect(ds.size).toBe(7);
    expect(ds.skipped).toEqual([{ file: path.join(root, 'bee/notes.txt'), reason: 'not a JPEG or PNG image' }]);
  });

  it('a truncated JPEG and an unreadable file (dangling link) are named', async () => {
    const jpg = encodeJpeg(pixels(16), 32, 32);
    const root = writeTree('truncated', { ...good, 'ant/3.jpg': jpg.subarray(0, jpg.length - 30) });
    expect((await failure(() => openDataset(root, { workers: 0 }))).message).toContain(`${path.join(root, 'ant/3.jpg')}: truncated JPEG`);
    const linked = writeTree('dangling', good);
    symlinkSync(path.join(linked, 'nowhere.jpg'), path.join(linked, 'cat/link.jpg'));
    const error = await failure(() => openDataset(linked, { workers: 0 }));
    expect(error.file).toBe(path.join(linked, 'cat/link.jpg'));
    expect(error.message).toMatch(/unreadable: ENOENT/);
  });

  it('sorts class names by code point, as Python sorted() (torchvision ImageFolder) does', async () => {
    const names = ['😀', 'Ａ', 'café', 'Zebra']; // U+1F600 (two UTF-16 units, D83D DE00), U+FF21, …
    const root = writeTree('unicode', Object.fromEntries(names.map((name, i) => [`${name}/1.jpg`, good[Object.keys(good)[i]!]!])));
    // sorted(['😀', 'Ａ', 'café', 'Zebra']) in Python 3, i.e. by code point:
    const expected = ['Zebra', 'café', 'Ａ', '😀'];
    expect([...names].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!)).toEqual(expected);
    const tar = path.join(temp.dir, 'unicode.tar');
    systemTar(tar, root, ['.']);
    for (const [source, options] of [
      [root, {}],
      [tar, {}],
      [tar, { memoryLimit: 1 }], // indexed in place
    ] as const) {
      const ds = await openDataset(source, { workers: 0, ...options });
      expect(ds.classNames).toEqual(expected);
      const files = await Promise.all(Array.from({ length: ds.size }, async (_, i) => (await ds.readImage(i)).file));
      expect(files.map((f) => f.split(/[/:]/).slice(-2, -1)[0])).toEqual(expected);
    }
  });

  it('an empty class directory, or a class whose files were all skipped, is an error', async () => {
    const root = writeTree('emptyclass', good);
    mkdirSync(path.join(root, 'dog'));
    const error = await failure(() => openDataset(root, { workers: 0 }));
    expect(error.code).toBe('EMPTY_CLASS');
    expect(error.message).toContain(`class directory ${path.join(root, 'dog')} holds no images`);
    const allBad = writeTree('allbad', { ...good, 'dog/a.jpg': 'x', 'dog/b.jpg': 'y' });
    const skipped = await failure(() => openDataset(allBad, { workers: 0, onBadImage: 'skip' }));
    expect(skipped.message).toContain("class 'dog'");
    expect(skipped.message).toContain('no usable images (2 files skipped');
  });

  it('a class whose files are all bad is EMPTY_CLASS also when read from disk, once its last file fails', async () => {
    const root = writeTree('allbad-disk', { ...good, 'dog/a.jpg': 'x', 'dog/b.jpg': 'y' });
    // Held in memory, every file is checked at open.
    const atOpen = await failure(() => openDataset(root, { workers: 0, onBadImage: 'skip' }));
    expect(atOpen.code).toBe('EMPTY_CLASS');
    const tar = path.join(temp.dir, 'allbad-disk.tar');
    systemTar(tar, root, ['.']);
    // Over memoryLimit the files are read when their batch is made: the same error, when the last one fails.
    for (const source of [root, tar]) {
      const where = source;
      const ds = await openDataset(source, { workers: 0, onBadImage: 'skip', memoryLimit: 1 });
      const error = await failure(() => allBatches(ds, { batchSize: 16 }));
      expect({ code: error.code, message: error.message, file: error.file }).toEqual({
        code: 'EMPTY_CLASS',
        message: `class 'dog' in ${where} has no usable images (2 files skipped in all)`,
        file: where,
      });
    }
    expect(atOpen.message).toBe(`class 'dog' in ${root} has no usable images (2 files skipped in all)`);
  });

  it('a broken archive is named', async () => {
    const root = writeTree('tobreak', good);
    const gz = path.join(temp.dir, 'broken.tar.gz');
    systemTar(gz, root, ['.'], { gzip: true });
    writeFileSync(gz, readFileSync(gz).subarray(0, 600));
    const error = await failure(() => openDataset(gz, { workers: 0 }));
    expect(error.code).toBe('BROKEN_ARCHIVE');
    expect(error.file).toBe(gz);
  });

  it('a .tar.gz over the memory limit fails with advice (gzip has no random access)', async () => {
    const gz = path.join(temp.dir, 'big.tar.gz');
    systemTar(gz, writeTree('big', good), ['.'], { gzip: true });
    const error = await failure(() => openDataset(gz, { memoryLimit: 1000, workers: 0 }));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain('uncompressed .tar');
  });

  it('a crop larger than one of the images fails naming that image and its size, in threads or not', async () => {
    const root = writeTree('onesmall', {
      'a/1.jpg': encodeJpeg(pixels(20, 40, 40), 40, 40),
      'a/2.jpg': encodeJpeg(pixels(21, 40, 40), 40, 40),
      'b/3.jpg': encodeJpeg(pixels(22, 24, 24), 24, 24),
      'b/4.jpg': encodeJpeg(pixels(23, 40, 40), 40, 40),
    });
    const small = path.join(root, 'b/3.jpg');
    for (const options of [{ workers: 0 }, { workers: 1 }, { workers: 0, memoryLimit: 0 }]) {
      const ds = await openDataset(root, { ...options, imageSize: 32, augmentation: [randomCrop(32)] });
      const error = await failure(() => allBatches(ds, { shuffle: false, batchSize: 4 }));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.file).toBe(small);
      expect(error.message).toContain(
        `${small} (24×24): randomCrop: crop 32×32 is larger than the padded image 24×24; resize the images first`,
      );
      await ds.close();
    }
  });

  // Worker threads are threads of this process: /proc/self/task lists them (Linux).
  const threadName = existsSync('/proc/self/comm') ? readFileSync('/proc/self/comm', 'utf8').trim() : undefined;
  const threads = (): number =>
    readdirSync('/proc/self/task').filter((task) => {
      try {
        return readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === threadName;
      } catch {
        return false; // ended meanwhile
      }
    }).length;
  (threadName === undefined ? it.skip : it)(
    'a file failing verify "decode" at open stops the worker threads and the decoding still queued',
    async () => {
      const png = Buffer.from(await encodePng(pixels(24), 32, 32));
      const idat = png.indexOf('IDAT');
      for (let i = idat + 10; i < idat + 40; i++) png[i] = 0x55;
      // 1,000 images, four tasks of 256 for two workers; the first image is bad.
      const files: Record<string, Uint8Array> = { 'a/0000.png': png };
      const jpg = encodeJpeg(pixels(25), 32, 32);
      for (let i = 1; i < 1000; i++) files[`${i % 2 ? 'b' : 'a'}/${String(i).padStart(4, '0')}.jpg`] = jpg;
      const root = writeTree('verifystops', files);
      const before = threads();
      const error = await failure(() => openDataset(root, { workers: 2, verify: 'decode' }));
      expect(error.file).toBe(path.join(root, 'a/0000.png'));
      expect(error.message).toContain('cannot decode');
      expect(threads()).toBe(before);
    },
  );

  it('a PNG with corrupt data but intact structure: caught by verify "decode" at open, or when its batch is made', async () => {
    const png = Buffer.from(await encodePng(pixels(17), 32, 32));
    const idat = png.indexOf('IDAT');
    for (let i = idat + 10; i < idat + 40; i++) png[i] = 0x55;
    const root = writeTree('corruptpng', { ...good, 'ant/3.png': png });
    const bad = path.join(root, 'ant/3.png');
    // Passes the structure check at open.
    const ds = await openDataset(root, { workers: 1 });
    const error = await failure(() => allBatches(ds, { shuffle: false, batchSize: 4 }));
    expect(error.file).toBe(bad);
    expect(error.message).toContain('cannot decode');
    await ds.close();
    // Skipped while batching: the batch is one image short and the file is counted.
    const skipping = await openDataset(root, { workers: 0, onBadImage: 'skip' });
    const batches = await allBatches(skipping, { shuffle: false, batchSize: 4 });
    expect(batches.map((b) => b.shape[0])).toEqual([3, 4]);
    expect(batches.map((b) => b.index)).toEqual([0, 1]);
    expect(skipping.skipped.map((s) => s.file)).toEqual([bad]);
    // A batch of the bad image alone is left out; the others keep their place in the epoch.
    const ones = await allBatches(skipping, { shuffle: false, batchSize: 1 });
    const badPosition = Array.from({ length: 8 }, (_, i) => i).find((i) => !ones.some((b) => b.index === i));
    expect(ones.map((b) => b.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].filter((i) => i !== badPosition));
    expect(badPosition).toBeDefined();
    expect(ones.every((b) => b.positions[0] === b.index)).toBe(true);
    // Decoded at open.
    expect((await failure(() => openDataset(root, { workers: 1, verify: 'decode' }))).file).toBe(bad);
    const verified = await openDataset(root, { workers: 0, verify: 'decode', onBadImage: 'skip' });
    expect(verified.size).toBe(7);
    expect(verified.skipped.map((s) => s.file)).toEqual([bad]);
  });
});

describe('memoryLimit', () => {
  it('is at most what one shared buffer holds (4 GiB on Node 20), given or by default (¼ of RAM, ≤ 8 GiB)', () => {
    // The witness: the store's allocator fails one byte beyond, which is what packing a larger split met.
    expect(() => sharedBytes(buffer.constants.MAX_LENGTH + 1)).toThrow(); // "Invalid typed array length" on Node 20
    expect(effectiveMemoryLimit(2 ** 40)).toBe(Math.min(2 ** 40, buffer.constants.MAX_LENGTH)); // 2^53 − 1 from Node 22
    expect(effectiveMemoryLimit(1000)).toBe(1000);
    expect(effectiveMemoryLimit(undefined)).toBe(Math.min(Math.floor(os.totalmem() / 4), 8 * 2 ** 30, buffer.constants.MAX_LENGTH));
  });
});
