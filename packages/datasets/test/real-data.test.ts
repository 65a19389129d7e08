import { openDataset, type Dataset } from '../src/index';
import { failure } from './support/failure';
import { sharedDataFile } from './support/shared-data';

// The 50,000 CIFAR-10 training images as JPEGs in an ImageFolder tar.gz (../shared/data beside the checkout).
const data = sharedDataFile('cifar10-jpeg/train.tar.gz');
const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
// CIFAR-10 training-set channel statistics (of the original PNG-lossless release); JPEG moves them slightly.
const CIFAR_MEAN = [0.4914, 0.4822, 0.4465];
const CIFAR_STD = [0.247, 0.2435, 0.2616];

if (!data.present && process.env.CI === 'true') {
  it('finds the shared CIFAR-10 JPEG archive', () => {
    throw new Error(
      `the real-data archive is missing: expected ${data.file} (../shared/data beside the checkout, or set FIXCLF_SHARED_DATA). CI must provide it.`,
    );
  });
} else if (!data.present) {
  console.warn(`SKIPPED real-data tests: ${data.file} is missing (set FIXCLF_SHARED_DATA to its directory)`);
  it.skip(`real data: ${data.file} is missing`, () => undefined);
} else {
  describe('CIFAR-10 as JPEGs in a tar.gz', () => {
    let ds: Dataset;
    beforeAll(async () => {
      ds = await openDataset(data.file, { workers: 2, normalization: false });
      // Hang guards, not speed checks: pnpm test runs this beside every other package on 2 cores.
    }, 120_000);
    afterAll(async () => {
      await ds.close();
    });

    it('has 10 classes in alphabetical order, 5,000 images each, 32×32, read through train/', () => {
      expect(ds.classNames).toEqual(CLASSES);
      expect(ds.size).toBe(50_000);
      const counts = new Array<number>(10).fill(0);
      for (const label of ds.labels) counts[label]!++;
      expect(counts).toEqual(new Array<number>(10).fill(5000));
      expect(ds.imageSize).toEqual([32, 32]);
      expect(ds.preprocessing.train.map((t) => t.type)).toEqual(['randomCrop', 'randomHorizontalFlip']);
      expect(ds.skipped).toEqual([]);
    });

    it('labels agree with the member paths', async () => {
      for (let k = 0; k < 50; k++) {
        const position = (k * 7919) % ds.size;
        const image = await ds.readImage(position);
        expect(image.file).toMatch(new RegExp(`train\\.tar\\.gz:train/${CLASSES[ds.labels[position]!]}/\\d{4}\\.jpg$`));
        expect([image.width, image.height]).toEqual([32, 32]);
      }
    });

    it('decoded pixels have the published CIFAR-10 channel statistics (every image, one pass through the workers)', async () => {
      const sum = [0, 0, 0];
      const sumSq = [0, 0, 0];
      const seen = new Array<number>(10).fill(0);
      let values = 0;
      for await (const batch of ds.arrays({ batchSize: 1000, augment: false, shuffle: true, seed: 1 })) {
        for (let i = 0; i < batch.x.length; i++) {
          const v = batch.x[i]!;
          sum[i % 3]! += v;
          sumSq[i % 3]! += v * v;
        }
        values += batch.x.length / 3;
        for (const label of batch.labels) seen[label]!++;
      }
      expect(values).toBe(50_000 * 1024);
      expect(seen).toEqual(new Array<number>(10).fill(5000));
      for (let c = 0; c < 3; c++) {
        const mean = sum[c]! / values;
        const std = Math.sqrt(sumSq[c]! / values - mean * mean);
        expect(Math.abs(mean - CIFAR_MEAN[c]!)).toBeLessThan(0.01);
        expect(Math.abs(std - CIFAR_STD[c]!)).toBeLessThan(0.01);
      }
    }, 180_000);

    it("has no test split: split 'test' fails naming the archive and what it holds, instead of returning the training images", async () => {
      const error = await failure(() => openDataset(data.file, { split: 'test', workers: 0 }));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.file).toBe(data.file);
      expect(error.message).toContain(`${data.file} has no test split (it holds train/); hold out part of the training set instead`);
    });

    it('a 45,000 / 5,000 stratified hold-out keeps 500 of each class', () => {
      const { train, validation } = ds.holdout({ count: 5000, seed: 0 });
      expect([train.size, validation.size]).toEqual([45_000, 5000]);
      const counts = new Array<number>(10).fill(0);
      for (const label of validation.labels) counts[label]!++;
      expect(counts).toEqual(new Array<number>(10).fill(500));
    });
  });
}
