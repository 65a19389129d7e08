// Throughput of @fixclf/datasets against the issue's targets, measured side by side in one run.
// Run: pnpm --filter @fixclf/datasets bench   (uses the built dist/; the bench script builds first via turbo)
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import sharp from 'sharp';
import { openDataset } from '../dist/index.js';
import { generateSynthetic, readTar, writeCifarDirectory } from '../dist/internals.js';

await tf.setBackend('cpu');
const here = path.dirname(fileURLToPath(import.meta.url));
const temp = mkdtempSync(path.join(os.tmpdir(), 'fixclf-datasets-bench-'));
const rows = [];
const cores = os.availableParallelism();

function report(name, imagesPerSecond, target) {
  const ratio = target ? `${(imagesPerSecond / target).toFixed(2)}× target ${target.toLocaleString('en-US')}/s` : '';
  rows.push({ name, rate: imagesPerSecond, ratio });
  console.log(`${name.padEnd(64)} ${Math.round(imagesPerSecond).toLocaleString('en-US').padStart(9)} images/s  ${ratio}`);
}

async function epoch(ds, options) {
  const start = performance.now();
  let n = 0;
  for await (const { xs, ys } of ds.batches(options)) {
    n += xs.shape[0];
    tf.dispose([xs, ys]);
  }
  return (n / (performance.now() - start)) * 1000;
}

function sharedData(relative) {
  if (process.env.FIXCLF_SHARED_DATA) return path.join(process.env.FIXCLF_SHARED_DATA, relative);
  let dir = here;
  while (!existsSync(path.join(dir, 'pnpm-workspace.yaml')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, '..', 'shared', 'data', relative);
}

console.log(
  `@fixclf/datasets benchmark — ${os.cpus()[0]?.model ?? 'cpu'} × ${cores}, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);

// 1. Synthetic generation.
{
  generateSynthetic({ split: 'test', size: 2000 }); // warm-up
  const start = performance.now();
  generateSynthetic({ split: 'train', size: 20000 });
  report('synthetic: generate 32×32 images', 20000 / ((performance.now() - start) / 1000), 20000);
}

// 2. CIFAR binary from memory: pad 4 + random crop + flip + normalise, batches of 128 as tensors.
{
  const synthetic = generateSynthetic({ split: 'train', size: 20000, seed: 1 });
  const dir = writeCifarDirectory(path.join(temp, 'cifar-10-batches-bin'), 'cifar10', {
    train: { images: synthetic.store.data, labels: synthetic.labels },
    test: { images: synthetic.store.data.subarray(0, 3072 * 1000), labels: synthetic.labels.subarray(0, 1000) },
  });
  for (const workers of [0, cores]) {
    const ds = await openDataset(dir, { checkOfficialSizes: false, workers });
    await epoch(ds, { batchSize: 128, epoch: 0 }); // warm-up (JIT, threads)
    const rate = await epoch(ds, { batchSize: 128, epoch: 1 });
    report(`CIFAR binary, augment + batch (128) from memory, ${workers === 0 ? 'calling thread' : `${workers} workers`}`, rate, 20000);
    await ds.close();
  }
}

// 3. CIFAR-10 as JPEGs, straight from the tar.gz: the first epoch includes reading the archive and decoding
// every image; later epochs read the decoded-pixel cache, or (cacheDecoded: false) decode again.
const cifarJpeg = sharedData('cifar10-jpeg/train.tar.gz');
const small = [];
if (existsSync(cifarJpeg)) {
  for (const [workers, cacheDecoded] of [...new Set([Math.max(1, cores - 1), cores])].flatMap((w) => [
    [w, true],
    [w, false],
  ])) {
    const start = performance.now();
    const ds = await openDataset(cifarJpeg, { workers, cacheDecoded });
    const opened = performance.now();
    let n = 0;
    for await (const { xs, ys } of ds.batches({ batchSize: 256, epoch: 0 })) {
      n += xs.shape[0];
      tf.dispose([xs, ys]);
    }
    const first = (n / (performance.now() - start)) * 1000;
    const how = `${workers} worker${workers > 1 ? 's' : ''}${cacheDecoded ? '' : ', no pixel cache'}`;
    if (cacheDecoded) {
      console.log(`  (read + index of the 16.5 MB tar.gz: ${((opened - start) / 1000).toFixed(2)} s)`);
      report(`CIFAR-10 JPEG tar.gz, decode + augment, epoch 1 incl. tar read, ${how}`, first, 5000);
    }
    report(
      `CIFAR-10 JPEG tar.gz, ${cacheDecoded ? 'cached pixels' : 'decode'} + augment, epoch 2, ${how}`,
      await epoch(ds, { batchSize: 256, epoch: 1 }),
      5000,
    );
    await ds.close();
  }
  await readTar(cifarJpeg, (entry, data) => {
    if (entry.kind === 'file' && small.length < 3000) small.push(Buffer.from(data));
  });
} else {
  console.log(`  (skipped the CIFAR-10 JPEG benchmark: ${cifarJpeg} is missing)`);
}

// 4. ImageNet-sized JPEGs (500×375), decode + RandomResizedCrop 224 + flip + normalise.
const large = [];
{
  const root = path.join(temp, 'imagenet-like');
  const count = 300;
  for (let i = 0; i < count; i++) {
    const img = generateSynthetic({ split: 'test', size: 1, seed: i });
    const pixels = await sharp(Buffer.from(img.store.data), { raw: { width: 32, height: 32, channels: 3 } })
      .resize(500, 375, { kernel: 'cubic' })
      .raw()
      .toBuffer();
    for (let p = 0; p < pixels.length; p += 7) pixels[p] = (pixels[p] + ((p * 2654435761) >>> 27)) & 255; // texture, so the JPEG has detail
    const file = path.join(root, `class${i % 10}`, `${String(i).padStart(4, '0')}.jpg`);
    mkdirSync(path.dirname(file), { recursive: true });
    const bytes = await sharp(pixels, { raw: { width: 500, height: 375, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    writeFileSync(file, bytes);
    if (large.length < 100) large.push(bytes);
  }
  for (const workers of [...new Set([Math.max(1, cores - 1), cores])]) {
    const ds = await openDataset(root, { workers });
    await epoch(ds, { batchSize: 32, epoch: 0 }); // warm-up: threads, sharp
    report(
      `${count} JPEGs 500×375, decode + RandomResizedCrop 224 + flip, ${workers} workers`,
      await epoch(ds, { batchSize: 32, epoch: 1 }),
      300,
    );
    const evalRate = await epoch(ds, { batchSize: 32, augment: false });
    report(`${count} JPEGs 500×375, decode + resize 256 + centre crop 224, ${workers} workers`, evalRate);
    await ds.close();
  }
}

// 5. Decoders side by side, one thread: why small JPEGs go to jpeg-js and large ones to sharp.
sharp.concurrency(1);
async function decoders(label, images, repeat) {
  const total = images.length * repeat;
  let start = performance.now();
  for (let r = 0; r < repeat; r++) for (const b of images) jpeg.decode(b, { useTArray: true, formatAsRGBA: false });
  const js = (total / (performance.now() - start)) * 1000;
  start = performance.now();
  for (let r = 0; r < repeat; r++) for (const b of images) await sharp(b).raw().toBuffer();
  const lib = (total / (performance.now() - start)) * 1000;
  report(`decode ${label}, one thread: jpeg-js`, js);
  report(`decode ${label}, one thread: sharp (${(lib / js).toFixed(2)}× jpeg-js)`, lib);
}
if (small.length > 0) await decoders('32×32 CIFAR JPEGs', small, 1);
await decoders('500×375 JPEGs', large, 2);

console.log(
  `\nload average at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
rmSync(temp, { recursive: true, force: true });
