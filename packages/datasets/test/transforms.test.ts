import { mulberry32 } from '../src/random';
import {
  centerCrop,
  CIFAR_MEAN,
  CIFAR_STD,
  cifarTrain,
  compose,
  imagenetEval,
  imagenetTrain,
  normalize,
  outputSize,
  planSample,
  randomCrop,
  randomHorizontalFlip,
  randomResizedCrop,
  randomResizedCropBox,
  renderSample,
  resize,
  resizedSize,
  type TransformSpec,
} from '../src/transforms/index';
import { roundHalfEven } from '../src/transforms/size';

function image(width: number, height: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256));
}

function render(
  pixels: Uint8Array,
  width: number,
  height: number,
  transforms: TransformSpec[],
  seed: number,
): { out: Float32Array; w: number; h: number } {
  const plan = planSample(transforms, width, height, mulberry32(seed));
  const out = new Float32Array(plan.outWidth * plan.outHeight * 3);
  renderSample({ data: pixels, width, height, channels: 3 }, plan, out, 0);
  return { out, w: plan.outWidth, h: plan.outHeight };
}

/** torchvision's CIFAR recipe spelled out: materialise the zero-padded image, crop, mirror, ToTensor, Normalize. */
function referenceCifar(pixels: Uint8Array, side: number, pad: number, top: number, left: number, flip: boolean): Float32Array {
  const paddedSide = side + 2 * pad;
  const padded = new Uint8Array(paddedSide * paddedSide * 3);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      for (let c = 0; c < 3; c++) padded[((y + pad) * paddedSide + x + pad) * 3 + c] = pixels[(y * side + x) * 3 + c]!;
  const out = new Float32Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const sx = left + (flip ? side - 1 - x : x);
      for (let c = 0; c < 3; c++)
        out[(y * side + x) * 3 + c] = (padded[((top + y) * paddedSide + sx) * 3 + c]! / 255 - CIFAR_MEAN[c]!) / CIFAR_STD[c]!;
    }
  }
  return out;
}

describe('the CIFAR training recipe', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('matches pad-crop-flip-normalise done the long way (seed %i)', (seed) => {
    const pixels = image(32, 32, seed);
    const got = render(pixels, 32, 32, cifarTrain(), seed);
    // The draws the recipe makes, in order: crop top, crop left (torch.randint over 0…8), flip coin.
    const r = mulberry32(seed);
    const top = Math.floor(r() * 9);
    const left = Math.floor(r() * 9);
    const flip = r() < 0.5;
    const want = referenceCifar(pixels, 32, 4, top, left, flip);
    expect(got.w).toBe(32);
    for (let i = 0; i < want.length; i++) expect(got.out[i]).toBeCloseTo(want[i]!, 5);
  });

  it('draws every crop offset 0…8 and flips about half the time', () => {
    const offsets = new Set<number>();
    let flips = 0;
    for (let seed = 0; seed < 2000; seed++) {
      const plan = planSample(cifarTrain(), 32, 32, mulberry32(seed));
      offsets.add(plan.x);
      if (plan.flip) flips++;
    }
    expect([...offsets].sort((a, b) => a - b)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4]);
    expect(Math.abs(flips - 1000)).toBeLessThan(100);
  });
});

describe('geometric transforms', () => {
  it('randomHorizontalFlip(1) mirrors and (0) does not', () => {
    const pixels = image(5, 3, 1);
    const flipped = render(pixels, 5, 3, [randomHorizontalFlip(1)], 0).out;
    const kept = render(pixels, 5, 3, [randomHorizontalFlip(0)], 0).out;
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 5; x++) {
        for (let c = 0; c < 3; c++) {
          expect(flipped[(y * 5 + x) * 3 + c]).toBeCloseTo(pixels[(y * 5 + (4 - x)) * 3 + c]! / 255, 6);
          expect(kept[(y * 5 + x) * 3 + c]).toBeCloseTo(pixels[(y * 5 + x) * 3 + c]! / 255, 6);
        }
      }
    }
  });

  it('a crop after a flip is taken from the mirrored image', () => {
    const pixels = image(10, 4, 2);
    const got = render(pixels, 10, 4, [randomHorizontalFlip(1), centerCrop([2, 4])], 0).out;
    // Mirror, then crop rows 1-2, columns 3-6 (torchvision: top = round((4-2)/2) = 1, left = round((10-4)/2) = 3).
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 4; x++) {
        const sx = 9 - (3 + x);
        for (let c = 0; c < 3; c++) expect(got[(y * 4 + x) * 3 + c]).toBeCloseTo(pixels[((1 + y) * 10 + sx) * 3 + c]! / 255, 6);
      }
    }
  });

  it('resize follows torchvision: the shorter side becomes the size, the longer int(size * long / short)', () => {
    expect(resizedSize(500, 375, 256)).toEqual({ width: 341, height: 256 });
    expect(resizedSize(375, 500, 256)).toEqual({ width: 256, height: 341 });
    expect(resizedSize(500, 375, [100, 50])).toEqual({ width: 50, height: 100 });
    expect(outputSize(imagenetEval(224), 500, 375)).toEqual({ width: 224, height: 224 });
    expect(outputSize(imagenetEval([200, 300]), 500, 375)).toEqual({ width: 300, height: 200 });
    expect(outputSize(imagenetTrain([200, 300]), 500, 375)).toEqual({ width: 300, height: 200 });
    expect(outputSize(cifarTrain([48, 64]), 64, 48)).toEqual({ width: 64, height: 48 });
  });

  it('centerCrop offsets round half to even like Python, and pad when the crop is larger', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map((v) => roundHalfEven(v) + 0)).toEqual([0, 2, 2, 0, -2, 2, 3]);
    const plan = planSample([centerCrop(4)], 9, 9, () => 0); // (9 - 4) / 2 = 2.5 → 2
    expect([plan.x, plan.y]).toEqual([2, 2]);
    const padded = planSample([centerCrop(7)], 4, 4, () => 0); // pads (7 - 4) // 2 = 1 before
    expect([padded.x, padded.y, padded.outWidth]).toEqual([-1, -1, 7]);
    const pixels = image(4, 4, 3);
    const out = render(pixels, 4, 4, [centerCrop(7)], 0).out;
    expect(out[0]).toBe(0); // padding reads as zero
    expect(out[(1 * 7 + 1) * 3]).toBeCloseTo(pixels[0]! / 255, 6);
  });

  it('randomCrop rejects a crop larger than the padded image', () => {
    expect(() => planSample([randomCrop(40, { padding: 2 })], 32, 32, mulberry32(1))).toThrow(/larger than the padded image 36×36/);
  });

  it('randomResizedCrop boxes respect scale and ratio (up to rounding) and stay inside the image', () => {
    const spec = randomResizedCrop(224);
    const random = mulberry32(5);
    let small = 0;
    let large = 0;
    for (let i = 0; i < 3000; i++) {
      const box = randomResizedCropBox(500, 375, spec, random);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left + box.width).toBeLessThanOrEqual(500);
      expect(box.top + box.height).toBeLessThanOrEqual(375);
      const area = (box.width * box.height) / (500 * 375);
      expect(area).toBeGreaterThan(0.08 * 0.95);
      expect(area).toBeLessThanOrEqual(1);
      const ratio = box.width / box.height;
      if (area < 0.99) {
        expect(ratio).toBeGreaterThan((3 / 4) * 0.97);
        expect(ratio).toBeLessThan((4 / 3) * 1.03);
      }
      if (area < 0.3) small++;
      if (area > 0.8) large++;
    }
    // Area is drawn uniformly in [0.08, 1]: (0.3 - 0.08) / 0.92 ≈ 24 % below 0.3, more after redraws of
    // large boxes that do not fit; boxes above 0.8 fit less often but must still occur.
    expect(small / 3000).toBeGreaterThan(0.2);
    expect(small / 3000).toBeLessThan(0.4);
    expect(large / 3000).toBeGreaterThan(0.02);
  });

  it('randomResizedCrop falls back to a central crop with the ratio clamped', () => {
    const spec = randomResizedCrop(8, { scale: [1, 1], ratio: [1, 1] });
    // A 100×10 image cannot hold a square of its whole area: central 10×10 (ratio clamped to 1).
    expect(randomResizedCropBox(100, 10, spec, mulberry32(1))).toEqual({ left: 45, top: 0, width: 10, height: 10 });
  });
});

describe('resampling', () => {
  it('halving applies the antialiased bilinear kernel [1, 3, 3, 1] / 8 (PIL, libvips) in each direction', () => {
    const w = 16;
    const h = 16;
    const pixels = image(w, h, 9);
    const { out } = render(pixels, w, h, [resize([8, 8])], 0);
    const k = [1, 3, 3, 1].map((v) => v / 8);
    for (let oy = 1; oy < 7; oy++) {
      for (let ox = 1; ox < 7; ox++) {
        for (let c = 0; c < 3; c++) {
          let want = 0;
          for (let i = 0; i < 4; i++)
            for (let j = 0; j < 4; j++) want += k[i]! * k[j]! * pixels[((2 * oy - 1 + i) * w + 2 * ox - 1 + j) * 3 + c]!;
          expect(out[(oy * 8 + ox) * 3 + c]! * 255).toBeCloseTo(want, 3);
        }
      }
    }
  });

  it('up- and downscaling keep a linear ramp linear away from the borders (to a tenth of a level)', () => {
    const w = 40;
    const pixels = new Uint8Array(w * 4 * 3);
    for (let y = 0; y < 4; y++) for (let x = 0; x < w; x++) pixels.fill(5 * x + 10, (y * w + x) * 3, (y * w + x) * 3 + 3);
    for (const outW of [13, 100]) {
      const { out } = render(pixels, w, 4, [resize([4, outW])], 0);
      for (let x = 3; x < outW - 3; x++) {
        const sourceX = ((x + 0.5) * w) / outW - 0.5;
        expect(Math.abs(out[(1 * outW + x) * 3]! * 255 - (5 * sourceX + 10))).toBeLessThan(0.1);
      }
    }
  });

  it('grey and RGBA sources become RGB (alpha dropped)', () => {
    const grey = Uint8Array.from([10, 20, 30, 40]);
    const outGrey = new Float32Array(12);
    renderSample(
      { data: grey, width: 2, height: 2, channels: 1 },
      planSample([], 2, 2, () => 0),
      outGrey,
      0,
    );
    expect(Array.from(outGrey, (v) => Math.round(v * 255))).toEqual([10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40]);
    const rgba = Uint8Array.from([1, 2, 3, 255, 4, 5, 6, 0]);
    const outRgba = new Float32Array(6);
    renderSample(
      { data: rgba, width: 2, height: 1, channels: 4 },
      planSample([], 2, 1, () => 0),
      outRgba,
      0,
    );
    expect(Array.from(outRgba, (v) => Math.round(v * 255))).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('normalize and compose', () => {
  it('normalize computes (v / 255 - mean) / std per channel, composed normalisations compose', () => {
    const pixels = Uint8Array.from([0, 128, 255]);
    const out = render(pixels, 1, 1, [normalize([0.5, 0.25, 0], [0.5, 2, 1]), normalize([1], [2])], 0).out;
    const once = [(0 - 0.5) / 0.5, (128 / 255 - 0.25) / 2, 1];
    once.forEach((v, c) => expect(out[c]).toBeCloseTo((v - 1) / 2, 6));
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => normalize([0, 0], [1, 1])).toThrow(/mean must hold 1 or 3/);
    expect(() => normalize([0], [0])).toThrow(/std must be positive/);
    expect(() => randomCrop(0)).toThrow(/randomCrop: size/);
    expect(() => randomCrop(32, { padding: -1 })).toThrow(/padding/);
    expect(() => randomHorizontalFlip(2)).toThrow(/p must be in \[0, 1\]/);
    expect(() => randomResizedCrop(224, { scale: [0.5, 0.1] })).toThrow(/scale/);
    expect(() => compose([{ type: 'rotate' } as unknown as TransformSpec])).toThrow(/transform 0: unknown transform/);
  });

  it('compose takes specs in the forms their constructors take (n for n × n, defaults left out), typed so', () => {
    // No cast: the spec types themselves require [h, w] sizes, padding, p, scale and ratio.
    expect(
      compose(
        { type: 'randomCrop', size: 32 },
        { type: 'randomHorizontalFlip' },
        { type: 'randomResizedCrop', size: 224 },
        { type: 'centerCrop', size: [8, 16] },
        [{ type: 'resize', size: 256 }],
      ),
    ).toEqual([randomCrop(32), randomHorizontalFlip(), randomResizedCrop(224), centerCrop([8, 16]), resize(256)]);
    expect(compose({ type: 'randomCrop', size: 32 })).toEqual([{ type: 'randomCrop', size: [32, 32], padding: 0 }]);
  });

  it('compose checks each saved spec as its constructor does, naming the entry, its type and the field', () => {
    const specs = (list: unknown[]) => compose(list as TransformSpec[]);
    const fails = (list: unknown[], message: string) =>
      expect(() => specs(list)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message }));
    fails(
      [
        { type: 'resize', size: [32, 32] },
        { type: 'normalize', mean: [0.5], std: [0, 1, 1] },
      ],
      'transform 1 (normalize): std must be positive, got [0,1,1]',
    );
    fails(
      [{ type: 'normalize', mean: [0.5], std: ['0.2', '0.2', '0.2'] }],
      'transform 0 (normalize): std must hold 1 or 3 finite numbers, got ["0.2","0.2","0.2"]',
    );
    fails([{ type: 'normalize', mean: [NaN], std: [1] }], 'transform 0 (normalize): mean must hold 1 or 3 finite numbers, got [null]');
    fails([{ type: 'randomHorizontalFlip', p: 2 }], 'transform 0 (randomHorizontalFlip): p must be in [0, 1], got 2');
    fails([{ type: 'randomHorizontalFlip', p: '0.5' }], 'transform 0 (randomHorizontalFlip): p must be in [0, 1], got "0.5"');
    fails(
      [{ type: 'randomCrop', size: [32, 32], padding: -4 }],
      'transform 0 (randomCrop): padding must be a non-negative integer, got -4',
    );
    fails(
      [{ type: 'centerCrop', size: '32' }],
      'transform 0 (centerCrop): size must be a positive integer or [height, width] of positive integers, got "32"',
    );
    fails(
      [{ type: 'randomResizedCrop', size: [8, 8], scale: 0.5, ratio: [1, 1] }],
      'transform 0 (randomResizedCrop): scale must satisfy 0 < lo <= hi <= 1, got 0.5',
    );
    // What torchvision would take is taken, as its constructor reads it: a crop size n is n × n, and a
    // randomCrop saved without padding pads by 0 (it used to crop at NaN and give an all-zero image).
    const taken = specs([
      { type: 'randomCrop', size: 32, padding: 4 },
      { type: 'randomCrop', size: [32, 32] },
    ]);
    expect(taken).toEqual([
      { type: 'randomCrop', size: [32, 32], padding: 4 },
      { type: 'randomCrop', size: [32, 32], padding: 0 },
    ]);
    const pixels = image(32, 32, 5);
    expect(render(pixels, 32, 32, [taken[1]!], 3).out).toEqual(Float32Array.from(pixels, (v) => v / 255));
  });

  it('compose flattens pipelines and the specs survive JSON', () => {
    const pipeline = compose(cifarTrain(), [randomHorizontalFlip(1)]);
    expect(pipeline.map((t) => t.type)).toEqual(['randomCrop', 'randomHorizontalFlip', 'normalize', 'randomHorizontalFlip']);
    const copy = JSON.parse(JSON.stringify(pipeline)) as TransformSpec[];
    const pixels = image(32, 32, 4);
    expect(render(pixels, 32, 32, copy, 11).out).toEqual(render(pixels, 32, 32, pipeline, 11).out);
  });
});
