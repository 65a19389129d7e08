// What ShuffleNet's grouped 1×1 convolutions and channel shuffle cost on a TF.js backend, measured
// side by side in one run against the built package:
//   layer     GroupedConv2D, which runs a grouped 1×1 as one batched matMul on [g, N·H·W, C/g]
//   split     split input + kernel into g slices, g convolutions, concat (its path for k > 1)
//   dense     one ordinary convolution with a block-diagonal kernel (g× the multiply-adds and weights)
// plus the channel shuffle (reshape-transpose-reshape) and the whole network's forward pass.
// Usage: pnpm --filter @fixclf/models build && pnpm --filter @fixclf/models bench [batch] [backend]
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { createModel, countFlops, ChannelShuffle, GroupedConv2D } from '../dist/index.js';

const batch = Number(process.argv[2] ?? 8);
const backend = process.argv[3] ?? 'cpu';
await tf.setBackend(backend);
tf.enableProdMode();

function time(fn, { warmup = 1, minMs = 400, maxRuns = 20 } = {}) {
  for (let i = 0; i < warmup; i++) tf.dispose(fn());
  const times = [];
  const start = performance.now();
  while (times.length < maxRuns && (times.length < 3 || performance.now() - start < minMs)) {
    const t0 = performance.now();
    const out = fn();
    (Array.isArray(out) ? out : [out]).forEach((t) => t.dataSync());
    times.push(performance.now() - t0);
    tf.dispose(out);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function blockDiagonal(kernel, groups) {
  // kernel [1, 1, in/g, out] → [1, 1, in, out] with zeros off the diagonal blocks.
  const [, , inG, out] = kernel.shape;
  const outG = out / groups;
  return tf.tidy(() => {
    const blocks = tf.split(kernel, groups, 3).map((k, g) =>
      tf.pad(k, [
        [0, 0],
        [0, 0],
        [g * inG, (groups - g - 1) * inG],
        [0, 0],
      ]),
    );
    return tf.concat(blocks, 3).reshape([1, 1, inG * groups, outG * groups]);
  });
}

function splitGrouped(x, kernel, groups) {
  const xs = tf.split(x, groups, 3);
  const ks = tf.split(kernel, groups, 3);
  return tf.concat(
    xs.map((xi, i) => tf.conv2d(xi, ks[i], 1, 'valid')),
    3,
  );
}

const layersToTime = [
  // [label, spatial, in, out] — ShuffleNet 1×, g = 3 at 224×224
  ['stage2 compress 240→60 @28²', 28, 240, 60],
  ['stage2 expand    60→240 @28²', 28, 60, 240],
  ['stage3 compress 480→120 @14²', 14, 480, 120],
  ['stage3 expand   120→480 @14²', 14, 120, 480],
  ['stage4 compress 960→240 @7²', 7, 960, 240],
  ['stage4 expand   240→960 @7²', 7, 240, 960],
];
const g = 3;
console.log(`backend ${tf.getBackend()}, batch ${batch}, groups ${g}; median ms per call (forward)`);
console.log('layer                            layer   split   dense  shuffle  split/layer  dense/layer');
for (const [label, s, cin, cout] of layersToTime) {
  const x = tf.randomNormal([batch, s, s, cin]);
  const layer = new GroupedConv2D({ filters: cout, kernelSize: 1, groups: g, useBias: false });
  layer.apply(x).dispose();
  const kernel = layer.getWeights()[0];
  const dense = blockDiagonal(kernel, g);
  // The three formulations must agree before their times mean anything.
  const [a, b, c] = [layer.apply(x), splitGrouped(x, kernel, g), tf.conv2d(x, dense, 1, 'valid')];
  const err = Math.max(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0], tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]);
  if (err > 1e-3) throw new Error(`${label}: formulations disagree by ${err}`);
  tf.dispose([a, b, c]);
  const shuffle = new ChannelShuffle({ groups: g });
  const y = layer.apply(x);
  const tl = time(() => layer.apply(x));
  const ts = time(() => tf.tidy(() => splitGrouped(x, kernel, g)));
  const td = time(() => tf.conv2d(x, dense, 1, 'valid'));
  const tsh = time(() => shuffle.apply(y));
  const cells = [tl, ts, td, tsh].map((t) => t.toFixed(1).padStart(7)).join(' ');
  console.log(`${label.padEnd(31)} ${cells} ${(ts / tl).toFixed(2).padStart(12)} ${(td / tl).toFixed(2).padStart(12)}`);
  tf.dispose([x, y, dense]);
  layer.dispose();
}

// Forward + backward (input and weight gradients) through a grouped layer vs its dense equivalent.
{
  const [s, cin, cout] = [14, 120, 480];
  const x = tf.variable(tf.randomNormal([batch, s, s, cin]));
  const layer = new GroupedConv2D({ filters: cout, kernelSize: 1, groups: g, useBias: false });
  layer.apply(x).dispose();
  const kernelVar = layer.trainableWeights[0].read();
  const dense = tf.variable(blockDiagonal(kernelVar, g));
  const step = (f, vars) => () => {
    const { value, grads } = tf.variableGrads(f, vars);
    return [value, ...Object.values(grads)];
  };
  const tl = time(step(() => tf.sum(layer.apply(x)), [x, kernelVar]));
  const ts = time(step(() => tf.sum(splitGrouped(x, kernelVar, g)), [x, kernelVar]));
  const td = time(step(() => tf.sum(tf.conv2d(x, dense, 1, 'valid')), [x, dense]));
  console.log(
    `forward+backward, stage3 expand 120→480 @14²: layer ${tl.toFixed(1)} ms, split ${ts.toFixed(1)} ms (${(ts / tl).toFixed(2)}×), dense ${td.toFixed(1)} ms (${(td / tl).toFixed(2)}×)`,
  );
  tf.dispose([x, dense]);
  layer.dispose();
}

// Where the time of a whole ShuffleNet forward pass goes.
{
  const model = createModel('shufflenet', { numClasses: 1000, classifier: 'learned', seed: 1 });
  const x = tf.randomNormal([batch, 224, 224, 3]);
  const total = time(() => model.predict(x), { minMs: 2000, maxRuns: 5 });
  const { macs } = countFlops(model);
  console.log(
    `shufflenet forward, batch ${batch} @224²: ${total.toFixed(0)} ms = ${((2 * macs * batch) / total / 1e6).toFixed(2)} effective GFLOP/s (${(macs / 1e6).toFixed(0)} M multiply-adds per image)`,
  );
  const profile = await tf.profile(() => model.predict(x));
  const byKernel = new Map();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + k.kernelTimeMs);
  const sum = [...byKernel.values()].reduce((a, b) => a + b, 0);
  const top = [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log('kernel time shares: ' + top.map(([k, t]) => `${k} ${((100 * t) / sum).toFixed(1)}%`).join(', '));
  tf.dispose(x);
  model.dispose();
}
