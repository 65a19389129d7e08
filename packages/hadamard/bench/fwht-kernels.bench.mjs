// Design benchmark: the kernel choices the library made, measured side by side on the same
// data. Part 1: fwht kernels (Float32, batch 256), self-contained alternatives and, last, the
// library's fwht from dist. Part 2: the dense ±1 core mix of hadamardTransform (one vector of
// m rows of `width`), three ways. Run: pnpm --filter @fixclf/hadamard bench:kernels
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

// prettier-ignore
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
// prettier-ignore
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

console.log(
  `fwht kernel choices — node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log('ns per element, Float32, batch 256 (alternatives run on Float32 only, so they are monomorphic here;');
console.log('the library kernel also serves Float64 and widens Float32 into a Float64 scratch vector)\n');
console.log(
  `${'n'.padStart(6)}  ${Object.keys(kernels)
    .map((k) => k.padStart(15))
    .join('')}`,
);
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

// ---- Part 2: the ±1 core mix, out_i = Σ_j s_ij · row_j, rows of length `width` ----

// One ± row update per input row (the textbook loop).
function mixOneRowAtATime(x, out, s, m, width) {
  for (let i = 0; i < m; i++) {
    const dst = i * width;
    out.fill(0, dst, dst + width);
    for (let j = 0; j < m; j++) {
      const src = j * width;
      if (s[i * m + j] > 0) for (let c = 0; c < width; c++) out[dst + c] += x[src + c];
      else for (let c = 0; c < width; c++) out[dst + c] -= x[src + c];
    }
  }
}

// Eight input rows folded into each pass over the output row, multiplying by ±1.0.
// prettier-ignore
function mixEightRowsFused(x, out, s, m, width) {
  for (let i = 0; i < m; i++) {
    const dst = i * width;
    const r = i * m;
    out.fill(0, dst, dst + width);
    let j = 0;
    for (; j + 8 <= m; j += 8) {
      const s0 = s[r + j], s1 = s[r + j + 1], s2 = s[r + j + 2], s3 = s[r + j + 3];
      const s4 = s[r + j + 4], s5 = s[r + j + 5], s6 = s[r + j + 6], s7 = s[r + j + 7];
      for (let c = 0, k = j * width; c < width; c++, k++) {
        out[dst + c] += s0 * x[k] + s1 * x[k + width] + s2 * x[k + 2 * width] + s3 * x[k + 3 * width] +
          s4 * x[k + 4 * width] + s5 * x[k + 5 * width] + s6 * x[k + 6 * width] + s7 * x[k + 7 * width];
      }
    }
    for (; j < m; j++) for (let c = 0, k = j * width; c < width; c++, k++) out[dst + c] += s[r + j] * x[k];
  }
}

// Four Russians (as the library does it): groups of g rows (g = 4 below m = 256, else 5);
// tabulate the 2^g signed sums per group, then add four table rows per pass over each output row.
// prettier-ignore
function makePatternMix(s, m, width) {
  const g = m < 256 ? 4 : 5;
  const size = 1 << g;
  const groups = Math.ceil(m / g);
  const entry = new Int32Array(m * groups);
  for (let i = 0; i < m; i++) {
    for (let G = 0; G < groups; G++) {
      let p = 0;
      for (let t = 0; t < g && G * g + t < m; t++) if (s[i * m + G * g + t] > 0) p |= 1 << t;
      entry[i * groups + G] = (G * size + p) * width;
    }
  }
  const table = new Float64Array(groups * size * width);
  return (x, out) => {
    for (let G = 0; G < groups; G++) {
      const rows = Math.min(g, m - G * g);
      const base = G * size * width;
      for (let c = 0; c < width; c++) {
        let sum = 0;
        for (let t = 0; t < rows; t++) sum -= x[(G * g + t) * width + c];
        table[base + c] = sum;
      }
      for (let p = 1; p < 1 << rows; p++) {
        const low = p & -p;
        const row = (G * g + 31 - Math.clz32(low)) * width;
        for (let c = 0; c < width; c++) table[base + p * width + c] = table[base + (p ^ low) * width + c] + 2 * x[row + c];
      }
    }
    for (let i = 0; i < m; i++) {
      const r = i * groups;
      const o = i * width;
      for (let c = 0; c < width; c++) out[o + c] = table[entry[r] + c];
      let G = 1;
      for (; G + 4 <= groups; G += 4) {
        const a = entry[r + G], b = entry[r + G + 1], d = entry[r + G + 2], e = entry[r + G + 3];
        for (let c = 0; c < width; c++) out[o + c] += table[a + c] + table[b + c] + table[d + c] + table[e + c];
      }
      for (; G < groups; G++) for (let c = 0; c < width; c++) out[o + c] += table[entry[r + G] + c];
    }
  };
}

console.log('\n±1 core mix of one vector (m rows of `width`), ns per element');
console.log(`${'m·width'.padStart(10)}${'one row/pass'.padStart(15)}${'8 rows fused'.padStart(15)}${'4 Russians'.padStart(15)}`);
for (const [m, width] of [
  [12, 128],
  [20, 16],
  [52, 32],
  [100, 2],
  [500, 2],
]) {
  const n = m * width;
  const s = new Float64Array(m * m);
  let seed = 12345;
  for (let i = 0; i < s.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    s[i] = seed & 1 ? 1 : -1;
  }
  const x = Float64Array.from(randomFloat32(n, m));
  const pattern = makePatternMix(s, m, width);
  const variants = [(o) => mixOneRowAtATime(x, o, s, m, width), (o) => mixEightRowsFused(x, o, s, m, width), (o) => pattern(x, o)];
  const reference = new Float64Array(n);
  variants[0](reference);
  const cells = variants.map((run) => {
    const out = new Float64Array(n);
    run(out);
    for (let i = 0; i < n; i++) if (Math.abs(out[i] - reference[i]) > 1e-9) throw new Error(`mix variant wrong for m = ${m}`);
    for (let w = 0; w < 20; w++) run(out);
    let reps = 0;
    const start = performance.now();
    let elapsed;
    do {
      for (let k = 0; k < 10; k++) run(out);
      reps += 10;
      elapsed = performance.now() - start;
    } while (elapsed < 300);
    return ((elapsed * 1e6) / reps / n).toFixed(2).padStart(15);
  });
  console.log(`${`${m}·${width}`.padStart(10)}${cells.join('')}`);
}
