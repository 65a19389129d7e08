// Runs the same computation on 'onednn' and on TF.js's own 'cpu' backend and compares the results.
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

import '../src/index';
import { silenceCpuFirstUseWarning } from '../src/tfjs-internals';

export interface Input {
  shape: number[];
  values: Float32Array | Int32Array;
  dtype?: 'float32' | 'int32';
}

/** A deterministic stream of floats in [-1, 1) (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

export function input(shape: number[], seed: number, scale = 1): Input {
  const next = random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = next() * scale;
  return { shape, values };
}

export function intInput(shape: number[], seed: number, max = 10): Input {
  const next = random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Int32Array(size);
  for (let i = 0; i < size; i++) values[i] = Math.floor(((next() + 1) / 2) * max);
  return { shape, values, dtype: 'int32' };
}

export interface Result {
  shape: number[];
  values: Float32Array | Int32Array | Uint8Array;
}

/** Evaluates `build` on tensors made from `inputs` in `backend`; copies the outputs out. */
export async function evaluate(
  backend: 'onednn' | 'cpu',
  inputs: Input[],
  build: (...tensors: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<Result[]> {
  await tf.setBackend(backend);
  // The cpu backend greets its first tensor in Node with advice to install tfjs-node.
  silenceCpuFirstUseWarning(tf.backend() as MathBackendCPU);
  return tf.tidy(() => {
    const tensors = inputs.map((i) => tf.tensor(i.values.slice(), i.shape, i.dtype ?? 'float32'));
    const out = build(...tensors);
    const list = Array.isArray(out) ? out : [out];
    return list.map((t) => ({ shape: t.shape, values: (t.dataSync() as Float32Array).slice() }));
  });
}

/** max |a − b| / max(max |b|, 1e-6): the error relative to the reference's magnitude. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = 1e-6;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) if (!Number.isNaN(expected[i])) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(a) !== Number.isNaN(e)) return Infinity;
    if (!Number.isNaN(e)) worst = Math.max(worst, Math.abs(a - e));
  }
  return worst / scale;
}

/** The cosine of the angle between two vectors (1 when both are zero). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa === 0 && bb === 0 ? 1 : ab / Math.sqrt(aa * bb);
}

/** Asserts that onednn and cpu agree on every output within `tolerance` and returns the onednn outputs. */
export async function expectMatchesCpu(
  inputs: Input[],
  build: (...tensors: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  tolerance = 1e-4,
): Promise<Result[]> {
  const actual = await evaluate('onednn', inputs, build);
  const expected = await evaluate('cpu', inputs, build);
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.shape).toEqual(expected[i]!.shape);
    const error = relativeError(a.values, expected[i]!.values);
    if (!(error <= tolerance)) {
      throw new Error(`output ${i} (shape ${JSON.stringify(a.shape)}) differs from cpu: relative error ${error}`);
    }
  });
  return actual;
}

/** Counts how often kernels run on the active backend while `fn` runs (tf.profile). */
export async function kernelNames(fn: () => tf.TensorContainer): Promise<string[]> {
  const info = await tf.profile(() => fn());
  return info.kernels.map((k) => k.name);
}

export interface TrainingStep {
  loss: number;
  /** Each trainable weight's gradient, by its name without the suffix TF.js adds to a repeated name. */
  grads: Map<string, Float32Array>;
}

/** One training call of `model` on `x` with one-hot `labels`: the softmax cross-entropy and its gradients. */
export function lossAndGradients(model: tf.LayersModel, x: tf.Tensor, labels: tf.Tensor): TrainingStep {
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
  );
  const step: TrainingStep = { loss: value.dataSync()[0]!, grads: new Map() };
  for (const [name, g] of Object.entries(grads)) step.grads.set(name.replace(/_\d+$/, ''), (g.dataSync() as Float32Array).slice());
  tf.dispose([value, ...Object.values(grads)]);
  return step;
}

/** One-hot labels for `batch` images over `classes` classes, image i labelled (7·i) mod classes. */
export function spreadLabels(batch: number, classes = 10): tf.Tensor {
  return tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor1d(
          [...Array(batch).keys()].map((i) => (i * 7) % classes),
          'int32',
        ),
        classes,
      )
      .toFloat(),
  );
}

/** The batch norms' moving averages of `model`, by weight name. */
export function movingAverages(model: tf.LayersModel): Map<string, Float32Array> {
  const moving = new Map<string, Float32Array>();
  for (const w of model.weights) {
    if (w.originalName.includes('moving')) moving.set(w.originalName, (w.read().dataSync() as Float32Array).slice());
  }
  return moving;
}
