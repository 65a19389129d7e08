import type { SamplePlan } from './spec';

// Math functions bound once: in a vm context (Jest's test sandbox) every global lookup goes through an
// interceptor, which makes a hot loop that says Math.sqrt about 100 times slower.
const { abs, ceil, floor, max, min } = Math;

/** A decoded image: row-major, channels interleaved (1 = grey, 3 = RGB, 4 = RGBA), 8 bits per value. */
export interface PixelImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/**
 * Executes a plan: writes plan.outHeight × plan.outWidth × 3 float32 values (HWC, RGB) into `out` at
 * `offset`. Grey sources are replicated to RGB and alpha is dropped, as PIL's convert('RGB') does.
 * Pixels outside the source read as 0 before normalisation, like torchvision's zero padding.
 */
export function renderSample(image: PixelImage, plan: SamplePlan, out: Float32Array, offset: number): void {
  if (plan.width === plan.outWidth && plan.height === plan.outHeight && plan.x === floor(plan.x) && plan.y === floor(plan.y)) {
    copyWindow(image, plan, out, offset);
  } else {
    resample(image, plan, out, offset);
  }
}

/** Integer window at scale 1 (padding + crop + flip): a straight copy, the CIFAR training path. */
function copyWindow(image: PixelImage, plan: SamplePlan, out: Float32Array, offset: number): void {
  const { data, width, height, channels } = image;
  const { outWidth, outHeight, flip } = plan;
  const [s0, s1, s2] = plan.scale;
  const [b0, b1, b2] = plan.bias;
  const gOff = channels >= 3 ? 1 : 0;
  const bOff = channels >= 3 ? 2 : 0;
  // Output columns whose source column is inside the image: [inLo, inHi); the rest is padding.
  const firstSource = (ox: number): number => plan.x + (flip ? outWidth - 1 - ox : ox);
  let inLo = 0;
  while (inLo < outWidth && (firstSource(inLo) < 0 || firstSource(inLo) >= width)) inLo++;
  let inHi = inLo;
  while (inHi < outWidth && firstSource(inHi) >= 0 && firstSource(inHi) < width) inHi++;
  const step = flip ? -channels : channels;
  let o = offset;
  for (let oy = 0; oy < outHeight; oy++) {
    const sy = plan.y + oy;
    const rowInside = sy >= 0 && sy < height;
    const lo = rowInside ? inLo : outWidth;
    for (let ox = 0; ox < lo; ox++, o += 3) {
      out[o] = b0;
      out[o + 1] = b1;
      out[o + 2] = b2;
    }
    if (!rowInside) continue;
    let p = (sy * width + firstSource(inLo)) * channels;
    for (let ox = inLo; ox < inHi; ox++, o += 3, p += step) {
      out[o] = data[p]! * s0 + b0;
      out[o + 1] = data[p + gOff]! * s1 + b1;
      out[o + 2] = data[p + bOff]! * s2 + b2;
    }
    for (let ox = inHi; ox < outWidth; ox++, o += 3) {
      out[o] = b0;
      out[o + 1] = b1;
      out[o + 2] = b2;
    }
  }
}

/** Per output index along one axis: the first source index it reads, how many, and their weights. */
interface AxisFilter {
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly taps: number;
  readonly weights: Float32Array;
}

/**
 * A triangle (bilinear) filter whose support widens with the reduction factor, as PIL's and libvips'
 * antialiased resize do; taps outside the source are dropped and the rest renormalised, except for an
 * output pixel whose centre falls outside the source, which is padding (all weights zero).
 */
function axisFilter(start: number, extent: number, outSize: number, srcSize: number, mirror: boolean): AxisFilter {
  const step = extent / outSize;
  const support = max(1, step);
  const taps = ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * taps);
  for (let o = 0; o < outSize; o++) {
    const position = mirror ? outSize - 1 - o : o;
    const centre = start + (position + 0.5) * step;
    if (centre < 0 || centre >= srcSize) continue;
    const lo = max(0, floor(centre - support));
    const hi = min(srcSize - 1, ceil(centre + support));
    let sum = 0;
    let n = 0;
    for (let s = lo; s <= hi && n < taps; s++) {
      const w = 1 - abs(s + 0.5 - centre) / support;
      if (w <= 0) {
        if (n === 0) continue;
        break;
      }
      if (n === 0) first[o] = s;
      weights[o * taps + n] = w;
      sum += w;
      n++;
    }
    count[o] = n;
    for (let k = 0; k < n; k++) weights[o * taps + k]! /= sum;
  }
  return { first, count, taps, weights };
}

function resample(image: PixelImage, plan: SamplePlan, out: Float32Array, offset: number): void {
  const { data, width, height, channels } = image;
  const { outWidth, outHeight } = plan;
  const fx = axisFilter(plan.x, plan.width, outWidth, width, plan.flip);
  const fy = axisFilter(plan.y, plan.height, outHeight, height, false);
  let rowLo = height;
  let rowHi = -1;
  for (let oy = 0; oy < outHeight; oy++) {
    if (fy.count[oy] === 0) continue;
    rowLo = min(rowLo, fy.first[oy]!);
    rowHi = max(rowHi, fy.first[oy]! + fy.count[oy]! - 1);
  }
  const gOff = channels >= 3 ? 1 : 0;
  const bOff = channels >= 3 ? 2 : 0;
  // Horizontal pass over only the source rows the vertical pass needs.
  const rows = max(0, rowHi - rowLo + 1);
  const tmp = new Float32Array(rows * outWidth * 3);
  for (let r = 0; r < rows; r++) {
    const srcRow = (rowLo + r) * width;
    let t = r * outWidth * 3;
    for (let ox = 0; ox < outWidth; ox++, t += 3) {
      const n = fx.count[ox]!;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let p = (srcRow + fx.first[ox]!) * channels;
      const wBase = ox * fx.taps;
      for (let k = 0; k < n; k++, p += channels) {
        const w = fx.weights[wBase + k]!;
        a0 += data[p]! * w;
        a1 += data[p + gOff]! * w;
        a2 += data[p + bOff]! * w;
      }
      tmp[t] = a0;
      tmp[t + 1] = a1;
      tmp[t + 2] = a2;
    }
  }
  const [s0, s1, s2] = plan.scale;
  const [b0, b1, b2] = plan.bias;
  const rowStride = outWidth * 3;
  let o = offset;
  for (let oy = 0; oy < outHeight; oy++) {
    const n = fy.count[oy]!;
    const base = (fy.first[oy]! - rowLo) * rowStride;
    const wBase = oy * fy.taps;
    for (let ox = 0; ox < outWidth; ox++, o += 3) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let t = base + ox * 3;
      for (let k = 0; k < n; k++, t += rowStride) {
        const w = fy.weights[wBase + k]!;
        a0 += tmp[t]! * w;
        a1 += tmp[t + 1]! * w;
        a2 += tmp[t + 2]! * w;
      }
      // A column in the padding has no taps: it reads as a zero pixel.
      out[o] = (fx.count[ox] === 0 ? 0 : a0) * s0 + b0;
      out[o + 1] = (fx.count[ox] === 0 ? 0 : a1) * s1 + b1;
      out[o + 2] = (fx.count[ox] === 0 ? 0 : a2) * s2 + b2;
    }
  }
}
