import decodeJpeg from 'jpeg-js/lib/decoder.js';

/** The parts of a fixclf run.json the page needs. */
export interface RunInfo {
  model: string;
  classifier: string;
  classNames: string[];
  inputShape: [number, number, number];
  preprocessing: {
    imageSize: [number, number];
    mean: number[];
    std: number[];
    eval: { type: string; mean?: number[]; std?: number[] }[];
  };
}

/** Per-channel affine map value = pixel · scale + bias, folded from the run's evaluation pipeline. */
export interface PixelMap {
  height: number;
  width: number;
  scale: [number, number, number];
  bias: [number, number, number];
}

function triple(values: number[] | undefined, what: string): [number, number, number] {
  if (!values || (values.length !== 1 && values.length !== 3)) throw new Error(`run.json: normalize ${what} must hold 1 or 3 numbers`);
  return values.length === 1 ? [values[0]!, values[0]!, values[0]!] : [values[0]!, values[1]!, values[2]!];
}

/**
 * The run's evaluation preprocessing as one affine map, as @fixclf/datasets folds it: pixels scaled to
 * [0, 1], then each `normalize` step's (v − mean) / std. For CIFAR that is the whole pipeline (32×32, no
 * crop or resize); anything else (a resize or crop, an ImageNet run) is refused rather than approximated.
 */
export function evalPixelMap(run: RunInfo): PixelMap {
  const [height, width] = run.preprocessing.imageSize;
  let scale: [number, number, number] = [1 / 255, 1 / 255, 1 / 255];
  let bias: [number, number, number] = [0, 0, 0];
  for (const step of run.preprocessing.eval) {
    if (step.type !== 'normalize') {
      throw new Error(`run.json: evaluation transform '${step.type}' is not implemented in this page (only normalize: CIFAR runs)`);
    }
    const mean = triple(step.mean, 'mean');
    const std = triple(step.std, 'std');
    scale = [scale[0] / std[0], scale[1] / std[1], scale[2] / std[2]];
    bias = [(bias[0] - mean[0]) / std[0], (bias[1] - mean[1]) / std[1], (bias[2] - mean[2]) / std[2]];
  }
  return { height, width, scale, bias };
}

/**
 * Decodes a JPEG to RGB with jpeg-js, the decoder @fixclf/datasets uses for images this small (so for
 * every CIFAR image the run was trained and evaluated on), with the same options. The browser's own decoder
 * upsamples 4:2:0 chroma differently and would shift the pixels by a few levels.
 */
export function decodeRgb(bytes: Uint8Array): { data: Uint8Array; width: number; height: number } {
  const image = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false });
  return { data: image.data, width: image.width, height: image.height };
}

/** Writes the image's network input (HWC, RGB, float32) into out at offset. */
export function toInput(
  image: { data: Uint8Array; width: number; height: number },
  map: PixelMap,
  out: Float32Array,
  offset: number,
): void {
  if (image.width !== map.width || image.height !== map.height) {
    throw new Error(`image is ${image.width}×${image.height}; the run's input is ${map.width}×${map.height} (this page does not resize)`);
  }
  const { data } = image;
  const [s0, s1, s2] = map.scale;
  const [b0, b1, b2] = map.bias;
  for (let p = 0, o = offset; p < data.length; p += 3, o += 3) {
    out[o] = data[p]! * s0 + b0;
    out[o + 1] = data[p + 1]! * s1 + b1;
    out[o + 2] = data[p + 2]! * s2 + b2;
  }
}

export interface Ranked {
  index: number;
  className: string;
  probability: number;
}

/** The k most probable classes, most probable first (ties: lower index first). */
export function topK(probabilities: ArrayLike<number>, classNames: readonly string[], k: number): Ranked[] {
  const order = Array.from({ length: probabilities.length }, (_, i) => i);
  order.sort((a, b) => probabilities[b]! - probabilities[a]! || a - b);
  return order.slice(0, k).map((index) => ({ index, className: classNames[index] ?? String(index), probability: probabilities[index]! }));
}
