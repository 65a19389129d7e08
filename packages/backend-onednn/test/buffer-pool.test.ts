import * as tf from '@tensorflow/tfjs';

import type { OneDnnBackend } from '../src/backend';
import { BufferPool } from '../src/buffer-pool';
import { input } from './helpers';

describe('BufferPool', () => {
  const pool = () => new BufferPool((bytes) => new ArrayBuffer(bytes), 1 << 20);

  test('a released array is handed out again for the same length', () => {
    const p = pool();
    const a = p.take(100);
    p.release(a);
    expect(p.take(100)).toBe(a);
    expect(p.take(100)).not.toBe(a);
    expect(p.snapshot()).toMatchObject({ allocations: 2, reuses: 1 });
  });

  test('an escaped array is never recycled', () => {
    const p = pool();
    const a = p.take(10);
    p.markEscaped(a);
    p.release(a);
    expect(p.take(10)).not.toBe(a);
  });

  test('free memory beyond the capacity (and twice the peak in use) is dropped, oldest first', () => {
    const p = new BufferPool((bytes) => new ArrayBuffer(bytes), 0);
    const arrays = [p.take(1000), p.take(1000), p.take(1000)];
    p.release(arrays[0]);
    p.release(arrays[1]);
    p.release(arrays[2]);
    expect(p.snapshot().freeBytes).toBe(12000);
    // Shapes that peak at different moments: the pool keeps what the next round will need.
    for (let round = 0; round < 3; round++) {
      const a = p.take(1000);
      p.release(a);
      const b = p.take(2000);
      p.release(b);
    }
    expect(p.snapshot().allocations).toBe(4);
    p.evict(8000); // the newest, b's 2000 floats, stays
    expect(p.snapshot().freeBytes).toBe(8000);
    p.evict(0);
    expect(p.snapshot().freeBytes).toBe(0);
  });
});

describe('pooled tensor storage on the onednn backend', () => {
  beforeEach(async () => {
    await tf.setBackend('onednn');
  });

  test('values read with dataSync survive dispose and later allocations', () => {
    const x = tf.tensor(input([64, 64], 1).values, [64, 64]);
    const y = tf.relu(x);
    const values = y.dataSync();
    const copy = values.slice();
    y.dispose();
    for (let i = 0; i < 4; i++) tf.relu(x).dispose();
    expect(values).toEqual(copy);
    x.dispose();
  });

  test('a copy-free slice keeps its parent storage from being recycled', () => {
    const x = tf.tensor(input([8, 32], 2).values, [8, 32]);
    const parent = tf.relu(x);
    const view = tf.slice(parent, [2, 0], [3, 32]);
    const expected = parent.dataSync().slice(64, 160);
    parent.dispose();
    for (let i = 0; i < 4; i++) tf.abs(tf.neg(x)).dispose();
    expect(view.dataSync()).toEqual(expected);
    tf.dispose([x, view]);
  });

  test('disposed tensors return their storage to the pool', () => {
    const backend = tf.backend() as OneDnnBackend;
    const x = tf.tensor(input([100, 100], 3).values, [100, 100]);
    tf.relu(x).dispose();
    const before = backend.poolStats();
    tf.relu(x).dispose();
    const after = backend.poolStats();
    expect(after.reuses).toBe(before.reuses + 1);
    expect(after.allocations).toBe(before.allocations);
    x.dispose();
  });
});
