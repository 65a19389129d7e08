import path from 'node:path';
import { openDataset } from '../src/index';
import { summarizeSizes } from '../src/sources/typical-size';
import { encodeJpeg, encodeJpegWithSharp, testPixels } from './support/images';
import { temporaryDirectory } from './support/temp';
import { writeTree } from './support/tree';

const temp = temporaryDirectory();
afterAll(temp.cleanup);

/** `count` JPEGs of 32×32 in classes a and b, with the first image of class a replaced by one of oddW×oddH. */
function mostly32(name: string, count: number, oddW: number, oddH: number): string {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) {
    const odd = i === 0;
    const [w, h] = odd ? [oddW, oddH] : [32, 32];
    files[`${i % 2 === 0 ? 'a' : 'b'}/${String(i).padStart(3, '0')}.jpg`] = encodeJpeg(testPixels(w, h, i), w, h, 90);
  }
  return writeTree(path.join(temp.dir, name), files);
}

describe('recipe choice from the typical image size', () => {
  let root: string;
  beforeAll(() => {
    root = mostly32('mostly32', 300, 33, 32); // 299 images of 32×32, one 33×32 (a/000.jpg)
  });

  it('one odd-sized image among 299 of 32×32 keeps the CIFAR recipe at 32×32, and says why', async () => {
    const ds = await openDataset(root, { workers: 0 });
    expect(ds.preprocessing.recipe).toBe('cifar');
    expect(ds.imageSize).toEqual([32, 32]);
    expect(ds.preprocessing.reason).toBe('cifar recipe, 32×32 batches: images are typically 32×32 (299 of 300 images), within 64×64');
    // The odd image is resized into 32×32 batches like the rest.
    const first = await ds.arrays({ batchSize: 300, shuffle: false, augment: true }).next();
    expect(first.value!.shape).toEqual([300, 32, 32, 3]);
    await ds.close();
  });

  it('a folder read from disk (over memoryLimit) decides from 16 sampled images the same way', async () => {
    const ds = await openDataset(root, { workers: 0, memoryLimit: 1 });
    expect(ds.preprocessing.recipe).toBe('cifar');
    expect(ds.imageSize).toEqual([32, 32]);
    // Sample k of 16 is image floor(k·300/16): image 0, the odd one, is among them.
    expect(ds.preprocessing.reason).toBe('cifar recipe, 32×32 batches: images are typically 32×32 (15 of 16 sampled), within 64×64');
    await ds.close();
  });

  it('large images, uniform or of varied sizes, get the ImageNet recipe with the size that decided it', async () => {
    const files: Record<string, Uint8Array> = {};
    const sizes: [number, number][] = [
      [120, 90],
      [90, 130],
      [100, 100],
      [150, 80],
    ];
    for (const [i, [w, h]] of sizes.entries()) files[`c${i % 2}/${i}.jpg`] = await encodeJpegWithSharp(testPixels(w, h, i), w, h);
    const ds = await openDataset(writeTree(path.join(temp.dir, 'varied'), files), { workers: 0 });
    expect(ds.preprocessing.recipe).toBe('imagenet');
    expect(ds.imageSize).toEqual([224, 224]);
    // Lower medians: widths 90 100 120 150 → 100, heights 80 90 100 130 → 90.
    expect(ds.preprocessing.reason).toBe(
      'imagenet recipe, 224×224 batches: images are of varied sizes (median 100×90; no size shared by half of 4 images), larger than 64×64',
    );
    await ds.close();
  });

  it('raw 32×32 sources and explicit options say so', async () => {
    const synthetic = await openDataset('synthetic', { synthetic: { size: 20 } });
    expect(synthetic.preprocessing.recipe).toBe('cifar');
    expect(synthetic.preprocessing.reason).toBe('cifar recipe, 32×32 batches: synthetic images are 32×32');
    const asked = await openDataset(root, { workers: 0, augmentation: 'imagenet', imageSize: 64 });
    expect(asked.preprocessing.recipe).toBe('imagenet');
    expect(asked.preprocessing.reason).toBe("imagenet recipe, 64×64 batches: augmentation 'imagenet' was asked for; imageSize as given");
    // A saved preprocessing keeps its recipe and the reason it was chosen; one saved without them says where it came from.
    const again = await openDataset(root, { workers: 0, preprocessing: JSON.parse(JSON.stringify(asked.preprocessing)) });
    expect(again.preprocessing).toEqual(asked.preprocessing);
    const { recipe: _recipe, reason: _reason, ...older } = asked.preprocessing;
    const old = await openDataset(root, { workers: 0, preprocessing: older });
    expect(old.preprocessing.recipe).toBeUndefined();
    expect(old.preprocessing.reason).toBe('saved recipe, 64×64 batches: given in options.preprocessing');
    await Promise.all([synthetic.close(), asked.close(), again.close(), old.close()]);
  });
});

describe('summarizeSizes', () => {
  const size = (width: number, height: number) => ({ width, height });

  it('takes the most common size when at least half share it', () => {
    expect(summarizeSizes([size(32, 32), size(33, 32), size(32, 32)], 'all')).toEqual({
      width: 32,
      height: 32,
      basis: 'common',
      count: 2,
      examined: 3,
      scope: 'all',
    });
    expect(summarizeSizes([size(10, 10), size(20, 20)], 'sampled')).toMatchObject({ width: 10, height: 10, basis: 'common', count: 1 });
  });

  it('takes the median width and height when no size is shared by half', () => {
    const sizes = [size(500, 375), size(30, 30), size(640, 480), size(28, 28), size(32, 32)];
    expect(summarizeSizes(sizes, 'all')).toMatchObject({ width: 32, height: 32, basis: 'median', count: 1, examined: 5 });
  });

  it('knows nothing of no images', () => {
    expect(summarizeSizes([], 'all')).toBeUndefined();
  });
});
