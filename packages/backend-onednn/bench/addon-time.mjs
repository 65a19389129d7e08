#!/usr/bin/env node
// Where a training step's time goes: every addon call timed (per function, per step) against the step's
// wall time, the rest being JavaScript (TF.js's engine, tf.layers, this backend's glue) and the garbage
// collector. A ResNet of @fixclf/models (learned classifier) on one synthetic batch, SGD with momentum.
//
//   node bench/addon-time.mjs [--model resnet56] [--precision bf16] [--batch 128] [--steps 4] [--no-fuse-batch-norm] [--no-fuse-trunk]
//
// Batch norm and the trunk train as one op each (@fixclf/layers' fuseBatchNormTraining and fuseTrunkTraining),
// as `fixclf train` and the bench run them.
//
// The addon's exports are wrapped before the backend loads them (Node hands both the same module object).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'resnet56' },
    precision: { type: 'string', default: 'fp32' },
    batch: { type: 'string', default: '128' },
    steps: { type: 'string', default: '4' },
    'fuse-batch-norm': { type: 'boolean', default: true },
    'fuse-trunk': { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.env.FIXCLF_ONEDNN_ADDON ?? path.resolve(here, '..', 'build', 'Release', 'fixclf_onednn.node');
process.env.GOMP_SPINCOUNT ??= '10000'; // as the backend sets it, before libgomp loads with the addon
const addon = createRequire(file)(file);
const stats = new Map();
let timing = false;
// The kernel running now (kernels may run inside kernels: a deferred tensor computed on first read).
const kernelStack = [];
for (const [name, fn] of Object.entries(addon)) {
  if (typeof fn !== 'function') continue;
  addon[name] = function timed(...rest) {
    if (!timing) return fn.apply(this, rest);
    const start = process.hrtime.bigint();
    try {
      return fn.apply(this, rest);
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const entry = stats.get(name) ?? { ms: 0, calls: 0 };
      entry.ms += ms;
      entry.calls++;
      stats.set(name, entry);
      if (kernelStack.length > 0) kernelStack[kernelStack.length - 1].nativeMs += ms;
    }
  };
}

const tf = await import('@tensorflow/tfjs');
const onednn = await import('../dist/index.js');
const { createModel } = await import('@fixclf/models');
const { fuseBatchNormTraining, fuseTrunkTraining } = await import('@fixclf/layers');
onednn.setPrecision(args.precision);
if (!(await tf.setBackend('onednn'))) throw new Error('the onednn backend is not available');
// Each kernel's own JavaScript: its time less the addon calls made while it ran (including kernels it
// triggered, which count for themselves).
const kernelStats = new Map();
for (const config of tf.getKernelsForBackend('onednn')) {
  const run = config.kernelFunc;
  config.kernelFunc = (args) => {
    if (!timing) return run(args);
    const frame = { nativeMs: 0, childMs: 0 };
    kernelStack.push(frame);
    const start = process.hrtime.bigint();
    try {
      return run(args);
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      kernelStack.pop();
      if (kernelStack.length > 0) kernelStack[kernelStack.length - 1].childMs += ms;
      const entry = kernelStats.get(config.kernelName) ?? { ms: 0, jsMs: 0, calls: 0 };
      entry.ms += ms;
      entry.jsMs += ms - frame.nativeMs - frame.childMs;
      entry.calls++;
      kernelStats.set(config.kernelName, entry);
    }
  };
}
const batch = Number(args.batch);
const steps = Number(args.steps);
const model = createModel(args.model, { numClasses: 10, classifier: 'learned', seed: 7 });
if (args['fuse-batch-norm']) fuseBatchNormTraining(model);
if (args['fuse-trunk']) fuseTrunkTraining(model);
const optimizer = tf.train.momentum(0.05, 0.9);
const xs = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 1);
const ys = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10).toFloat();
const step = () => {
  const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true })), true);
  loss.dataSync();
  loss.dispose();
};
for (let i = 0; i < 3; i++) step();
timing = true;
const start = process.hrtime.bigint();
for (let i = 0; i < steps; i++) step();
const stepMs = Number(process.hrtime.bigint() - start) / 1e6 / steps;
timing = false;

const rows = [...stats].map(([name, s]) => ({ name, ms: s.ms / steps, calls: s.calls / steps })).sort((a, b) => b.ms - a.ms);
const addonMs = rows.reduce((sum, r) => sum + r.ms, 0);
console.log(
  `${args.model} ${onednn.getPrecision()} batch ${batch}: step ${stepMs.toFixed(1)} ms = addon ${addonMs.toFixed(1)} ms + outside the addon ${(stepMs - addonMs).toFixed(1)} ms`,
);
for (const r of rows.filter((r) => r.ms >= 0.1))
  console.log(`  ${r.name.padEnd(22)} ${r.ms.toFixed(1).padStart(7)} ms  ${String(r.calls).padStart(5)} calls`);
const kernels = [...kernelStats]
  .map(([name, s]) => ({ name, jsMs: s.jsMs / steps, calls: s.calls / steps }))
  .sort((a, b) => b.jsMs - a.jsMs);
const kernelJs = kernels.reduce((sum, k) => sum + k.jsMs, 0);
console.log(
  `outside the addon: kernels' own JavaScript ${kernelJs.toFixed(1)} ms; the rest (TF.js's engine and tape, tf.layers, the optimizer) ${(stepMs - addonMs - kernelJs).toFixed(1)} ms`,
);
for (const k of kernels.slice(0, 8))
  console.log(`  ${k.name.padEnd(22)} ${k.jsMs.toFixed(1).padStart(7)} ms  ${String(k.calls).padStart(5)} calls`);
