import { DatasetError, describeCause } from '../errors';
import { inspectImage } from '../image/inspect-image';
import { sharedBytes, sharedFloat64, sharedNames, type EncodedStore } from '../image-store';
import { summarizeSizes, type TypicalSize } from './typical-size';

/** A file left out under `onBadImage: 'skip'`, and why. */
export interface BadImage {
  readonly file: string;
  readonly reason: string;
}

export type BadImagePolicy = 'error' | 'skip';
/** Every BadImagePolicy, the default first: what the option checks and the command line offer. */
export const BAD_IMAGE_POLICIES: readonly BadImagePolicy[] = ['error', 'skip'];

export interface EncodedSample {
  readonly name: string;
  readonly label: number;
  /** The bytes, or why they could not be read. */
  readonly bytes: Uint8Array | { readonly unreadable: string };
}

export interface EncodedImages {
  readonly store: EncodedStore;
  readonly labels: Int32Array;
  readonly skipped: BadImage[];
  /** Set when every image has the same size, e.g. 32×32 for CIFAR as JPEGs. */
  readonly uniformSize: { width: number; height: number } | undefined;
  /** The most common size (or the median one) over every kept image; undefined when none was kept. */
  readonly typicalSize: TypicalSize | undefined;
}

/** How to get past bad files, for API users and for the train CLI. */
export const SKIP_BAD_IMAGES_ADVICE = "pass onBadImage: 'skip' (CLI: --on-bad-image skip) to leave such files out and count them";

/** Applies the bad-image policy to one file: throws under 'error', records under 'skip'. */
export function rejectImage(policy: BadImagePolicy, skipped: BadImage[], file: string, reason: string): void {
  if (policy === 'error') {
    throw new DatasetError('BAD_IMAGE', `${file}: ${reason} (${SKIP_BAD_IMAGES_ADVICE})`, { file });
  }
  skipped.push({ file, reason });
}

/**
 * Every class must keep at least one image, or the labels would silently mean less than the class list says.
 * `present`: the labels the split has a directory for (a test split may lack a training class); default all.
 */
export function checkClassesPopulated(
  labels: Int32Array,
  classNames: readonly string[],
  skipped: readonly BadImage[],
  where: string,
  present?: readonly number[],
): void {
  const counts = classCounts(labels, classNames.length);
  const required = present === undefined ? undefined : new Set(present);
  counts.forEach((count, label) => {
    if (count === 0 && (required === undefined || required.has(label))) throw emptyClass(classNames[label]!, where, skipped.length);
  });
}

/** Images of each class, from their labels. */
export function classCounts(labels: Iterable<number>, numClasses: number): Int32Array {
  const counts = new Int32Array(numClasses);
  for (const label of labels) counts[label]!++;
  return counts;
}

/** A class left without images by skipped files: at open (files in memory) or when its last one fails to decode. */
export function emptyClass(className: string, where: string, skipped: number): DatasetError {
  return new DatasetError('EMPTY_CLASS', `class '${className}' in ${where} has no usable images (${skipped} files skipped in all)`, {
    file: where,
  });
}

/**
 * Packs encoded images into one shared buffer after checking each one's structure (format, dimensions,
 * complete stream). Bad files fail or are skipped and counted, per `policy`; never silently dropped.
 * Small images of one size also get a decoded cache when it fits `cacheLimit`.
 */
/** Images up to this many pixels, all of one size, get a decoded cache. */
const CACHE_MAX_PIXELS = 64 * 64;

export interface PackOptions {
  readonly policy: BadImagePolicy;
  readonly where: string;
  /** Bytes the decoded cache may take (0: none). */
  readonly cacheLimit: number;
  /** Labels that must keep an image (default: every class); see checkClassesPopulated. */
  readonly presentClasses?: readonly number[];
}

export function packEncodedImages(samples: readonly EncodedSample[], classNames: readonly string[], options: PackOptions): EncodedImages {
  const { policy, where } = options;
  const skipped: BadImage[] = [];
  const kept: { name: string; label: number; bytes: Uint8Array }[] = [];
  let width = -1;
  let height = -1;
  let uniform = true;
  const sizes: { width: number; height: number }[] = [];
  for (const sample of samples) {
    if ('unreadable' in sample.bytes) {
      rejectImage(policy, skipped, sample.name, `unreadable: ${sample.bytes.unreadable}`);
      continue;
    }
    let info;
    try {
      info = inspectImage(sample.bytes);
    } catch (cause) {
      rejectImage(policy, skipped, sample.name, describeCause(cause));
      continue;
    }
    if (width < 0) {
      width = info.width;
      height = info.height;
    } else if (info.width !== width || info.height !== height) uniform = false;
    sizes.push({ width: info.width, height: info.height });
    kept.push({ name: sample.name, label: sample.label, bytes: sample.bytes });
  }
  const total = kept.reduce((n, k) => n + k.bytes.length, 0);
  const bytes = sharedBytes(total);
  const offsets = sharedFloat64(kept.length + 1);
  const labels = new Int32Array(kept.length);
  let offset = 0;
  kept.forEach((k, i) => {
    bytes.set(k.bytes, offset);
    offsets[i] = offset;
    labels[i] = k.label;
    offset += k.bytes.length;
  });
  offsets[kept.length] = offset;
  checkClassesPopulated(labels, classNames, skipped, where, options.presentClasses);
  const uniformSize = uniform && kept.length > 0 ? { width, height } : undefined;
  const cacheBytes = uniformSize ? kept.length * width * height * 3 : Infinity;
  const decoded =
    uniformSize && width * height <= CACHE_MAX_PIXELS && cacheBytes <= options.cacheLimit
      ? { width, height, data: sharedBytes(cacheBytes), ready: sharedBytes(kept.length) }
      : undefined;
  return {
    store: {
      kind: 'encoded',
      count: kept.length,
      bytes,
      offsets,
      names: sharedNames(kept.map((k) => k.name)),
      ...(decoded ? { decoded } : {}),
    },
    labels,
    skipped,
    uniformSize,
    typicalSize: summarizeSizes(sizes, 'all'),
  };
}
