import jpeg from 'jpeg-js';
import sharp from 'sharp';
import { mulberry32 } from '../../src/random';

// Bound once: global lookups are slow inside Jest's vm sandbox (see the README's design notes).
const { abs, cos, round, sin } = Math;

/** A smooth, colourful, seeded RGB image (HWC bytes) that survives JPEG compression recognisably. */
export function testPixels(width: number, height: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const a = random() * 6;
  const b = random() * 6;
  const base = [random() * 200, random() * 200, random() * 200];
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      out[o] = round(base[0]! + 50 * sin((a * x) / width + (b * y) / height));
      out[o + 1] = round(base[1]! + 50 * cos((b * x) / width));
      out[o + 2] = round(base[2]! + (50 * y) / height);
    }
  }
  return out;
}

/** Encodes RGB pixels as a baseline JPEG with jpeg-js. */
export function encodeJpeg(pixels: Uint8Array, width: number, height: number, quality = 95): Buffer {
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = pixels[3 * i]!;
    rgba[4 * i + 1] = pixels[3 * i + 1]!;
    rgba[4 * i + 2] = pixels[3 * i + 2]!;
    rgba[4 * i + 3] = 255;
  }
  return jpeg.encode({ data: rgba, width, height }, quality).data;
}

/** Encodes RGB pixels as a PNG (lossless) with sharp. */
export function encodePng(pixels: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(Buffer.from(pixels), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Mean absolute difference of two byte arrays. */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Compares two lists of array batches without handing megabytes to Jest's differ: reports the first difference. */
export function batchesDiffer(
  a: readonly { x: Float32Array; labels: Int32Array; shape: readonly number[] }[],
  b: readonly { x: Float32Array; labels: Int32Array; shape: readonly number[] }[],
): string | undefined {
  if (a.length !== b.length) return `${a.length} vs ${b.length} batches`;
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!;
    const q = b[i]!;
    if (p.shape.join() !== q.shape.join()) return `batch ${i}: shape ${p.shape.join('×')} vs ${q.shape.join('×')}`;
    if (p.labels.join() !== q.labels.join()) return `batch ${i}: labels ${p.labels.join()} vs ${q.labels.join()}`;
    for (let k = 0; k < p.x.length; k++) if (p.x[k] !== q.x[k]) return `batch ${i}: value ${k} is ${p.x[k]} vs ${q.x[k]}`;
  }
  return undefined;
}

/** Encodes RGB pixels as a JPEG with sharp (libjpeg): fast for large images, where jpeg-js is slow in Jest's sandbox. */
export function encodeJpegWithSharp(pixels: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(Buffer.from(pixels), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}
