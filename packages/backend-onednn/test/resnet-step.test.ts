import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

import { fuseBatchNormTraining, fuseTrunkTraining } from '@fixclf/layers';
import { createModel } from '@fixclf/models';

import { silenceCpuFirstUseWarning } from '../src/tfjs-internals';
import { input, lossAndGradients, random, relativeError } from './helpers';

// 16×16 images keep the cpu side of the comparison to seconds; the network is ResNet-20 all the same.
const SIZE = 16;

// One training step's loss and the gradient of every trainable weight, from the same weights and batch.
async function trainingStep(
  backend: 'onednn' | 'cpu',
  weights: tf.NamedTensorMap | null,
  xs: Float32Array,
  labels: Float32Array,
  batch: number,
  fused = false,
) {
  await tf.setBackend(backend);
  silenceCpuFirstUseWarning(tf.backend() as MathBackendCPU);
  const model = createModel('resnet20', { numClasses: 10, classifier: 'learned', inputShape: [SIZE, SIZE, 3], seed: 3 });
  // As `fixclf train` runs it: each batch norm as one op, and the trunk (all but the head) as one op.
  if (fused) fuseBatchNormTraining(model);
  if (fused) expect(fuseTrunkTraining(model)).toBe(73);
  if (weights !== null) model.setWeights(model.weights.map((w) => weights[w.originalName]!));
  const snapshot: tf.NamedTensorMap = {};
  for (const w of model.weights) snapshot[w.originalName] = tf.tensor(w.read().dataSync().slice(), w.shape as number[]);
  const x = tf.tensor4d(xs, [batch, SIZE, SIZE, 3]);
  const y = tf.tensor2d(labels, [batch, 10]);
  const result = lossAndGradients(model, x, y);
  tf.dispose([x, y]);
  model.dispose();
  return { result, snapshot };
}

test('a ResNet-20 training step gives the loss and gradients of the cpu backend, layer by layer and fused', async () => {
  const batch = 2;
  const xs = input([batch, SIZE, SIZE, 3], 11).values as Float32Array;
  const next = random(12);
  const labels = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) labels[i * 10 + Math.floor(((next() + 1) / 2) * 10)] = 1;

  const native = await trainingStep('onednn', null, xs, labels, batch);
  const reference = await trainingStep('cpu', native.snapshot, xs, labels, batch);
  const fused = await trainingStep('onednn', native.snapshot, xs, labels, batch, true);

  for (const [how, run] of [
    ['layer by layer', native],
    ['fused', fused],
  ] as const) {
    expect(Math.abs(run.result.loss - reference.result.loss) / Math.abs(reference.result.loss)).toBeLessThan(1e-3);
    expect(run.result.grads.size).toBe(reference.result.grads.size);
    expect(run.result.grads.size).toBeGreaterThan(60);
    for (const [name, expected] of reference.result.grads) {
      const error = relativeError(run.result.grads.get(name)!, expected);
      if (!(error <= 1e-3)) throw new Error(`${how}: gradient of ${name} differs from cpu: relative error ${error}`);
    }
  }
}, 180_000);
