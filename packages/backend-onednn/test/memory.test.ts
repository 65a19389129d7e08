import * as tf from '@tensorflow/tfjs';

import { resnetCifar } from '../bench/resnet-cifar';
import type { OneDnnBackend } from '../src/backend';
import { input } from './helpers';

test('200 training steps leave tensor count, pooled storage and resident memory flat', async () => {
  await tf.setBackend('onednn');
  const backend = tf.backend() as OneDnnBackend;
  const batch = 16;
  const model = resnetCifar(tf, 8, { seed: 5, inputSize: 16 });
  const optimizer = tf.train.momentum(0.05, 0.9);
  const x = tf.tensor4d(input([batch, 16, 16, 3], 1).values, [batch, 16, 16, 3]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10).toFloat();
  const step = () => {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      true,
    )!;
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  };

  for (let i = 0; i < 20; i++) step();
  const tensors = tf.memory().numTensors;
  const inUse = backend.poolStats().inUseBytes;
  const rss = process.memoryUsage().rss;
  let last = NaN;
  for (let i = 0; i < 200; i++) {
    last = step();
    if (i % 50 === 49) {
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.poolStats().inUseBytes).toBe(inUse);
    }
  }
  expect(Number.isFinite(last)).toBe(true);
  // One activation of this model is 16·16·16·16·4 B = 256 KiB; leaking one per step would add 50 MiB.
  const growth = (process.memoryUsage().rss - rss) / 2 ** 20;
  expect(growth).toBeLessThan(24);
  expect(backend.poolStats().reuses).toBeGreaterThan(backend.poolStats().allocations * 10);
}, 120_000);
