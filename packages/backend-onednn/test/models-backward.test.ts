// Every network of @fixclf/models trains on 'onednn': a training-mode backward pass of all weights whose
// gradient is checked against the loss itself. This lives here, not in models' suite: a full gradient of an
// ImageNet network is out of reach of TF.js's 'cpu' backend in a test run (its Conv2DBackpropFilter does
// ~1 M multiply-adds/s under Jest), and models may not depend on this package (it depends on models).
// Models' own suite checks every network's forward pass and save/load round trip on 'cpu'.
import * as tf from '@tensorflow/tfjs';

import { createModel, getModelDefinition, listModels, type ClassifierSpec } from '@fixclf/models';

import '../src/index';

/** Height = width of the input: one that leaves the last stage 2×2, so batch norm (batch 2 → 8 values per channel) stays well conditioned. */
const CASES: Record<string, { size: number; head: ClassifierSpec }> = {
  resnet20: { size: 8, head: 'learned' },
  resnet32: { size: 8, head: 'hadamard' },
  resnet44: { size: 8, head: 'orthogonal' },
  resnet56: { size: 8, head: 'simplex' },
  resnet110: { size: 8, head: 'orthoplex' },
  'densenet-bc-100': { size: 8, head: 'cube' },
  resnet18: { size: 48, head: 'learned' },
  resnet34: { size: 48, head: 'orthogonal' },
  resnet50: { size: 48, head: 'hadamard' },
  densenet121: { size: 64, head: 'learned' },
  densenet169: { size: 64, head: { matrix: 'hadamard', trainableScale: false } },
  shufflenet: { size: 48, head: 'learned' },
};
const BATCH = 2;

beforeAll(async () => {
  await tf.setBackend('onednn');
});

test('a case for every registered model', () => {
  expect(Object.keys(CASES).sort()).toEqual(listModels().sort());
});

function crossEntropy(model: tf.LayersModel, x: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const logits = model.apply(x, { training: true }) as tf.Tensor;
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

test.each(Object.entries(CASES))(
  '%s backward (training mode): a gradient for every weight, and the loss moves as it says',
  (name, { size, head }) => {
    const numClasses = getModelDefinition(name).defaultNumClasses;
    const net = createModel(name, { numClasses, classifier: head, inputShape: [size, size, 3], seed: 7 });
    const oneHot = new Float32Array(BATCH * numClasses);
    oneHot[1] = 1;
    oneHot[2 * numClasses - 1] = 1;
    const labels = tf.tensor2d(oneHot, [BATCH, numClasses]);
    const images = tf.randomNormal([BATCH, size, size, 3], 0, 1, 'float32', 12);
    const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => crossEntropy(net, images, labels), vars);
    try {
      expect(Object.keys(grads)).toHaveLength(vars.length);
      let normSquared = 0;
      for (const v of vars) {
        const g = grads[v.name]!;
        expect(g.shape).toEqual(v.shape);
        const gv = g.dataSync() as Float32Array;
        expect(gv.every(Number.isFinite)).toBe(true);
        normSquared += gv.reduce((s, a) => s + a * a, 0);
      }
      expect(normSquared).toBeGreaterThan(0);
      // Central difference of the loss along d = g/‖g‖ must be ‖g‖. The step moves the loss by
      // 0.1 %. Batch norm over 8 values per channel makes the loss curved and (on a multithreaded
      // backend) noisy at that scale, so agreement is asked to 20 %: a wrong, missing or mis-scaled
      // gradient path is off by far more.
      const loss = value.dataSync()[0]!;
      const norm = Math.sqrt(normSquared);
      const step = (1e-3 * Math.max(1, loss)) / norm;
      const originals = vars.map((v) => v.clone());
      const lossAt = (t: number): number => {
        vars.forEach((v, i) => v.assign(tf.tidy(() => originals[i]!.add(grads[v.name]!.mul(t / norm)))));
        return tf.tidy(() => crossEntropy(net, images, labels).dataSync()[0]!);
      };
      const slope = (lossAt(step) - lossAt(-step)) / (2 * step);
      // A plain gradient-descent step of 1 % of the loss must lower it.
      const descended = lossAt(-(1e-2 * Math.max(1, loss)) / norm);
      vars.forEach((v, i) => v.assign(originals[i]!));
      tf.dispose(originals);
      expect(Math.abs(slope - norm) / norm).toBeLessThan(0.2);
      expect(descended).toBeLessThan(loss);
    } finally {
      tf.dispose([value, images, labels, ...Object.values(grads)]);
      net.dispose();
    }
  },
  300_000,
);
