import * as tf from '@tensorflow/tfjs';
import { FixedClassifier, findFixedClassifier, findFixedClassifiers, fixedClassifier, isMatrixKind, MATRIX_KINDS, scaleOf } from '../src';
import {
  INITIALIZER_IDENTIFIERS,
  REGULARIZER_IDENTIFIERS,
  resolveInitializer,
  resolveRegularizer,
  serializeObject,
} from '../src/serialization';
import { randomValues } from './reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function roundTrip(model: tf.LayersModel): Promise<{ loaded: tf.LayersModel; artifacts: tf.io.ModelArtifacts }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return { loaded: await tf.loadLayersModel(tf.io.fromMemory(artifacts!)), artifacts: artifacts! };
}

function headModel(head: FixedClassifier): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.dense({ inputShape: [12], units: 16, activation: 'relu' }), head] });
}

describe('α through the public API', () => {
  it('finds the head and reads α without names: findFixedClassifier, scaleVariable, getScale, scaleOf', () => {
    const head = fixedClassifier({ units: 4, scale: 2.5, name: 'fc' });
    const model = headModel(head);
    expect(findFixedClassifier(model)).toBe(head);
    expect(findFixedClassifiers(model)).toEqual([head]);
    expect(head.scaleVariable.shape).toEqual([]);
    expect(head.scaleVariable.trainable).toBe(true);
    expect(head.trainableWeights).toContain(head.scaleVariable);
    expect(head.getScale()).toBe(2.5);
    expect(scaleOf(model)).toBe(2.5);
    head.scaleVariable.write(tf.scalar(0.75));
    expect(scaleOf(model)).toBe(0.75);
  });

  it('finds a head inside a nested model, and answers undefined / null for a model without one', () => {
    const inner = headModel(fixedClassifier({ units: 3, scale: 4 }));
    const input = tf.input({ shape: [12] });
    const outer = tf.model({ inputs: input, outputs: inner.apply(input) as tf.SymbolicTensor });
    expect(findFixedClassifier(outer)).toBe(inner.layers[1]);
    expect(scaleOf(outer)).toBe(4);
    const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [12], units: 3 })] });
    expect(findFixedClassifier(dense)).toBeUndefined();
    expect(scaleOf(dense)).toBeNull();
  });

  it('says scaleVariable needs a built layer', () => {
    expect(() => fixedClassifier({ units: 3, name: 'h3' }).scaleVariable).toThrow(
      "FixedClassifier 'h3': scaleVariable needs a built layer.",
    );
  });

  it('finds the layer of a loaded model', async () => {
    const { loaded } = await roundTrip(headModel(fixedClassifier({ units: 4, scale: 3 })));
    const head = findFixedClassifier(loaded);
    expect(head).toBeDefined();
    expect(head!.getScale()).toBe(3);
  });
});

describe('FixedClassifier.isFixedClassifier', () => {
  it('recognises the layer and its subclasses, and nothing else', () => {
    class Tempered extends FixedClassifier {}
    const head = fixedClassifier({ units: 2 });
    expect(FixedClassifier.isFixedClassifier(head)).toBe(true);
    expect(FixedClassifier.isFixedClassifier(new Tempered({ units: 2 }))).toBe(true);
    for (const other of [tf.layers.dense({ units: 2 }), null, undefined, 'FixedClassifier', { getClassName: () => 'FixedClassifier' }]) {
      expect(FixedClassifier.isFixedClassifier(other)).toBe(false);
    }
    // instanceof agrees; a subclass keeps the ordinary prototype check.
    expect(head instanceof FixedClassifier).toBe(true);
    expect(tf.layers.dense({ units: 2 }) instanceof FixedClassifier).toBe(false);
    expect(head instanceof Tempered).toBe(false);
    expect(new Tempered({ units: 2 }) instanceof Tempered).toBe(true);
  });

  it('recognises a FixedClassifier of another copy of the package (same brand, another class object)', () => {
    // What a second copy's prototype carries: the global brand symbol, not this copy's class.
    const brand = Object.getOwnPropertySymbols(FixedClassifier.prototype).find((s) => s.description === '@fixclf/layers:FixedClassifier')!;
    expect(Symbol.keyFor(brand)).toBe('@fixclf/layers:FixedClassifier');
    const foreign = Object.create(Object.prototype, {
      [brand]: { value: (FixedClassifier.prototype as unknown as Record<symbol, unknown>)[brand] },
    });
    expect(FixedClassifier.isFixedClassifier(foreign)).toBe(true);
    expect(foreign instanceof FixedClassifier).toBe(true);
    expect(findFixedClassifier({ layers: [{}, foreign] })).toBe(foreign);
  });
});

describe('matrix kinds', () => {
  it('isMatrixKind accepts exactly MATRIX_KINDS', () => {
    for (const kind of MATRIX_KINDS) expect(isMatrixKind(kind)).toBe(true);
    for (const other of ['learned', 'Hadamard', '', 3, null]) expect(isMatrixKind(other)).toBe(false);
  });
});

describe('initializer and regularizer identifiers, as tfjs-layers layers take them', () => {
  it("accepts biasInitializer 'zeros' and scaleRegularizer 'l2', and saves and loads the model", async () => {
    const head = fixedClassifier({ units: 5, scale: 2, biasInitializer: 'zeros', scaleRegularizer: 'l2', biasRegularizer: 'l1l2' });
    const model = headModel(head);
    expect(Array.from(tf.tidy(() => head.getWeights()[1]!.dataSync()))).toEqual([0, 0, 0, 0, 0]);
    // 'l2' is tf.regularizers.l2() with the Keras factor: 0.01 · α².
    const penalty = (l: tf.Scalar | (() => tf.Scalar)) => (typeof l === 'function' ? l() : l).dataSync()[0]!;
    expect(penalty(head.losses[0]!)).toBeCloseTo(0.01 * 2 * 2, 6);

    const config = head.getConfig();
    expect(config.biasInitializer).toEqual({ className: 'Zeros', config: {} });
    expect(config.scaleRegularizer).toEqual({ className: 'L1L2', config: { l1: 0, l2: 0.01 } });
    expect(config.biasRegularizer).toEqual({ className: 'L1L2', config: { l1: 0.01, l2: 0.01 } });

    const { loaded } = await roundTrip(model);
    const revived = findFixedClassifier(loaded)!;
    expect(revived.getConfig().biasInitializer).toEqual(config.biasInitializer);
    expect(revived.getConfig().scaleRegularizer).toEqual(config.scaleRegularizer);
    expect(revived.getConfig().biasRegularizer).toEqual(config.biasRegularizer);
    expect(penalty(revived.losses[0]!)).toBeCloseTo(0.01 * 2 * 2, 6);
    const x = tf.tensor2d(randomValues(3 * 12, 9), [3, 12]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });

  it('resolves every identifier it lists to a TF.js instance that serializes', () => {
    for (const id of INITIALIZER_IDENTIFIERS) {
      const init = resolveInitializer(id, 'test')!;
      expect(typeof init.apply).toBe('function');
      expect(serializeObject(init)?.className).toEqual(expect.any(String));
    }
    for (const id of REGULARIZER_IDENTIFIERS) expect(typeof resolveRegularizer(id, 'test')!.apply).toBe('function');
    // Registered class names work too, as in tfjs-layers; an instance and nothing pass through.
    expect(resolveInitializer('Ones' as 'ones', 'test')!.getClassName()).toBe('Ones');
    const l2 = tf.regularizers.l2({ l2: 0.5 });
    expect(resolveRegularizer(l2, 'test')).toBe(l2);
    expect(resolveRegularizer(undefined, 'test')).toBeUndefined();
  });

  it('names the option and the accepted identifiers for an unknown one', () => {
    expect(() => fixedClassifier({ units: 3, scaleRegularizer: 'l3' as 'l2' })).toThrow(
      "FixedClassifier scaleRegularizer: unknown identifier 'l3'; expected a regularizer, or one of l1, l2, l1l2.",
    );
    expect(() => fixedClassifier({ units: 3, biasInitializer: 'zero' as 'zeros' })).toThrow(
      /FixedClassifier biasInitializer: unknown identifier 'zero'; expected an initializer, or one of zeros, ones,/,
    );
    expect(() => fixedClassifier({ units: 3, biasInitializer: 42 as unknown as 'zeros' })).toThrow(
      'FixedClassifier biasInitializer: expected an instance or a saved { className, config }, got 42.',
    );
  });
});
