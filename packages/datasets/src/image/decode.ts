import jpeg from 'jpeg-js';
import type { PixelImage } from '../transforms/render';
import type { SamplePlan } from '../transforms/spec';
import type { ImageInfo } from './image-info';
import { loadSharp } from './sharp-loader';

/**
 * Below this many pixels jpeg-js (pure JS, no per-call set-up) beats sharp, whose per-image pipeline set-up
 * dominates small images. Measured here, one thread: 32×32 jpeg-js 8,400/s vs sharp 2,400/s; 64×64 5,500 vs
 * 2,500; 96×96 1,700 vs 2,200; 500×375 150 vs 700. The crossover sits near 80×80. `bench` re-measures it.
 */
export const JPEG_JS_MAX_PIXELS = 80 * 80;

export type DecoderName = 'jpeg-js' | 'sharp';

/** Small 3- and 1-component JPEGs go to jpeg-js; CMYK ones to sharp, since jpeg-js converts CMYK to RGB without
 * the Adobe inversion and colour transform libjpeg and libvips apply (colours some 26 levels off). */
export function chooseDecoder(info: ImageInfo): DecoderName {
  return info.format === 'jpeg' && info.cmyk !== true && info.width * info.height <= JPEG_JS_MAX_PIXELS ? 'jpeg-js' : 'sharp';
}

function decodeWithJpegJs(bytes: Uint8Array): PixelImage {
  // Strict mode: a damaged entropy stream throws instead of decoding into grey blocks.
  const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false });
  return { data: decoded.data, width: decoded.width, height: decoded.height, channels: 3 };
}

async function decodeWithSharp(
  bytes: Uint8Array,
  region?: { left: number; top: number; width: number; height: number; outWidth: number; outHeight: number },
): Promise<PixelImage> {
  const sharp = await loadSharp();
  let pipeline = sharp(bytes, { failOn: 'warning' });
  if (region) {
    pipeline = pipeline
      .extract({ left: region.left, top: region.top, width: region.width, height: region.height })
      .resize(region.outWidth, region.outHeight, { fit: 'fill', kernel: 'linear' });
  }
  const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new Error(`sharp returned ${info.channels} channels of ${data.length} bytes for ${info.width}×${info.height}`);
  }
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
}

/** Decodes a whole image to RGB. */
export async function decodeImage(bytes: Uint8Array, info: ImageInfo): Promise<PixelImage> {
  if (chooseDecoder(info) === 'jpeg-js') {
    try {
      return decodeWithJpegJs(bytes);
    } catch {
      // jpeg-js lacks some JPEG features (e.g. arithmetic coding, 12-bit): libjpeg decides.
    }
  }
  return decodeWithSharp(bytes);
}

/**
 * Decodes an image for a plan. For large images sharp crops and resizes while decoding, so the rest of the
 * plan is a flip and a normalisation at output size; a crop reaching outside the image (padding) or a small
 * image takes the whole decoded image and the JS resampler.
 */
export async function decodeForPlan(
  bytes: Uint8Array,
  info: ImageInfo,
  plan: SamplePlan,
): Promise<{ image: PixelImage; plan: SamplePlan }> {
  if (chooseDecoder(info) === 'sharp') {
    const left = Math.round(plan.x);
    const top = Math.round(plan.y);
    const width = Math.round(plan.width);
    const height = Math.round(plan.height);
    const inside = left >= 0 && top >= 0 && width >= 1 && height >= 1 && left + width <= info.width && top + height <= info.height;
    if (inside) {
      const image = await decodeWithSharp(bytes, { left, top, width, height, outWidth: plan.outWidth, outHeight: plan.outHeight });
      return { image, plan: { ...plan, x: 0, y: 0, width: plan.outWidth, height: plan.outHeight } };
    }
  }
  return { image: await decodeImage(bytes, info), plan };
}
