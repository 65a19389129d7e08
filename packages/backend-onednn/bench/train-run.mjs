#!/usr/bin/env node
// One training run in its own process (so that its peak resident memory is its own): a network of
// @fixclf/models (learned classifier) on synthetic 32×32 images, SGD with momentum, `--warmup` untimed
// steps then `--steps` timed ones.
// Prints one JSON line. With --profile, also the per-kernel time of one step (tf.profile).
//
//   node bench/train-run.mjs --model resnet20 --backend onednn --batch 128 --warmup 3 --steps 10 [--precision bf16] [--fuse-batch-norm] [--fuse-trunk]
//
// --fuse-batch-norm: each batch norm trains as one op (@fixclf/layers' fuseBatchNormTraining), as `fixclf train` does.
// --fuse-trunk: the convolutional trunk trains as one op (@fixclf/layers' fuseTrunkTraining), as `fixclf train` does.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs';

import { fuseBatchNormTraining, fuseTrunkTraining } from '@fixclf/layers';
import { createModel } from '@fixclf/models';

import { trainingFlopsPerImage } from './model-flops.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'resnet20' },
    backend: { type: 'string', default: 'onednn' },
    batch: { type: 'string', default: '128' },
    warmup: { type: 'string', default: '3' },
    steps: { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
    precision: { type: 'string', default: 'fp32' },
    'fuse-batch-norm': { type: 'boolean', default: false },
    'fuse-trunk': { type: 'boolean', default: false },
  },
});
const batch = Number(args.batch);
const warmup = Number(args.warmup);
const steps = Number(args.steps);

let precision = 'fp32';
if (args.backend === 'onednn') {
  const onednn = await import('../dist/index.js');
  onednn.setPrecision(args.precision);
  precision = onednn.getPrecision(); // fp32 where the CPU has no bf16
}
if (!(await tf.setBackend(args.backend))) throw new Error(`backend ${args.backend} is not available`);
if (args.backend === 'cpu') tf.backend().firstUse = false;

const model = createModel(args.model, { numClasses: 10, classifier: 'learned', seed: 7 });
const fusedBatchNorms = args['fuse-batch-norm'] ? fuseBatchNormTraining(model) : 0;
const trunkLayers = args['fuse-trunk'] ? fuseTrunkTraining(model) : 0;
const optimizer = tf.train.momentum(0.05, 0.9);
const xs = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 1);
const ys = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10).toFloat();

function step() {
  const loss = optimizer.minimize(() => {
    const logits = model.apply(xs, { training: true });
    return tf.losses.softmaxCrossEntropy(ys, logits);
  }, true);
  const value = loss.dataSync()[0];
  loss.dispose();
  return value;
}

for (let i = 0; i < warmup; i++) step();
const tensorsBefore = tf.memory().numTensors;
let loss = NaN;
const start = process.hrtime.bigint();
for (let i = 0; i < steps; i++) loss = step();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

const result = {
  model: args.model,
  backend: args.backend,
  precision,
  fusedBatchNorms,
  trunkLayers,
  batch,
  steps,
  seconds,
  stepMs: (seconds / steps) * 1000,
  imagesPerSecond: (batch * steps) / seconds,
  trainingFlopsPerImage: trainingFlopsPerImage(model).trainingFlops,
  loss,
  tensorsBefore,
  tensorsAfter: tf.memory().numTensors,
  peakRssMB: process.resourceUsage().maxRSS / 1024,
};

if (args.profile) {
  const t0 = performance.now();
  const info = await tf.profile(() => {
    step();
  });
  const wallMs = performance.now() - t0;
  const byKernel = new Map();
  for (const k of info.kernels) {
    // Scopes of custom-gradient ops (e.g. fusedConv2d__op) wrap kernels that are listed themselves.
    if (k.name.endsWith('__op')) continue;
    const ms = await k.kernelTimeMs;
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += typeof ms === 'number' ? ms : 0;
    entry.calls++;
    byKernel.set(k.name, entry);
  }
  result.profile = {
    wallMs,
    kernelMs: [...byKernel.values()].reduce((s, e) => s + e.ms, 0),
    kernels: [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).map(([name, e]) => ({ name, ...e })),
  };
}
console.log(JSON.stringify(result));
