import { openDataset } from '../src/index';
import { mixSeed, mulberry32 } from '../src/random';
import { drawSyntheticImage, generateSynthetic, SYNTHETIC_CLASSES } from '../src/sources/synthetic';

const PIXELS = 32 * 32 * 3;

describe('the synthetic dataset', () => {
  it('is deterministic per seed, and train and test never share an image', () => {
    const a = generateSynthetic({ split: 'train', size: 200, seed: 3 });
    const b = generateSynthetic({ split: 'train', size: 200, seed: 3 });
    const c = generateSynthetic({ split: 'train', size: 200, seed: 4 });
    const test = generateSynthetic({ split: 'test', size: 200, seed: 3 });
    expect(Buffer.from(a.store.data).equals(Buffer.from(b.store.data))).toBe(true);
    expect(Buffer.from(a.store.data).equals(Buffer.from(c.store.data))).toBe(false);
    const trainImages = new Set(
      Array.from({ length: 200 }, (_, i) => Buffer.from(a.store.data.subarray(i * PIXELS, (i + 1) * PIXELS)).toString('base64')),
    );
    for (let i = 0; i < 200; i++)
      expect(trainImages.has(Buffer.from(test.store.data.subarray(i * PIXELS, (i + 1) * PIXELS)).toString('base64'))).toBe(false);
  });

  it('any image can be regenerated alone from (seed, split, index)', () => {
    const { store } = generateSynthetic({ split: 'train', size: 50, seed: 9 });
    const alone = new Uint8Array(PIXELS);
    drawSyntheticImage(37 % 10, mulberry32(mixSeed(9, 0x7472, 37)), alone, 0);
    expect(Array.from(alone)).toEqual(Array.from(store.data.subarray(37 * PIXELS, 38 * PIXELS)));
  });

  it('has balanced labels and the default sizes 10,000 / 2,000', async () => {
    const train = await openDataset('synthetic');
    const test = await openDataset('synthetic', { split: 'test' });
    expect([train.size, test.size]).toEqual([10000, 2000]);
    expect(train.classNames).toEqual([...SYNTHETIC_CLASSES]);
    const counts = new Array<number>(10).fill(0);
    for (const label of test.labels) counts[label]!++;
    expect(counts).toEqual(new Array<number>(10).fill(200));
  });

  it('every image shows a shape on a background: no flat image, pixel values spread', () => {
    const { store } = generateSynthetic({ split: 'test', size: 300 });
    for (let i = 0; i < 300; i++) {
      const img = store.data.subarray(i * PIXELS, (i + 1) * PIXELS);
      let lo = 255;
      let hi = 0;
      for (const v of img) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect(hi - lo).toBeGreaterThan(60);
    }
  });

  it('is not linearly trivial: nearest class-mean template matching stays far below 100 %', () => {
    const train = generateSynthetic({ split: 'train', size: 3000 });
    const test = generateSynthetic({ split: 'test', size: 1000 });
    const means = Array.from({ length: 10 }, () => new Float64Array(PIXELS));
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 3000; i++) {
      const label = train.labels[i]!;
      counts[label]!++;
      const m = means[label]!;
      for (let p = 0; p < PIXELS; p++) m[p]! += train.store.data[i * PIXELS + p]!;
    }
    means.forEach((m, c) => m.forEach((v, p) => (m[p] = v / counts[c]!)));
    let correct = 0;
    for (let i = 0; i < 1000; i++) {
      let best = -1;
      let bestDistance = Infinity;
      for (let c = 0; c < 10; c++) {
        let d = 0;
        for (let p = 0; p < PIXELS; p++) d += (test.store.data[i * PIXELS + p]! - means[c]![p]!) ** 2;
        if (d < bestDistance) {
          bestDistance = d;
          best = c;
        }
      }
      if (best === test.labels[i]) correct++;
    }
    // Chance is 10 %; the shapes' positions, sizes and colours vary too much for a template.
    expect(correct / 1000).toBeLessThan(0.35);
  });

  // Its speed is the benchmark's to measure (pnpm --filter @fixclf/datasets bench: 20,000+ images/s). A
  // fixed time limit failed here on a slower host while other packages' tests shared its two cores; what a
  // test can hold in any sandbox is that time grows linearly: 10× the images, well under 20× the time
  // (a per-image cost growing with the set, say, gives 100×). Wall-clock ratios failed too (33× once in
  // CI, the 10,000-image run timed once while turbo's other tasks held both cores), so this counts the
  // process's own CPU time, which waiting for a core does not add to, and keeps the fastest of three.
  it('takes time linear in the number of images', () => {
    const cpuSeconds = (size: number) => {
      const start = process.cpuUsage();
      generateSynthetic({ split: 'train', size });
      const { user, system } = process.cpuUsage(start);
      return (user + system) / 1e6;
    };
    const fastest = (size: number) => Math.min(cpuSeconds(size), cpuSeconds(size), cpuSeconds(size));
    cpuSeconds(200); // compiled before it is timed
    const small = fastest(1000);
    const large = fastest(10_000);
    expect(large / small).toBeLessThan(20);
  });
});
