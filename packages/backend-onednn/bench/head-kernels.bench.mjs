#!/usr/bin/env node
// The fixed classifier's head kernels on 'onednn': @fixclf/layers' JavaScript kernels (what ran on this
// backend before it had its own) against the native ones (native/hadamard.cc), both on the same backend
// and the same tensors, forward and backward, for inputDim 64 / 512 / 2048, units 10 / 1000, batch 128 / 256.
//
//   pnpm --filter @fixclf/backend-onednn bench:head      (alone; part of `bench` too)
//   options: --quick (fewer repetitions), --smoke (one tiny shape, one repetition: checks the script runs)
//
// Reported per configuration (median of the repetitions):
//   kernel   one call of FixclfNormalizedHadamard (forward) and of FixclfNormalizedHadamardGrad (backward),
//            in ms and in ns per transformed element (batch · order), JavaScript vs native;
//   step     the head forward + backward as training runs it (softmax cross-entropy, gradients for the
//            input, α and the bias) with each implementation registered in turn.
// Build first (`pnpm --filter @fixclf/layers build && pnpm --filter @fixclf/backend-onednn build`).
import os from 'node:os';

import * as tf from '@tensorflow/tfjs';
import { fixedClassifier, fixedClassifierKernels, NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD } from '@fixclf/layers';

import { getThreads, onednnVersion } from '../dist/index.js';

const argv = new Set(process.argv.slice(2));
const smoke = argv.has('--smoke');
const repeats = smoke ? 1 : argv.has('--quick') ? 5 : 21;
const shapes = smoke
  ? { inputDims: [64], units: [10, 1000], batches: [4] }
  : { inputDims: [64, 512, 2048], units: [10, 1000], batches: [128, 256] };
const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

await tf.setBackend('onednn');
const names = [NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD];
const nativeConfigs = new Map(names.map((name) => [name, tf.getKernel(name, 'onednn')]));
const javascriptConfigs = new Map(fixedClassifierKernels('onednn').map((config) => [config.kernelName, config]));

/** Registers the native or the JavaScript head kernels for 'onednn'. */
function use(implementation) {
  const configs = implementation === 'native' ? nativeConfigs : javascriptConfigs;
  for (const name of names) {
    tf.unregisterKernel(name, 'onednn');
    tf.registerKernel(configs.get(name));
  }
}

function median(run) {
  run(); // warm-up: kernels, caches, pooled buffers
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** The attrs the layer passes to the forward kernel (captured from one call). */
function layerAttrs(layer, x) {
  const config = nativeConfigs.get(NORMALIZED_HADAMARD);
  let attrs;
  const kernelFunc = config.kernelFunc;
  config.kernelFunc = (args) => {
    attrs = args.attrs;
    return kernelFunc(args);
  };
  try {
    tf.tidy(() => layer.apply(x));
  } finally {
    config.kernelFunc = kernelFunc;
  }
  return attrs;
}

const load = os.loadavg();
const version = onednnVersion();
console.log(
  `head kernels on 'onednn': oneDNN ${version.major}.${version.minor}.${version.patch}, ${getThreads()} threads, ` +
    `${os.cpus().length} cores (${os.cpus()[0]?.model}), Node ${process.version}, median of ${repeats}`,
);
console.log(
  `load average at start: ${load.map((l) => l.toFixed(2)).join(' ')}${load[0] > os.cpus().length * 0.5 ? '  (MACHINE BUSY: figures are pessimistic)' : ''}`,
);
console.log(
  "JavaScript: @fixclf/layers' kernels (single-threaded); native: native/hadamard.cc (OpenMP over rows). ns/el = per batch·order element.",
);
console.log(
  '\n  inputDim units batch order |  forward JS ms  ns/el  native ms  ns/el   x   | backward JS ms  ns/el  native ms  ns/el   x   |  step JS ms  native ms   x',
);

for (const inputDim of shapes.inputDims) {
  for (const units of shapes.units) {
    for (const batch of shapes.batches) {
      const label = `  ${String(inputDim).padStart(8)} ${String(units).padStart(5)} ${String(batch).padStart(5)}`;
      const layer = fixedClassifier({ units, matrix: 'hadamard' });
      layer.build([null, inputDim]);
      // Where the dense product is cheaper the layer runs no head kernel; the kernels are still timed at
      // the reference's Sylvester order (marked *), the step is not.
      const fast = layer.describeProjection().fastTransformOrder;
      const x = tf.variable(tf.randomNormal([batch, inputDim]));
      const dy = tf.randomNormal([batch, units]);
      const order = fast ?? 2 ** Math.ceil(Math.log2(Math.max(inputDim, units)));
      const attrs =
        fast !== null
          ? layerAttrs(layer, x)
          : { order, outputs: units, scale: 1 / Math.sqrt(Math.min(inputDim, order)), epsilon: 1e-8, core: new Int8Array([1]) };
      const elements = batch * order;

      const kernelMs = {};
      for (const implementation of ['javascript', 'native']) {
        use(implementation);
        kernelMs[implementation] = {
          forward: median(() => tf.engine().runKernel(NORMALIZED_HADAMARD, { x }, attrs).dispose()),
          backward: median(() => tf.engine().runKernel(NORMALIZED_HADAMARD_GRAD, { dy, x }, attrs).dispose()),
        };
      }

      const labels = tf.oneHot(tf.randomUniform([batch], 0, units, 'int32'), units);
      const vars = [x, ...layer.trainableWeights.map((w) => w.read())];
      const step = () =>
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, layer.apply(x)), vars);
          value.dataSync();
          for (const g of Object.values(grads)) g.dataSync();
        });
      const stepMs = { javascript: NaN, native: NaN };
      for (const implementation of fast !== null ? ['javascript', 'native'] : []) {
        use(implementation);
        stepMs[implementation] = median(step);
      }
      use('native');
      tf.dispose([x, dy, labels]);

      const js = kernelMs.javascript;
      const nat = kernelMs.native;
      const ns = (ms) => fmt((ms * 1e6) / elements, 2).padStart(6);
      console.log(
        `${label} ${(String(order) + (fast === null ? '*' : ' ')).padStart(6)}| ${fmt(js.forward, 3).padStart(13)} ${ns(js.forward)} ${fmt(nat.forward, 3).padStart(10)} ${ns(nat.forward)} ${fmt(js.forward / nat.forward, 1).padStart(5)} |` +
          ` ${fmt(js.backward, 3).padStart(14)} ${ns(js.backward)} ${fmt(nat.backward, 3).padStart(10)} ${ns(nat.backward)} ${fmt(js.backward / nat.backward, 1).padStart(5)} |` +
          ` ${fmt(stepMs.javascript).padStart(11)} ${fmt(stepMs.native).padStart(10)} ${fmt(stepMs.javascript / stepMs.native, 1).padStart(4)}`,
      );
    }
  }
}
console.log(
  '  * the layer multiplies by the dense P at this shape (the transform is not cheaper): kernels timed at the Sylvester order, no step',
);
console.log(
  `\nload average at end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
