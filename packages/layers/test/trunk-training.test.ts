// fuseTrunkTraining on a backend without the trunk kernels (TF.js's cpu): which layers it takes, and that
// everything then runs as tf.layers runs it. The kernels themselves are tested where a backend implements
// them (@fixclf/backend-onednn: test/trunk-training.test.ts, the same steps against tf.layers).
import * as tf from '@tensorflow/tfjs';
import { TRUNK_TRAINING } from '../src/ops/kernel-names';
import { fuseTrunkTraining } from '../src/trunk-training';
import { maxAbsDiff } from './reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A residual unit and a head: conv → batch norm → ReLU → add(ReLU, conv) → global pool → dense. */
function residualModel(options: { convBias?: boolean; headReadsConv?: boolean } = {}) {
  const input = tf.input({ shape: [6, 6, 3] });
  const conv = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      useBias: options.convBias ?? false,
      kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(conv) as tf.SymbolicTensor;
  const relu = tf.layers.reLU({}).apply(bn) as tf.SymbolicTensor;
  const sum = tf.layers.add({}).apply([relu, conv]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(sum) as tf.SymbolicTensor;
  let features = pooled;
  if (options.headReadsConv) {
    // The head reads a second tensor of the trunk: no single trunk output.
    const other = tf.layers.globalAveragePooling2d({}).apply(conv) as tf.SymbolicTensor;
    features = tf.layers.concatenate({}).apply([pooled, other]) as tf.SymbolicTensor;
  }
  const logits = tf.layers
    .dense({ units: 5, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) })
    .apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

/** One training call's loss and the gradient of every trainable weight. */
function step(model: tf.LayersModel, x: tf.Tensor) {
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar);
  return { loss: value.dataSync()[0]!, grads: model.trainableWeights.map((w) => grads[(w.read() as tf.Variable).name]!.dataSync()) };
}

describe('fuseTrunkTraining', () => {
  it('takes the trunk up to what the head reads, once; without the kernels the model trains and predicts as before', () => {
    expect(tf.getKernel(TRUNK_TRAINING, 'cpu')).toBeUndefined();
    const [stock, fused] = [residualModel(), residualModel()];
    const json = JSON.stringify(fused.toJSON(null, false));
    // conv, batch norm, ReLU, add, pool: everything between the input and the dense head.
    expect(fuseTrunkTraining(fused)).toBe(5);
    expect(fuseTrunkTraining(fused)).toBe(0);
    expect(JSON.stringify(fused.toJSON(null, false))).toBe(json);
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 3);
    const [a, b] = [step(stock, x), step(fused, x)];
    expect(b.loss).toBe(a.loss);
    a.grads.forEach((g, i) => expect(maxAbsDiff(b.grads[i]!, g)).toBe(0));
    expect(maxAbsDiff((fused.predict(x) as tf.Tensor).dataSync(), (stock.predict(x) as tf.Tensor).dataSync())).toBe(0);
  });

  it('leaves a model alone when its trunk cannot be one op', () => {
    // A convolution with a bias first: no trunk at all.
    expect(fuseTrunkTraining(residualModel({ convBias: true }))).toBe(0);
    // The head reads two of the trunk's tensors.
    expect(fuseTrunkTraining(residualModel({ headReadsConv: true }))).toBe(0);
    // No convolution.
    const input = tf.input({ shape: [4] });
    expect(fuseTrunkTraining(tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor }))).toBe(
      0,
    );
  });
});
