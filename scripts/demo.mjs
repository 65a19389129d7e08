// The Quick start's main job. For now: a small learned-vs-fixed comparison on Gaussian-mixture
// features, on the `cpu` backend of @tensorflow/tfjs, in a few seconds.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../packages/layers/package.json', import.meta.url));
const tf = require('@tensorflow/tfjs');
const { fixedClassifier } = require('@fixclf/layers');

await tf.setBackend('cpu');
const [classes, dim, perClass] = [10, 64, 200];

// Class c: a random centre in 64 dimensions plus unit noise. Deterministic.
let seed = 1;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
const centres = Array.from({ length: classes }, () => Array.from({ length: dim }, () => rand()));
const make = (n) => {
  const xs = [];
  const ys = [];
  for (let i = 0; i < n * classes; i++) {
    const c = i % classes;
    xs.push(centres[c].map((v) => v + 1.5 * rand()));
    ys.push(c);
  }
  return { xs: tf.tensor2d(xs), ys: tf.oneHot(tf.tensor1d(ys, 'int32'), classes) };
};
const train = make(perClass);
const test = make(50);

async function run(name, head) {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [dim], units: 64, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: 2 }) }), head],
  });
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(train.xs, train.ys, { epochs: 30, batchSize: 64, shuffle: true, verbose: 0 });
  const [, acc] = model.evaluate(test.xs, test.ys);
  const params = model.layers[1].countParams();
  console.log(`${name.padEnd(28)} test accuracy ${(100 * acc.dataSync()[0]).toFixed(1).padStart(5)} %   head parameters ${String(params).padStart(4)}`);
}

console.log(`fixclf demo: ${classes} classes, ${dim}-d features, a 64-unit hidden layer, then the classifier head\n`);
await run('learned (tf.layers.dense)', tf.layers.dense({ units: classes, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), activation: 'softmax' }));
await run('fixed Hadamard (fixclf)', fixedClassifier({ units: classes, seed: 3, activation: 'softmax' }));
