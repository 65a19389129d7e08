import * as tf from '@tensorflow/tfjs';
import { createModel, getModelDefinition, listModels, type ClassifierSpec } from '@fixclf/models';

/**
 * Every network once: output shape and a forward pass, and a save/load round trip with identical
 * predictions, on 'cpu' at a small input. The training-mode backward pass of every network is checked
 * in @fixclf/backend-onednn's suite (test/models-backward.test.ts) on its native backend: on 'cpu', a
 * full gradient of an ImageNet network takes minutes.
 */
interface Case {
  /** Height = width of the forward and save/load checks. */
  forwardSize: number;
  head: ClassifierSpec;
}

const CASES: Record<string, Case> = {
  resnet20: { forwardSize: 8, head: 'learned' },
  resnet32: { forwardSize: 8, head: 'hadamard' },
  resnet44: { forwardSize: 8, head: 'orthogonal' },
  resnet56: { forwardSize: 8, head: 'simplex' },
  resnet110: { forwardSize: 8, head: 'orthoplex' },
  'densenet-bc-100': { forwardSize: 8, head: 'cube' },
  resnet18: { forwardSize: 32, head: 'learned' },
  resnet34: { forwardSize: 32, head: 'orthogonal' },
  resnet50: { forwardSize: 32, head: 'hadamard' },
  densenet121: { forwardSize: 32, head: 'learned' },
  densenet169: { forwardSize: 32, head: { matrix: 'hadamard', trainableScale: false } },
  shufflenet: { forwardSize: 32, head: 'learned' },
};
const BATCH = 2;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('a case for every registered model', () => {
  expect(Object.keys(CASES).sort()).toEqual(listModels().sort());
});

describe.each(Object.entries(CASES))('%s', (name, { forwardSize, head }) => {
  const numClasses = getModelDefinition(name).defaultNumClasses;
  let model: tf.LayersModel;
  let x: tf.Tensor4D;

  beforeAll(() => {
    model = createModel(name, { numClasses, classifier: head, inputShape: [forwardSize, forwardSize, 3], seed: 7 });
    x = tf.randomNormal([BATCH, forwardSize, forwardSize, 3], 0, 1, 'float32', 11);
  });
  afterAll(() => {
    x.dispose();
    model.dispose();
  });

  test('forward: logits [batch, classes], finite, distinct per image', () => {
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([BATCH, numClasses]);
    const values = y.dataSync();
    expect(values.every(Number.isFinite)).toBe(true);
    const [first, second] = [values.slice(0, numClasses), values.slice(numClasses)];
    expect(first.some((v, i) => v !== second[i])).toBe(true);
    y.dispose();
  });

  test('save and load: same layers and weights, identical predictions', async () => {
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    try {
      expect(loaded.layers.map((l) => `${l.name}:${l.getClassName()}`)).toEqual(model.layers.map((l) => `${l.name}:${l.getClassName()}`));
      expect(loaded.countParams()).toBe(model.countParams());
      const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([a, b]);
    } finally {
      loaded.dispose();
    }
  });
});
