// Benchmark: the fast Walsh–Hadamard transform and hadamardTransform against the dense
// matrix-vector product (Float32, batch 256), measured side by side in one run, plus the
// coverage of hadamardOrders. Runs against the built package: build first.
//   pnpm --filter @fixclf/hadamard build && pnpm --filter @fixclf/hadamard bench
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { URL } from 'node:url';

const distUrl = new URL('../dist/index.js', import.meta.url);
if (!existsSync(distUrl)) {
  console.error('bench: dist/index.js is missing; run `pnpm --filter @fixclf/hadamard build` first');
  process.exit(1);
}
const { fwht, hadamard, hadamardTransform, hadamardOrders, OPEN_HADAMARD_ORDERS } = await import(distUrl.href);

const BATCH = 256;
const MIN_MS = 300;

function randomFloat32(length, seed) {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

/** Runs `step` repeatedly for at least MIN_MS after a warm-up; returns ms per call. */
function timePerCall(step) {
  step();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    step();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < MIN_MS);
  return elapsed / calls;
}

/** y = H·x for each vector, H a dense row-major Float32 matrix. */
function denseMatVec(h, n, x, y, vectors) {
  for (let v = 0; v < vectors; v++) {
    const off = v * n;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) sum += h[row + j] * x[off + j];
      y[off + i] = sum;
    }
  }
}

/** ns per element of the dense product, over as many vectors of the batch as fit the time budget. */
function denseNsPerElement(matrix, n) {
  const h = Float32Array.from(matrix);
  const x = randomFloat32(n * BATCH, 7);
  const y = new Float32Array(n * BATCH);
  // Large orders take seconds per batch: time a slice of the batch that runs ≥ MIN_MS.
  let vectors = 1;
  for (;;) {
    const t0 = performance.now();
    denseMatVec(h, n, x, y, vectors);
    const ms = performance.now() - t0;
    if (ms >= MIN_MS || vectors === BATCH) {
      const ms2 = timePerCall(() => denseMatVec(h, n, x, y, vectors));
      return { ns: (ms2 * 1e6) / (vectors * n), vectors };
    }
    vectors = Math.min(BATCH, vectors * 2);
  }
}

function fmt(x, digits = 2) {
  return x.toFixed(digits).padStart(9);
}

console.log(
  `@fixclf/hadamard benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`Float32, batch ${BATCH}; ns per element = time / (batch · n); dense = row-major Float32 matrix-vector products\n`);

console.log('fwht vs dense');
console.log('      n   fwht ns/el   dense ns/el   speed-up   (dense timed on vectors)');
for (const n of [256, 512, 1024, 2048, 4096, 8192]) {
  const data = randomFloat32(n * BATCH, n);
  const fast = (timePerCall(() => fwht(data, n)) * 1e6) / (n * BATCH);
  const dense = denseNsPerElement(hadamard(n), n);
  console.log(`${String(n).padStart(7)} ${fmt(fast, 3)}    ${fmt(dense.ns)}   ${fmt(dense.ns / fast, 0)}×   (${dense.vectors})`);
}

console.log('\nhadamardTransform (n = m·2^k) vs dense');
console.log('      n       m·2^k   transform ns/el   dense ns/el   speed-up');
for (const n of [768, 1000, 1536, 1664, 1920, 2000]) {
  const t = hadamardTransform(n);
  const data = randomFloat32(n * BATCH, n);
  const fast = (timePerCall(() => t.apply(data)) * 1e6) / (n * BATCH);
  const dense = denseNsPerElement(t.matrix(), n);
  const split = `${t.m}·2^${t.k}`.padStart(11);
  console.log(`${String(n).padStart(7)} ${split}   ${fmt(fast, 3)}        ${fmt(dense.ns)}   ${fmt(dense.ns / fast, 1)}×`);
}

const orders2000 = hadamardOrders(2000).filter((n) => n >= 4);
const known = 500 - OPEN_HADAMARD_ORDERS.length;
const orders1208 = orders2000.filter((n) => n <= 1208);
const known1208 = 302 - OPEN_HADAMARD_ORDERS.filter((n) => n <= 1208).length;
console.log(
  `\ncoverage: ${orders2000.length} of the ${known} known orders 4…2000 (multiples of 4); hadamardOrders(2000).length = ${orders2000.length + 2} with 1 and 2`,
);
console.log(`coverage ≤ 1208: ${orders1208.length} of ${known1208} known (SageMath builds all ${known1208})`);
const built = new Set(orders2000);
const missing = [];
for (let n = 4; n <= 2000; n += 4) if (!built.has(n) && !OPEN_HADAMARD_ORDERS.includes(n)) missing.push(n);
console.log(`known but not built here (${missing.length}): ${missing.join(', ')}`);
