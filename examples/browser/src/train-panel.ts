import * as tf from '@tensorflow/tfjs';
import { fixedClassifier, type FixedClassifier } from '@fixclf/layers';

export interface TrainTrace {
  /** Softmax cross-entropy of each step's batch, before that step's update. */
  loss: number[];
  /** α (the FixedClassifier's 'scale') after each step; alpha[0] is the initial value. */
  alpha: number[];
  /** Tensors alive after training minus before (0: nothing leaked; set when training ends). */
  tensorsLeft?: number;
}

const FEATURES = 20;
const CLASSES = 8;
const BATCH = 64;

/** α of a FixedClassifier (its `scale`). */
export function alphaOf(layer: FixedClassifier): number {
  return layer.getScale();
}

/** A small model ending in fixedClassifier: dense 64 + ReLU, then the fixed Hadamard head (logits). */
export function buildModel(seed = 1): { model: tf.Sequential; head: FixedClassifier } {
  const head = fixedClassifier({ units: CLASSES, matrix: 'hadamard', seed });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [FEATURES], units: 64, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed }) }),
      head,
    ],
  });
  return { model, head };
}

/**
 * Synthetic data: CLASSES Gaussian clusters in FEATURES dimensions (seeded). Returns a sampler of
 * [xs, one-hot ys] batches, which the caller disposes, and `dispose` for the cluster centres.
 */
function clusters(seed: number): { sample: (step: number) => [tf.Tensor2D, tf.Tensor2D]; dispose: () => void } {
  const centres = tf.keep(tf.randomNormal([CLASSES, FEATURES], 0, 1.5, 'float32', seed));
  const sample = (step: number): [tf.Tensor2D, tf.Tensor2D] =>
    tf.tidy(() => {
      const labels = tf.randomUniformInt([BATCH], 0, CLASSES, seed + 1 + step) as tf.Tensor1D;
      const xs = tf.gather(centres, labels).add(tf.randomNormal([BATCH, FEATURES], 0, 1, 'float32', seed + 100003 + step)) as tf.Tensor2D;
      return [xs, tf.oneHot(labels, CLASSES).toFloat() as tf.Tensor2D];
    });
  return { sample, dispose: () => centres.dispose() };
}

/** Trains a fresh model `steps` steps with Adam, reporting after each step (and yielding a frame). */
export async function trainFixedClassifier(steps: number, onStep: (trace: TrainTrace) => void, seed = 1): Promise<TrainTrace> {
  const tensorsBefore = tf.memory().numTensors;
  const { model, head } = buildModel(seed);
  const data = clusters(seed);
  const optimizer = tf.train.adam(0.02);
  // This model's variables only: without a list, minimize differentiates every trainable variable alive
  // (the page's ResNet-20 too), to drop their null gradients afterwards.
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const trace: TrainTrace = { loss: [], alpha: [alphaOf(head)] };
  try {
    for (let step = 0; step < steps; step++) {
      const [xs, ys] = data.sample(step);
      try {
        const loss = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
          true,
          variables,
        )!;
        try {
          trace.loss.push((await loss.data())[0]!);
        } finally {
          loss.dispose();
        }
      } finally {
        tf.dispose([xs, ys]);
      }
      trace.alpha.push(alphaOf(head));
      onStep(trace);
      await tf.nextFrame();
    }
  } finally {
    optimizer.dispose();
    model.dispose();
    data.dispose();
  }
  trace.tensorsLeft = tf.memory().numTensors - tensorsBefore;
  return trace;
}

/** Loss (left axis, blue) and α (right axis, orange) per step on a canvas. */
export function drawTrace(canvas: HTMLCanvasElement, trace: TrainTrace, steps: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  const pad = { left: 48, right: 48, top: 12, bottom: 24 };
  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(pad.left, pad.top, width - pad.left - pad.right, height - pad.top - pad.bottom);
  const x = (i: number): number => pad.left + (i / Math.max(1, steps)) * (width - pad.left - pad.right);
  const series = (values: number[], offset: number, colour: string, side: 'left' | 'right'): void => {
    if (values.length === 0) return;
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const span = hi - lo || 1;
    const y = (v: number): number => pad.top + (1 - (v - lo) / span) * (height - pad.top - pad.bottom);
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.beginPath();
    values.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i + offset), y(v)) : ctx.lineTo(x(i + offset), y(v))));
    ctx.stroke();
    ctx.textAlign = side === 'left' ? 'right' : 'left';
    const tx = side === 'left' ? pad.left - 4 : width - pad.right + 4;
    ctx.fillText(hi.toFixed(3), tx, pad.top + 10);
    ctx.fillText(lo.toFixed(3), tx, height - pad.bottom);
  };
  // loss[i] is measured at step i (before its update); alpha[i] after i updates.
  series(trace.loss, 0, '#4a7bd0', 'left');
  series(trace.alpha, 0, '#e07a00', 'right');
  ctx.fillStyle = '#555';
  ctx.textAlign = 'center';
  ctx.fillText(`step (loss in blue, α in orange)`, width / 2, height - 6);
}
