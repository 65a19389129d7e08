import type SharpFactory from 'sharp';
import { describeCause } from '../errors';

export type Sharp = typeof SharpFactory;

let loading: Promise<Sharp> | undefined;

/**
 * sharp (libvips + libjpeg-turbo) loads on first use: datasets of raw pixels (CIFAR, synthetic) and of
 * small JPEGs never pay for its native library. One libvips thread per image: parallelism comes from
 * decoding several images at once across worker threads, which beats splitting a small image.
 */
export function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then(
    (module) => {
      const sharp = ((module as { default?: Sharp }).default ?? module) as Sharp;
      sharp.concurrency(1);
      sharp.cache(false);
      return sharp;
    },
    (cause: unknown) => {
      loading = undefined;
      throw new Error(`the image library sharp could not be loaded (${describeCause(cause)}); it decodes PNGs and large JPEGs`);
    },
  );
  return loading;
}
