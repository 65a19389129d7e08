import { invalidArgument } from '../errors';
import { sharedBytes, type PixelStore } from '../image-store';
import { mixSeed, mulberry32, randomInt, uniform, type Random } from '../random';

// Math functions bound once: in a vm context (Jest's test sandbox) every global lookup goes through an
// interceptor, which makes a hot loop that says Math.sqrt about 100 times slower.
const { abs, ceil, floor, max, min, sqrt, SQRT1_2 } = Math;

/** The ten classes: what is drawn. Colour, position, size, rotation, background and noise never tell the class. */
export const SYNTHETIC_CLASSES = [
  'disc',
  'ring',
  'square',
  'frame',
  'triangle',
  'plus',
  'cross',
  'h-stripes',
  'v-stripes',
  'checker',
] as const;

export const SYNTHETIC_SIDE = 32;
export const SYNTHETIC_DEFAULT_SIZES = { train: 10000, test: 2000 } as const;

const SPLIT_SALT = { train: 0x7472, test: 0x7465 } as const;

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Signed distance (in stripe widths) to the nearest stripe edge: positive inside even stripes. A triangle
 * wave, not a sine: this runs for every pixel of every stripe image. */
function stripeDistance(phase: number): number {
  const k = floor(phase);
  const f = phase - k;
  const d = f < 0.5 ? f : 1 - f;
  return (k & 1) === 0 ? d : -d;
}

/** Coverage (0…1) of the class's shape at unit coordinates (u, v); `s` is the shape radius in pixels, so edges stay one pixel wide at every scale. */
function coverage(shape: number, u: number, v: number, s: number, flipTriangle: boolean): number {
  const au = abs(u);
  const av = abs(v);
  let d: number;
  switch (shape) {
    case 0: // disc
      d = sqrt(u * u + v * v) - 0.9;
      break;
    case 1: // ring
      d = abs(sqrt(u * u + v * v) - 0.68) - 0.22;
      break;
    case 2: // filled square
      d = max(au, av) - 0.75;
      break;
    case 3: // square outline
      d = abs(max(au, av) - 0.66) - 0.17;
      break;
    case 4: {
      // equilateral triangle, inradius 0.45, apex up or down
      const w = flipTriangle ? -v : v;
      d = max(w, -0.866 * u - 0.5 * w, 0.866 * u - 0.5 * w) - 0.45;
      break;
    }
    case 5: // plus
      d = min(max(au - 0.24, av - 0.92), max(au - 0.92, av - 0.24));
      break;
    case 6: {
      // diagonal cross: the plus turned 45°
      const p = abs((u + v) * SQRT1_2);
      const q = abs((u - v) * SQRT1_2);
      d = min(max(p - 0.24, q - 0.92), max(p - 0.92, q - 0.24));
      break;
    }
    case 7:
    case 8: {
      // a disc of stripes, horizontal or vertical, each stripe 0.3 radius wide
      const inside = clamp01(0.5 - (sqrt(u * u + v * v) - 0.95) * s);
      return inside * clamp01(0.5 + stripeDistance((shape === 7 ? v : u) / 0.3) * 0.3 * s);
    }
    default: {
      // a square of 0.4-radius checks: inside where the two stripe patterns agree
      const inside = clamp01(0.5 - (max(au, av) - 0.8) * s);
      const a = stripeDistance(u / 0.4);
      const b = stripeDistance(v / 0.4);
      const agree = a >= 0 === b >= 0;
      return inside * clamp01(0.5 + (agree ? 1 : -1) * min(abs(a), abs(b)) * 0.4 * s);
    }
  }
  return clamp01(0.5 - d * s);
}

const scratch = new Float32Array(32 * 32 * 3);

/**
 * Draws one image of class `label` into `out` (32 × 32 × 3 bytes, HWC). Everything but the shape is random
 * per image: shape and background colours (kept apart so the shape is visible), a brightness ramp across
 * the background, position, radius 6–12 px, rotation ±20°, up to three small distractor blobs and noise of
 * random strength. A class-mean template cannot fit this; a small CNN learns it.
 */
export function drawSyntheticImage(label: number, random: Random, out: Uint8Array, offset: number): void {
  const side = SYNTHETIC_SIDE;
  const bg0 = random();
  const bg1 = random();
  const bg2 = random();
  let fg0 = random();
  let fg1 = random();
  let fg2 = random();
  for (let tries = 0; tries < 20 && sqrt((fg0 - bg0) ** 2 + (fg1 - bg1) ** 2 + (fg2 - bg2) ** 2) < 0.45; tries++) {
    fg0 = random();
    fg1 = random();
    fg2 = random();
  }
  const rampX = uniform(random, -0.25, 0.25) / side;
  const rampY = uniform(random, -0.25, 0.25) / side;
  const s = uniform(random, 6, 12);
  const cx = uniform(random, 0.8 * s, side - 0.8 * s);
  const cy = uniform(random, 0.8 * s, side - 0.8 * s);
  const angle = uniform(random, -0.35, 0.35);
  const cos = Math.cos(angle) / s;
  const sin = Math.sin(angle) / s;
  const flipTriangle = random() < 0.5;
  const sigma = uniform(random, 0.02, 0.08);
  const blobCount = randomInt(random, 0, 4);
  const buf = scratch;

  // 1. Background ramp everywhere; the shape blended in over its bounding box only.
  const reach = 1.5 * s + 1;
  const x0 = max(0, floor(cx - reach));
  const x1 = min(side, ceil(cx + reach));
  const y0 = max(0, floor(cy - reach));
  const y1 = min(side, ceil(cy + reach));
  for (let y = 0, o = 0; y < side; y++) {
    const py = y + 0.5;
    const rampRow = (py - side / 2) * rampY;
    const inRows = y >= y0 && y < y1;
    for (let x = 0; x < side; x++, o += 3) {
      const px = x + 0.5;
      const ramp = rampRow + (px - side / 2) * rampX;
      let c = 0;
      if (inRows && x >= x0 && x < x1) {
        const dx = px - cx;
        const dy = py - cy;
        c = coverage(label, cos * dx + sin * dy, cos * dy - sin * dx, s, flipTriangle);
      }
      buf[o] = (bg0 + ramp) * (1 - c) + fg0 * c;
      buf[o + 1] = (bg1 + ramp) * (1 - c) + fg1 * c;
      buf[o + 2] = (bg2 + ramp) * (1 - c) + fg2 * c;
    }
  }

  // 2. Distractor blobs painted over their own small boxes.
  for (let k = 0; k < blobCount; k++) {
    const bx = uniform(random, 0, side);
    const by = uniform(random, 0, side);
    const br = uniform(random, 1, 2.2);
    const c0 = random();
    const c1 = random();
    const c2 = random();
    for (let y = max(0, floor(by - br - 1)); y < min(side, ceil(by + br + 1)); y++) {
      for (let x = max(0, floor(bx - br - 1)); x < min(side, ceil(bx + br + 1)); x++) {
        const dx = x + 0.5 - bx;
        const dy = y + 0.5 - by;
        const a = clamp01(br + 0.5 - sqrt(dx * dx + dy * dy));
        if (a === 0) continue;
        const o = (y * side + x) * 3;
        buf[o] = buf[o]! * (1 - a) + c0 * a;
        buf[o + 1] = buf[o + 1]! * (1 - a) + c1 * a;
        buf[o + 2] = buf[o + 2]! * (1 - a) + c2 * a;
      }
    }
  }

  // 3. Noise and quantisation. An inline xorshift32 gives two triangular (sum of two uniform bytes)
  // variates per draw: per-pixel noise is the hot loop, and unit variance needs a scale of sqrt(6).
  let state = floor(random() * 4294967296) | 1; // kept int32: a uint32 above 2^31 would be a heap number
  const scale = (sigma * sqrt(6)) / 255;
  const n = side * side * 3;
  for (let i = 0; i < n; i += 2) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const a = (state & 0xff) + ((state >>> 8) & 0xff) - 255;
    const b = ((state >>> 16) & 0xff) + ((state >>> 24) & 0xff) - 255;
    const v0 = buf[i]! + a * scale;
    const v1 = buf[i + 1]! + b * scale;
    out[offset + i] = v0 <= 0 ? 0 : v0 >= 1 ? 255 : (v0 * 255 + 0.5) | 0;
    out[offset + i + 1] = v1 <= 0 ? 0 : v1 >= 1 ? 255 : (v1 * 255 + 0.5) | 0;
  }
}

export interface SyntheticOptions {
  readonly split: 'train' | 'test';
  /** Images to generate (default 10,000 train / 2,000 test). */
  readonly size?: number | undefined;
  /** Which synthetic world (default 0); train and test of one seed never share an image. */
  readonly seed?: number | undefined;
}

/**
 * Generates a synthetic split: image i has label i mod 10 (balanced) and is drawn from a random stream
 * seeded by (seed, split, i) alone, so any image can be regenerated on its own and every run agrees.
 */
export function generateSynthetic(options: SyntheticOptions): { store: PixelStore; labels: Int32Array; classNames: string[] } {
  const size = options.size ?? SYNTHETIC_DEFAULT_SIZES[options.split];
  const seed = options.seed ?? 0;
  if (!Number.isInteger(size) || size < 1) throw invalidArgument(`synthetic: size must be a positive integer, got ${size}`);
  if (!Number.isInteger(seed)) throw invalidArgument(`synthetic: seed must be an integer, got ${seed}`);
  const pixels = SYNTHETIC_SIDE * SYNTHETIC_SIDE * 3;
  const data = sharedBytes(size * pixels);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    labels[i] = i % SYNTHETIC_CLASSES.length;
    drawSyntheticImage(labels[i]!, mulberry32(mixSeed(seed, SPLIT_SALT[options.split], i)), data, i * pixels);
  }
  return {
    store: { kind: 'pixels', count: size, width: SYNTHETIC_SIDE, height: SYNTHETIC_SIDE, data, label: `synthetic-${options.split}` },
    labels,
    classNames: [...SYNTHETIC_CLASSES],
  };
}
