import jpeg from 'jpeg-js';
import sharp from 'sharp';
import { chooseDecoder, decodeForPlan, decodeImage, JPEG_JS_MAX_PIXELS } from '../src/image/decode';
import { inspectImage } from '../src/image/inspect-image';
import { mulberry32 } from '../src/random';
import { imagenetEval, planSample, randomResizedCrop, renderSample, type SamplePlan } from '../src/transforms/index';
import { encodeJpeg, encodePng, meanAbsDiff, testPixels } from './support/images';

describe('inspectImage: format, size and completeness from the bytes alone', () => {
  it('reads the dimensions of JPEGs (jpeg-js and libjpeg encoded, progressive too) and PNGs', async () => {
    const pixels = testPixels(37, 21, 1);
    expect(inspectImage(encodeJpeg(pixels, 37, 21))).toEqual({ format: 'jpeg', width: 37, height: 21 });
    const raw = { raw: { width: 37, height: 21, channels: 3 as const } };
    expect(inspectImage(await sharp(Buffer.from(pixels), raw).jpeg({ progressive: true }).toBuffer())).toEqual({
      format: 'jpeg',
      width: 37,
      height: 21,
    });
    expect(inspectImage(await encodePng(pixels, 37, 21))).toEqual({ format: 'png', width: 37, height: 21 });
    expect(inspectImage(await sharp(Buffer.from(pixels), raw).greyscale().png().toBuffer())).toEqual({
      format: 'png',
      width: 37,
      height: 21,
    });
  });

  it('a truncated JPEG or PNG, an empty file and a text file are rejected with the reason', async () => {
    const pixels = testPixels(40, 40, 2);
    const jpg = encodeJpeg(pixels, 40, 40);
    const png = await encodePng(pixels, 40, 40);
    expect(() => inspectImage(jpg.subarray(0, jpg.length - 20))).toThrow(/truncated JPEG/);
    expect(() => inspectImage(jpg.subarray(0, 100))).toThrow(/truncated JPEG/);
    expect(() => inspectImage(png.subarray(0, png.length - 5))).toThrow(/truncated PNG/);
    expect(() => inspectImage(new Uint8Array(0))).toThrow(/empty file/);
    expect(() => inspectImage(Buffer.from('hello, not an image'))).toThrow(/not a JPEG or PNG/);
  });
});

describe('decoding', () => {
  it('picks jpeg-js for small JPEGs and sharp for large ones and for PNGs', () => {
    expect(chooseDecoder({ format: 'jpeg', width: 32, height: 32 })).toBe('jpeg-js');
    expect(chooseDecoder({ format: 'jpeg', width: 500, height: 375 })).toBe('sharp');
    expect(chooseDecoder({ format: 'png', width: 32, height: 32 })).toBe('sharp');
    expect(JPEG_JS_MAX_PIXELS).toBeGreaterThanOrEqual(32 * 32);
  });

  it('jpeg-js and libjpeg (sharp) decode the same small JPEG alike', async () => {
    const pixels = testPixels(32, 32, 3);
    const bytes = encodeJpeg(pixels, 32, 32, 90);
    const viaJs = await decodeImage(bytes, inspectImage(bytes));
    const viaSharp = await sharp(bytes).raw().toBuffer();
    expect(viaJs.width).toBe(32);
    expect(meanAbsDiff(viaJs.data, viaSharp)).toBeLessThan(1.5);
    expect(meanAbsDiff(viaJs.data, pixels)).toBeLessThan(4); // and both are close to the original
  });

  it('a small CMYK (4-component) JPEG goes to sharp and keeps its colours; small RGB JPEGs stay with jpeg-js', async () => {
    // A smooth image (no chroma noise), so only the colour conversion can move the values.
    const pixels = Uint8Array.from({ length: 32 * 32 * 3 }, (_, i) => {
      const [p, c] = [Math.floor(i / 3), i % 3];
      const [x, y] = [p % 32, Math.floor(p / 32)];
      return c === 0 ? 40 + x * 5 : c === 1 ? 200 - y * 4 : 100 + (x + y) * 2;
    });
    const encode = (space: 'srgb' | 'cmyk') =>
      sharp(Buffer.from(pixels), { raw: { width: 32, height: 32, channels: 3 } })
        .toColourspace(space)
        .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
        .toBuffer();
    const cmyk = await encode('cmyk');
    const info = inspectImage(cmyk);
    expect(info).toEqual({ format: 'jpeg', width: 32, height: 32, cmyk: true });
    expect(chooseDecoder(info)).toBe('sharp');
    const decoded = await decodeImage(cmyk, info);
    expect(Buffer.from(decoded.data).equals(await sharp(cmyk).toColourspace('srgb').raw().toBuffer())).toBe(true);
    // libvips' CMYK round trip itself costs ~9 levels on this image; jpeg-js's conversion cost ~25.
    expect(meanAbsDiff(decoded.data, pixels)).toBeLessThan(12);
    const rgb = await encode('srgb');
    expect(inspectImage(rgb)).toEqual({ format: 'jpeg', width: 32, height: 32 });
    expect(chooseDecoder(inspectImage(rgb))).toBe('jpeg-js');
  });

  it('PNG decoding is lossless, grey PNGs come out as RGB', async () => {
    const pixels = testPixels(20, 10, 4);
    const png = await encodePng(pixels, 20, 10);
    expect(Array.from((await decodeImage(png, inspectImage(png))).data)).toEqual(Array.from(pixels));
    const grey = await sharp(Buffer.from(pixels), { raw: { width: 20, height: 10, channels: 3 } })
      .greyscale()
      .png()
      .toBuffer();
    const decoded = await decodeImage(grey, inspectImage(grey));
    expect(decoded.data.length).toBe(20 * 10 * 3);
    expect(decoded.data[0]).toBe(decoded.data[1]);
  });

  it('a JPEG whose entropy data is damaged fails to decode instead of turning grey', async () => {
    const bytes = Buffer.from(encodeJpeg(testPixels(64, 64, 5), 64, 64));
    // Keep the structure (markers, end-of-image) but cut the scan short and fill with padding.
    const sos = bytes.indexOf(Buffer.from([0xff, 0xda]));
    const damaged = Buffer.concat([bytes.subarray(0, sos + 40), Buffer.from([0xff, 0xd9])]);
    expect(() => jpeg.decode(damaged, { useTArray: true, tolerantDecoding: false })).toThrow();
    await expect(decodeImage(damaged, inspectImage(damaged))).rejects.toThrow();
  });

  it('sharp cropping and resizing while decoding matches a full decode + the JS resampler', async () => {
    const width = 500;
    const height = 375;
    const png = await encodePng(testPixels(width, height, 6), width, height);
    const info = inspectImage(png);
    for (const [transforms, seed] of [
      [[randomResizedCrop(96)], 1],
      [[randomResizedCrop(96)], 2],
      [imagenetEval(96), 3],
    ] as const) {
      const plan = planSample(transforms, width, height, mulberry32(seed));
      const fast = await decodeForPlan(png, info, plan);
      expect(fast.image.width).toBe(96); // sharp did the crop and resize
      const outFast = new Float32Array(96 * 96 * 3);
      renderSample(fast.image, fast.plan, outFast, 0);
      const full = await decodeImage(png, info);
      const outJs = new Float32Array(96 * 96 * 3);
      renderSample(full, plan as SamplePlan, outJs, 0);
      expect(meanAbsDiff(outFast, outJs) * 255).toBeLessThan(2);
    }
  });
});
