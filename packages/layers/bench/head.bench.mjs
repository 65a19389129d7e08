// Forward + backward of a classifier head, fixed (Hadamard, fast transform) against a learned
// Dense layer, side by side in one run on the same backend.
//   pnpm --filter @fixclf/layers bench            (cpu backend)
// The same comparison on the native backend: pnpm --filter @fixclf/backend-onednn bench:head (layers
// cannot depend on the backend, which depends on it).
import * as tf from '@tensorflow/tfjs';
import { fixedClassifier } from '../dist/index.js';

await tf.setBackend('cpu');

const [batch, inputDim, units] = [256, 2048, 1000];
const repeats = Number(process.env.REPEATS ?? 5);

function timeHead(layer) {
  layer.build([null, inputDim]);
  const x = tf.variable(tf.randomNormal([batch, inputDim]));
  const labels = tf.oneHot(tf.randomUniform([batch], 0, units, 'int32'), units);
  const vars = [x, ...layer.trainableWeights.map((w) => w.read())];
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, layer.apply(x)), vars);
      value.dataSync();
      for (const g of Object.values(grads)) g.dataSync();
    });
  step(); // warm-up: kernels, caches
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    step();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  tf.dispose([x, labels]);
  return times[Math.floor(times.length / 2)];
}

const dense = timeHead(tf.layers.dense({ units }));
const fixed = timeHead(fixedClassifier({ units, matrix: 'hadamard' }));
const orthogonal = timeHead(fixedClassifier({ units, matrix: 'orthogonal', seed: 0 }));

console.log(`backend ${tf.getBackend()}, batch ${batch}, inputDim ${inputDim}, units ${units}, forward + backward, median of ${repeats}`);
console.log(`  tf.layers.dense                       ${dense.toFixed(1).padStart(9)} ms`);
console.log(
  `  fixedClassifier hadamard (fast FWHT)  ${fixed.toFixed(1).padStart(9)} ms   ${(dense / fixed).toFixed(1)}× faster than dense`,
);
console.log(`  fixedClassifier orthogonal (dense P)  ${orthogonal.toFixed(1).padStart(9)} ms   ${(dense / orthogonal).toFixed(2)}× dense`);
