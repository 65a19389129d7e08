import { DatasetError, describeCause } from '../errors';
import { decodeForPlan, decodeImage } from '../image/decode';
import { inspectImage } from '../image/inspect-image';
import { EncodedReader, sampleName, type DecodedCache, type ImageStore, type PixelStore } from '../image-store';
import { mixSeed, mulberry32 } from '../random';
import { planSample } from '../transforms/plan';
import { renderSample, type PixelImage } from '../transforms/render';
import type { SamplePlan } from '../transforms/spec';
import type { BatchResult, BatchTask, SampleFailure } from './batch-task';

/** Images a worker decodes at once with sharp, whose calls run on libuv's thread pool. */
const SHARP_IN_FLIGHT = 4;

/** The random stream of one sample in one epoch: a function of (seed, epoch, store index) only, so the
 * result never depends on which worker drew the sample or in which order. */
export function sampleRandom(seed: number, epoch: number, index: number) {
  return mulberry32(mixSeed(seed, epoch, index));
}

function checkSize(plan: SamplePlan, task: BatchTask, fileName: () => string): void {
  if (plan.outWidth !== task.outWidth || plan.outHeight !== task.outHeight) {
    const file = fileName();
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `the transforms turn ${file} into ${plan.outHeight}×${plan.outWidth} but the dataset's batches are ${task.outHeight}×${task.outWidth}; end the pipeline with a crop or resize to that size`,
      { file },
    );
  }
}

/**
 * The sample's plan. A transform that cannot apply to this image (a crop larger than it) fails the batch
 * naming the file and its size: with images of several sizes only some of them may be too small. The
 * name is asked for only then: a folder's or tar's names are decoded from shared memory, which every
 * image would pay for otherwise.
 */
function planFor(task: BatchTask, width: number, height: number, index: number, fileName: () => string): SamplePlan {
  try {
    return planSample(task.transforms, width, height, sampleRandom(task.seed, task.epoch, index));
  } catch (cause) {
    const file = fileName();
    throw new DatasetError(
      'INVALID_ARGUMENT',
      `${file} (${width}×${height}): ${describeCause(cause)}; resize the images first (a resize before the crop), or pad them (randomCrop's padding)`,
      { file, cause },
    );
  }
}

/** Turns batch tasks into float arrays; the same code runs inline and inside worker threads. */
export class BatchProcessor {
  private readonly reader: EncodedReader | undefined;

  constructor(private readonly store: ImageStore) {
    this.reader = store.kind === 'pixels' ? undefined : new EncodedReader(store);
  }

  async run(task: BatchTask): Promise<BatchResult> {
    const perSample = task.outWidth * task.outHeight * 3;
    const x = new Float32Array(task.decodeOnly ? 0 : task.indices.length * perSample);
    if (this.store.kind === 'pixels') {
      if (task.decodeOnly) return { x, failures: [] };
      this.runPixels(this.store, task, x, perSample);
      return { x, failures: [] };
    }
    const failures: SampleFailure[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < task.indices.length) {
        const position = next++;
        const index = task.indices[position]!;
        const failure = await this.renderEncoded(task, index, x, position * perSample);
        if (failure !== undefined) failures.push({ position, index, file: sampleName(this.store, index), reason: failure });
      }
    };
    await Promise.all(Array.from({ length: Math.min(SHARP_IN_FLIGHT, task.indices.length) }, worker));
    failures.sort((a, b) => a.position - b.position);
    return { x, failures };
  }

  private runPixels(store: PixelStore, task: BatchTask, x: Float32Array, perSample: number): void {
    const { width, height } = store;
    const imageBytes = width * height * 3;
    for (let position = 0; position < task.indices.length; position++) {
      const index = task.indices[position]!;
      const name = () => sampleName(store, index);
      const plan = planFor(task, width, height, index, name);
      checkSize(plan, task, name);
      const data = store.data.subarray(index * imageBytes, (index + 1) * imageBytes);
      renderSample({ data, width, height, channels: 3 }, plan, x, position * perSample);
    }
  }

  /** Renders one encoded sample; returns why it failed, or undefined. Pipeline errors throw. */
  private async renderEncoded(task: BatchTask, index: number, x: Float32Array, offset: number): Promise<string | undefined> {
    const cache = this.store.kind === 'encoded' ? this.store.decoded : undefined;
    if (cache !== undefined) return this.renderCached(cache, task, index, x, offset);
    let bytes: Uint8Array;
    try {
      bytes = this.reader!.read(index);
    } catch (cause) {
      return `unreadable: ${describeCause(cause)}`;
    }
    let info;
    try {
      info = inspectImage(bytes);
    } catch (cause) {
      return describeCause(cause);
    }
    if (task.decodeOnly) {
      try {
        const image = await decodeImage(bytes, info);
        if (image.width !== info.width || image.height !== info.height)
          return `decoded ${image.width}×${image.height}, header says ${info.width}×${info.height}`;
      } catch (cause) {
        return `cannot decode: ${describeCause(cause)}`;
      }
      return undefined;
    }
    const name = () => sampleName(this.store, index);
    const plan = planFor(task, info.width, info.height, index, name);
    checkSize(plan, task, name);
    try {
      const decoded = await decodeForPlan(bytes, info, plan);
      renderSample(decoded.image, decoded.plan, x, offset);
    } catch (cause) {
      return `cannot decode: ${describeCause(cause)}`;
    }
    return undefined;
  }

  /**
   * Small images of one size: pixels from the decoded cache, or decoded in full (whichever decoder the size
   * calls for), stored in the cache and then rendered. Always the full decode and the JS resampler, so
   * the first epoch and every later one give identical values.
   */
  private async renderCached(
    cache: DecodedCache,
    task: BatchTask,
    index: number,
    x: Float32Array,
    offset: number,
  ): Promise<string | undefined> {
    const { width, height } = cache;
    const size = width * height * 3;
    if (Atomics.load(cache.ready, index) !== 1) {
      let image: PixelImage;
      try {
        const bytes = this.reader!.read(index);
        image = await decodeImage(bytes, inspectImage(bytes));
      } catch (cause) {
        return `cannot decode: ${describeCause(cause)}`;
      }
      if (image.width !== width || image.height !== height || image.channels !== 3)
        return `decoded ${image.width}×${image.height}, expected ${width}×${height}`;
      cache.data.set(image.data, index * size);
      Atomics.store(cache.ready, index, 1); // after the pixels: a thread that sees the flag sees them
    }
    if (task.decodeOnly) return undefined;
    const name = () => sampleName(this.store, index);
    const plan = planFor(task, width, height, index, name);
    checkSize(plan, task, name);
    renderSample({ data: cache.data.subarray(index * size, (index + 1) * size), width, height, channels: 3 }, plan, x, offset);
    return undefined;
  }

  close(): void {
    this.reader?.close();
  }
}
