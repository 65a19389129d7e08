// Design benchmark for fwht: the kernel choices the library made, measured side by side on
// the same data (Float32, batch 256). Self-contained alternatives are defined here; the last
// column is the library's fwht from dist. Run: pnpm --filter @fixclf/hadamard bench:kernels
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { URL } from 'node:url';

const distUrl = new URL('../dist/index.js', import.meta.url);
if (!existsSync(distUrl)) {
  console.error('bench: dist/index.js is missing; run `pnpm --filter @fixclf/hadamard build` first');
  process.exit(1);
}
const { fwht } = await import(distUrl.href);
const BATCH = 256;

// Radix-2, one stage at a time over the whole batch (the textbook loop).
function radix2Batch(x, n) {
  const total = x.length;
  for (let h = 1; h < n; h *= 2) {
    for (let i = 0; i < total; i += 2 * h) {
      for (let j = i; j < i + h; j++) {
        const a = x[j];
        const b = x[j + h];
        x[j] = a + b;
        x[j + h] = a - b;
      }
    }
  }
}

function radix4Stages(x, lo, hi, h, n) {
  for (; h < n; h *= 4) {
    const h2 = 2 * h;
    const h3 = 3 * h;
    for (let i = lo; i < hi; i += 4 * h) {
      for (let j = i, end = i + h; j < end; j++) {
        const a0 = x[j], a1 = x[j + h], a2 = x[j + h2], a3 = x[j + h3];
        const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
        x[j] = b0 + b2;
        x[j + h] = b1 + b3;
        x[j + h2] = b0 - b2;
        x[j + h3] = b1 - b3;
      }
    }
  }
}

// The first one or two stages in registers so the rest pair up in radix-4 passes.
function firstStages(x, lo, hi, n) {
  if ((31 - Math.clz32(n)) % 2 === 1) {
    for (let i = lo; i < hi; i += 2) {
      const a = x[i];
      const b = x[i + 1];
      x[i] = a + b;
      x[i + 1] = a - b;
    }
    return 2;
  }
  return 1;
}

// Radix-4 over the whole batch, stage pair by stage pair (streams the batch log4(n) times).
function radix4Batch(x, n) {
  const h = firstStages(x, 0, x.length, n);
  radix4Stages(x, 0, x.length, h, n);
}

// Radix-4, one vector at a time, directly on the Float32 data.
function radix4PerVector(x, n) {
  for (let off = 0; off < x.length; off += n) radix4Stages(x, off, off + n, firstStages(x, off, off + n, n), n);
}

// Radix-8 passes, one vector at a time, directly on the Float32 data.
function radix8PerVector(x, n) {
  for (let off = 0; off < x.length; off += n) {
    const end = off + n;
    let h = 1;
    const log = 31 - Math.clz32(n);
    for (let r = log % 3; r > 0; r--, h *= 2) {
      for (let i = off; i < end; i += 2 * h) {
        for (let j = i; j < i + h; j++) {
          const a = x[j];
          const b = x[j + h];
          x[j] = a + b;
          x[j + h] = a - b;
        }
      }
    }
    for (; h < n; h *= 8) {
      for (let i = off; i < end; i += 8 * h) {
        for (let j = i, stop = i + h; j < stop; j++) {
          const a0 = x[j], a1 = x[j + h], a2 = x[j + 2 * h], a3 = x[j + 3 * h];
          const a4 = x[j + 4 * h], a5 = x[j + 5 * h], a6 = x[j + 6 * h], a7 = x[j + 7 * h];
          const b0 = a0 + a1, b1 = a0 - a1, b2 = a2 + a3, b3 = a2 - a3;
          const b4 = a4 + a5, b5 = a4 - a5, b6 = a6 + a7, b7 = a6 - a7;
          const c0 = b0 + b2, c1 = b1 + b3, c2 = b0 - b2, c3 = b1 - b3;
          const c4 = b4 + b6, c5 = b5 + b7, c6 = b4 - b6, c7 = b5 - b7;
          x[j] = c0 + c4;
          x[j + h] = c1 + c5;
          x[j + 2 * h] = c2 + c6;
          x[j + 3 * h] = c3 + c7;
          x[j + 4 * h] = c0 - c4;
          x[j + 5 * h] = c1 - c5;
          x[j + 6 * h] = c2 - c6;
          x[j + 7 * h] = c3 - c7;
        }
      }
    }
  }
}

function randomFloat32(length, seed) {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

function nsPerElement(kernel, data, n) {
  for (let w = 0; w < 3; w++) kernel(data, n);
  let reps = 0;
  const start = performance.now();
  let elapsed;
  do {
    kernel(data, n);
    reps++;
    elapsed = performance.now() - start;
  } while (elapsed < 300);
  return (elapsed * 1e6) / reps / data.length;
}

const kernels = {
  'radix-2 batch': radix2Batch,
  'radix-4 batch': radix4Batch,
  'radix-4 vector': radix4PerVector,
  'radix-8 vector': radix8PerVector,
  'library fwht': (x, n) => fwht(x, n),
};

console.log(`fwht kernel choices — node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('ns per element, Float32, batch 256 (alternatives run on Float32 only, so they are monomorphic here;');
console.log('the library kernel also serves Float64 and widens Float32 into a Float64 scratch vector)\n');
console.log(`${'n'.padStart(6)}  ${Object.keys(kernels).map((k) => k.padStart(15)).join('')}`);
for (const n of [256, 1024, 4096, 8192]) {
  const base = randomFloat32(n * BATCH, n);
  const expected = Float32Array.from(base);
  radix2Batch(expected, n);
  const cells = [];
  for (const [name, kernel] of Object.entries(kernels)) {
    const check = Float32Array.from(base);
    kernel(check, n);
    for (let i = 0; i < check.length; i++) {
      if (Math.abs(check[i] - expected[i]) > 1e-3 * Math.sqrt(n)) throw new Error(`${name} is wrong at ${i}`);
    }
    cells.push(nsPerElement(kernel, Float32Array.from(base), n).toFixed(3).padStart(15));
  }
  console.log(`${String(n).padStart(6)}  ${cells.join('')}`);
}
