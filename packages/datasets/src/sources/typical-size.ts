import { inspectImage } from '../image/inspect-image';
import { EncodedReader, type FileStore, type TarStore } from '../image-store';

/**
 * The typical width and height of a source's images: only picks defaults (the CIFAR recipe for small
 * images); batches never rely on it.
 */
export interface TypicalSize {
  readonly width: number;
  readonly height: number;
  /** 'common': the size of at least half of the examined images; 'median': sizes vary, median width and height. */
  readonly basis: 'common' | 'median';
  /** Examined images of exactly this size (for 'median', those of the most common size). */
  readonly count: number;
  /** Images whose size was read. */
  readonly examined: number;
  /** 'all' when every image was examined, 'sampled' when a few evenly spaced ones of a store left on disk. */
  readonly scope: 'all' | 'sampled';
}

/**
 * The typical size of `sizes`: the most common one when at least half share it, else the median width and
 * height. A few odd images must not change the recipe (one 33×32 image among 299 of 32×32 once switched a
 * folder to the ImageNet recipe at 224×224), nor must many sizes with no majority leave it unknown.
 */
export function summarizeSizes(sizes: readonly { width: number; height: number }[], scope: 'all' | 'sampled'): TypicalSize | undefined {
  if (sizes.length === 0) return undefined;
  const counts = new Map<string, { width: number; height: number; count: number }>();
  let best: { width: number; height: number; count: number } | undefined;
  for (const { width, height } of sizes) {
    const key = `${width}x${height}`;
    const entry = counts.get(key) ?? { width, height, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
    // Ties keep the size seen first, so the answer does not depend on Map iteration details.
    if (best === undefined || entry.count > best.count) best = entry;
  }
  const examined = sizes.length;
  if (best !== undefined && 2 * best.count >= examined) {
    return { width: best.width, height: best.height, basis: 'common', count: best.count, examined, scope };
  }
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  return {
    width: median(sizes.map((s) => s.width)),
    height: median(sizes.map((s) => s.height)),
    basis: 'median',
    count: best?.count ?? 0,
    examined,
    scope,
  };
}

/** "typically 32×32 (299 of 300 images)", "varied (median 250×200; no size shared by half of 16 sampled)". */
export function describeTypicalSize(size: TypicalSize): string {
  const of = size.scope === 'all' ? `${size.examined} images` : `${size.examined} sampled`;
  if (size.basis === 'common') {
    if (size.count === size.examined && size.scope === 'all') return `all ${size.width}×${size.height} (${of})`;
    return `typically ${size.width}×${size.height} (${size.count} of ${of})`;
  }
  return `of varied sizes (median ${size.width}×${size.height}; no size shared by half of ${of})`;
}

/**
 * The typical size of a few evenly spaced images of a store left on disk (see {@link summarizeSizes}), or
 * undefined when none of them can be read.
 */
export function typicalSize(store: FileStore | TarStore, samples = 16): TypicalSize | undefined {
  const reader = new EncodedReader(store);
  try {
    const sizes: { width: number; height: number }[] = [];
    const n = Math.min(samples, store.count);
    for (let k = 0; k < n; k++) {
      const index = Math.floor((k * store.count) / n);
      try {
        const info = inspectImage(reader.read(index));
        sizes.push({ width: info.width, height: info.height });
      } catch {
        // unreadable or not an image: reported when its batch is made; the others still tell the size
      }
    }
    return summarizeSizes(sizes, store.count <= samples ? 'all' : 'sampled');
  } finally {
    reader.close();
  }
}
