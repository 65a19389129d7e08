import { Worker } from 'node:worker_threads';
import { nameAt, sharedNames } from '../src/image-store';

describe('sharedNames', () => {
  const names = ['train/n01440764/n01440764_10026.JPEG', '', 'ü/éclair.png', '猫/çà.jpg', 'a'.repeat(5000), '🐈.jpeg'];

  it('gives back every string as it went in, any UTF-8 included', () => {
    const shared = sharedNames(names);
    expect(shared.ends.length).toBe(names.length);
    expect(names.map((_, i) => nameAt(shared, i))).toEqual(names);
    expect(shared.bytes.length).toBe(names.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0));
  });

  it('reaches a worker thread as the same memory, not a copy', async () => {
    const shared = sharedNames(names);
    expect(shared.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    // The worker overwrites the first byte; the change shows here only if the memory is shared.
    const worker = new Worker('require("node:worker_threads").workerData.bytes[0] = 0x54;', { eval: true, workerData: shared });
    await new Promise((resolve, reject) => worker.on('exit', resolve).on('error', reject));
    expect(nameAt(shared, 0)).toBe('Train/n01440764/n01440764_10026.JPEG');
  });
});
