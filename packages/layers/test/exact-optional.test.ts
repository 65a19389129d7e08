// `tsc -p packages/layers` compiles this file with exactOptionalPropertyTypes: a caller's option that may be
// undefined is passed straight through (no TS2379), and undefined means the default.
import * as tf from '@tensorflow/tfjs';
import { FixedClassifier, fixedClassifier, hadamardTransformOp, type FixedClassifierLayerArgs } from '../src';
import { maxAbsDiff, randomValues } from './reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A caller's own head options, forwarded to ours: each one possibly undefined. */
interface CallerOptions {
  readonly matrix?: FixedClassifierLayerArgs['matrix'];
  readonly scale?: number | undefined;
  readonly trainableScale?: boolean | undefined;
  readonly useBias?: boolean | undefined;
  readonly biasInitializer?: 'zeros' | undefined;
  readonly scaleRegularizer?: 'l2' | undefined;
  readonly biasRegularizer?: 'l2' | undefined;
  readonly seed?: number | undefined;
  readonly epsilon?: number | undefined;
  readonly activation?: 'linear' | 'softmax' | undefined;
  readonly transpose?: boolean | undefined;
  readonly name?: string | undefined;
  readonly trainable?: boolean | undefined;
  readonly inputShape?: number[] | undefined;
  readonly batchSize?: number | undefined;
  readonly dtype?: 'float32' | undefined;
  readonly weights?: tf.Tensor[] | undefined;
}

const unset: CallerOptions = {};

/** The config without the name, which differs per instance. */
function configOf(layer: FixedClassifier): Record<string, unknown> {
  const { name: _name, ...config } = layer.getConfig();
  return config;
}

describe('options forwarded as undefined (exactOptionalPropertyTypes)', () => {
  it('fixedClassifier: every option undefined gives the layer of the defaults', () => {
    const forwarded = fixedClassifier({
      units: 10,
      matrix: unset.matrix,
      scale: unset.scale,
      trainableScale: unset.trainableScale,
      useBias: unset.useBias,
      biasInitializer: unset.biasInitializer,
      scaleRegularizer: unset.scaleRegularizer,
      biasRegularizer: unset.biasRegularizer,
      seed: 7,
      epsilon: unset.epsilon,
      activation: unset.activation,
      // The base options of every layer (TF.js's LayerArgs).
      name: unset.name,
      trainable: unset.trainable,
      inputShape: unset.inputShape,
      batchSize: unset.batchSize,
      dtype: unset.dtype,
      inputDType: unset.dtype,
      weights: unset.weights,
    });
    const plain = fixedClassifier({ units: 10, seed: 7 });
    const [n, batch] = [64, 3];
    forwarded.build([null, n]);
    plain.build([null, n]);
    expect(configOf(forwarded)).toEqual(configOf(plain));
    expect(forwarded.name.replace(/\d+$/, '')).toBe(plain.name.replace(/\d+$/, '')); // a generated name
    expect(forwarded.trainable).toBe(true);
    expect(forwarded.getScale()).toBe(plain.getScale());
    expect(forwarded.trainableWeights.length).toBe(2); // α and the bias
    const x = tf.tensor2d(randomValues(batch * n, 4), [batch, n]);
    const a = forwarded.apply(x) as tf.Tensor;
    const b = plain.apply(x) as tf.Tensor;
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    tf.dispose([x, a, b]);
  });

  it('fixedClassifier: seed undefined draws a seed, as leaving it out does', () => {
    const layer = fixedClassifier({ units: 10, seed: unset.seed });
    expect(Number.isInteger(layer.seed)).toBe(true);
  });

  it('hadamardTransformOp: transpose undefined is the default', () => {
    const x = tf.tensor2d(randomValues(2 * 12, 5), [2, 12]); // a Paley core: transpose matters
    const forwarded = hadamardTransformOp(x, { transpose: unset.transpose });
    const plain = hadamardTransformOp(x);
    const transposed = hadamardTransformOp(x, { transpose: true });
    expect(maxAbsDiff(forwarded.dataSync(), plain.dataSync())).toBe(0);
    expect(maxAbsDiff(forwarded.dataSync(), transposed.dataSync())).toBeGreaterThan(0);
    tf.dispose([x, forwarded, plain, transposed]);
  });
});
