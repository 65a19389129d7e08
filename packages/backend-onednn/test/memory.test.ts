import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import * as tf from '@tensorflow/tfjs';

import { createModel } from '@fixclf/models';

import type { OneDnnBackend } from '../src/backend';
import { getThreads, setThreads } from '../src/index';
import { input } from './helpers';

// RSS is only comparable between two points once the garbage JS leaves behind has been collected, and
// the native memory of collected ArrayBuffers freed (their finalizers run after the collection).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const settled = async () => {
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  return process.memoryUsage();
};

// One thread: this test is about memory, and 220 small steps on a machine shared with other jobs (turbo
// runs packages' tests side by side) are many times faster without fork-join waits.
const threads = getThreads();
beforeAll(() => setThreads(1));
afterAll(() => setThreads(threads));

test('200 training steps leave tensor count, pooled storage and resident memory flat', async () => {
  await tf.setBackend('onednn');
  const backend = tf.backend() as OneDnnBackend;
  const batch = 32;
  const model = createModel('resnet20', { numClasses: 10, classifier: 'learned', inputShape: [16, 16, 3], seed: 5 });
  const optimizer = tf.train.momentum(0.05, 0.9);
  const x = tf.tensor4d(input([batch, 16, 16, 3], 1).values, [batch, 16, 16, 3]);
  const y = tf
    .oneHot(
      tf.tensor1d(
        Array.from({ length: batch }, (_, i) => i % 10),
        'int32',
      ),
      10,
    )
    .toFloat();
  const step = () => {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      true,
    )!;
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  };

  // Warm-up: the pool fills, V8 compiles the hot paths and sizes its heap (RSS settles after ~80 steps).
  for (let i = 0; i < 100; i++) step();
  const tensors = tf.memory().numTensors;
  const inUse = backend.poolStats().inUseBytes;
  const mib = (bytes: number) => bytes / 2 ** 20;
  // Resident memory outside V8's heap (tensor storage, native allocations): RSS less V8's reservation.
  const outsideHeap = (m: NodeJS.MemoryUsage) => mib(m.rss - m.heapTotal);
  const marks = [await settled()];
  let last = NaN;
  for (let i = 0; i < 200; i++) {
    last = step();
    if (i % 50 === 49) {
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.poolStats().inUseBytes).toBe(inUse);
    }
    if (i % 100 === 99) marks.push(await settled());
  }
  expect(Number.isFinite(last)).toBe(true);
  // One activation of this model is 32·16·16·16·4 B = 512 KiB: leaking one per step adds 50 MiB in each
  // window of 100 steps. What moves without a leak (malloc arenas, V8 code space: up to 27 MiB seen in
  // CI, 50 MiB once beside other packages' tests on a loaded machine) comes once, in one window: so a
  // leak is growth in both windows, and the smaller of the two must stay under half of that smallest
  // leak. Live JS objects are checked separately, since V8 grows and shrinks its heap reservation by
  // tens of MiB on its own schedule.
  const [start, middle, end] = marks as [NodeJS.MemoryUsage, NodeJS.MemoryUsage, NodeJS.MemoryUsage];
  expect(mib(end.heapUsed - start.heapUsed)).toBeLessThan(8);
  const windows = [outsideHeap(middle) - outsideHeap(start), outsideHeap(end) - outsideHeap(middle)];
  expect(Math.min(...windows)).toBeLessThan(24);
  expect(outsideHeap(end) - outsideHeap(start)).toBeLessThan(96); // and never more than a leak's worth in all
  expect(backend.poolStats().reuses).toBeGreaterThan(backend.poolStats().allocations * 10);
}, 180_000);
