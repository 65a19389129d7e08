// Is the synthetic dataset learnable but not trivial? Trains a small CNN and a linear classifier (softmax
// regression on pixels) on it with the TensorFlow.js CPU backend and reports test accuracy of both, plus
// nearest class-mean template matching. Slow on the pure-JS backend (minutes): not part of the tests.
// Run: node bench/synthetic-learnability.mjs [trainSize=4000] [epochs=10]
// Or:  node bench/synthetic-learnability.mjs --export DIR   (CIFAR-format files for bench/synthetic-cnn-check.py)
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { openDataset, toTfDataset } from '../dist/index.js';
import { generateSynthetic, writeCifarDirectory } from '../dist/internals.js';

if (process.argv[2] === '--export') {
  const train = generateSynthetic({ split: 'train' });
  const test = generateSynthetic({ split: 'test' });
  const dir = writeCifarDirectory(process.argv[3], 'cifar10', {
    train: { images: train.store.data, labels: train.labels },
    test: { images: test.store.data, labels: test.labels },
  });
  console.log(`wrote the synthetic train (10,000) and test (2,000) splits to ${dir} in the CIFAR-10 binary format`);
  process.exit(0);
}

await tf.setBackend('cpu');
const trainSize = Number(process.argv[2] ?? 4000);
const epochs = Number(process.argv[3] ?? 10);
const train = await openDataset('synthetic', { synthetic: { size: trainSize } });
const test = await openDataset('synthetic', { split: 'test' });

async function evaluate(model) {
  let correct = 0;
  for await (const { xs, ys } of test.batches({ batchSize: 500, labels: 'int' })) {
    const predicted = tf.tidy(() => model.predict(xs).argMax(-1));
    correct += (await predicted.equal(ys).sum().data())[0];
    tf.dispose([xs, ys, predicted]);
  }
  return correct / test.size;
}

async function fit(name, model) {
  model.compile({ optimizer: tf.train.adam(2e-3), loss: 'categoricalCrossentropy' });
  const start = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    await model.fitDataset(toTfDataset(train, tf.data, { batchSize: 64, seed: 1, epoch }), { epochs: 1, verbose: 0 });
    console.log(
      `${name}: epoch ${epoch + 1}/${epochs}, test accuracy ${(100 * (await evaluate(model))).toFixed(1)} %, ${((performance.now() - start) / 1000).toFixed(0)} s`,
    );
  }
}

const cnn = tf.sequential({
  layers: [
    tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.globalAveragePooling2d({}),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
const linear = tf.sequential({
  layers: [tf.layers.flatten({ inputShape: [32, 32, 3] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
});
console.log(
  `synthetic: ${train.size} training images, ${test.size} test images, ${epochs} epochs, batch 64, Adam 2e-3, CIFAR augmentation`,
);
if (process.env.SKIP_LINEAR !== '1') await fit('linear (softmax regression on pixels)', linear);
await fit(`small CNN (3 conv layers, ${cnn.countParams()} parameters)`, cnn);
