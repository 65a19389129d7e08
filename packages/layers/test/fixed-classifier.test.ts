import * as tf from '@tensorflow/tfjs';
import { buildProjection, FixedClassifier, fixedClassifier, MATRIX_KINDS, type MatrixKind } from '../src';
import { fixedClassifierFormula, maxAbsDiff, randomValues, referenceProjection } from './reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A built layer on [batch, inputDim] inputs. */
function built(args: ConstructorParameters<typeof FixedClassifier>[0], inputDim: number): FixedClassifier {
  const layer = fixedClassifier(args);
  layer.build([null, inputDim]);
  return layer;
}

function weightValue(layer: FixedClassifier, name: string): Float32Array {
  const w = layer.getWeights(false).find((_, i) => layer.weights[i]!.originalName.endsWith(name));
  if (!w) throw new Error(`no weight ${name}`);
  return w.dataSync() as Float32Array;
}

describe('FixedClassifier output', () => {
  // The paper's formula; the reference code computes it with −α (the same head up to the sign of α).
  it('computes y = α · x̂ · H[:C, :N]ᵀ/√N + b, the formula of the paper, for N = 64, C = 10', () => {
    const [batch, n, c] = [5, 64, 10];
    const layer = built({ units: c, scale: 3.5, seed: 1 }, n);
    const x = randomValues(batch * n, 11);
    const y = layer.apply(tf.tensor2d(x, [batch, n])) as tf.Tensor;
    const bias = weightValue(layer, 'bias');
    const expected = fixedClassifierFormula(x, batch, referenceProjection(n, c), n, c, 3.5, bias);
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
  });

  it.each<[MatrixKind, number, number]>([
    ['hadamard', 342, 100],
    ['hadamard', 30, 50],
    ['hadamard', 7, 3],
    ['orthogonal', 40, 10],
    ['simplex', 32, 10],
    ['orthoplex', 16, 10],
    ['cube', 16, 10],
    ['cube', 2048, 1000],
    ['orthoplex', 2048, 1000],
  ])('%s (N = %i, C = %i): fast or dense, the output is α · x̂ · P + b with P = getProjection()', (matrix, n, c) => {
    const batch = 4;
    const layer = built({ units: c, matrix, seed: 3 }, n);
    const x = randomValues(batch * n, 5);
    const y = layer.apply(tf.tensor2d(x, [batch, n])) as tf.Tensor;
    const p = layer.getProjection();
    expect(p.shape).toEqual([n, c]);
    const alpha = weightValue(layer, 'scale')[0]!;
    const expected = fixedClassifierFormula(x, batch, p.dataSync(), n, c, alpha, weightValue(layer, 'bias'));
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-4);
  });

  it('multiplies by the two factors of a small polytope, not by P, where no transform is cheaper than its frame', () => {
    // Cube of 1000 classes in 10 dimensions on 2048 features: x̂·U (2048 × 10) then ·V (10 × 1000), 30k
    // multiply-adds a row, where P itself would take 2M.
    const p = buildProjection('cube', 2048, 1000);
    expect(p.fast).toBeNull();
    expect(p.factors?.dim).toBe(10);
    expect(p.factors!.frame).toHaveLength(2048 * 10);
    expect(p.factors!.mix).toHaveLength(10 * 1000);
    // The factors multiply out to P.
    let worst = 0;
    for (const [k, c] of [
      [0, 0],
      [5, 999],
      [2047, 500],
      [1000, 1],
    ] as const) {
      let sum = 0;
      for (let r = 0; r < 10; r++) sum += p.factors!.frame[k * 10 + r]! * p.factors!.mix[r * 1000 + c]!;
      worst = Math.max(worst, Math.abs(sum - p.matrix[k * 1000 + c]!));
    }
    expect(worst).toBeLessThan(1e-12);
    // An orthoplex of 1000 classes spans 500 dimensions: the transform is the cheaper frame there.
    expect(buildProjection('orthoplex', 2048, 1000).fast?.order).toBe(2048);
  });

  it('runs the fast Hadamard transform instead of a matrix product where that is cheaper', () => {
    expect(built({ units: 1000 }, 2048).describeProjection().fastTransformOrder).toBe(2048);
    expect(built({ units: 10 }, 64).describeProjection().fastTransformOrder).toBe(64);
    expect(built({ units: 10, matrix: 'orthogonal' }, 64).describeProjection().fastTransformOrder).toBeNull();
  });

  it.each([
    [10, null],
    [20, 2 ** 17],
  ])('builds a head on 131,072 features and %i classes from the rows it uses, not the 17 GB Hadamard matrix', (c, fastOrder) => {
    // A Flatten of a wide feature map: building H of order 2^17 to read c of its rows failed to allocate.
    const [batch, n] = [2, 2 ** 17];
    const layer = built({ units: c, scale: 2, seed: 4 }, n);
    expect(layer.describeProjection().fastTransformOrder).toBe(fastOrder); // dense P for 10 classes, the transform from 19
    const x = randomValues(batch * n, 9);
    const y = layer.apply(tf.tensor2d(x, [batch, n])) as tf.Tensor;
    const reference = referenceProjection(n, c);
    const expected = fixedClassifierFormula(x, batch, reference, n, c, 2, weightValue(layer, 'bias'));
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    expect(maxAbsDiff(layer.getProjection().dataSync(), reference)).toBeLessThan(1e-7);
  });

  it('is invariant to scaling an input by any positive factor', () => {
    const layer = built({ units: 10 }, 64);
    const x = tf.tensor2d(randomValues(3 * 64, 8), [3, 64]);
    const y = (layer.apply(x) as tf.Tensor).dataSync();
    for (const factor of [1e-3, 0.5, 7, 1e4]) {
      const scaled = (layer.apply(tf.mul(x, factor)) as tf.Tensor).dataSync();
      expect(maxAbsDiff(scaled, y)).toBeLessThan(1e-5);
    }
  });

  it('starts α and the bias as the reference does', () => {
    const hadamard = built({ units: 10, seed: 4 }, 64);
    expect(weightValue(hadamard, 'scale')[0]).toBeCloseTo(Math.sqrt(64 / 10), 6);
    const bias = weightValue(hadamard, 'bias');
    expect(Math.max(...bias.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(10));
    expect(new Set(bias).size).toBe(10);
    const orthogonal = built({ units: 10, matrix: 'orthogonal' }, 64);
    expect(weightValue(orthogonal, 'scale')[0]).toBe(10);
    expect(Array.from(weightValue(orthogonal, 'bias'))).toEqual(new Array(10).fill(0));
  });

  it("with activation 'softmax' outputs the softmax of the logits", () => {
    const x = tf.tensor2d(randomValues(3 * 16, 4), [3, 16]);
    const logits = built({ units: 5, seed: 2 }, 16);
    const probs = built({ units: 5, seed: 2, activation: 'softmax' }, 16);
    const expected = tf.softmax(logits.apply(x) as tf.Tensor).dataSync();
    expect(maxAbsDiff((probs.apply(x) as tf.Tensor).dataSync(), expected)).toBeLessThan(1e-6);
  });

  it.each(['hadamard', 'orthogonal'] as const)('reads integer and boolean features as float32 (%s), as tf.layers.dense does', (matrix) => {
    const layer = built({ units: 10, matrix, seed: 3 }, 64);
    const values = randomValues(2 * 64, 6).map((v) => Math.round(v * 10));
    const expected = (layer.apply(tf.tensor2d(values, [2, 64], 'float32')) as tf.Tensor).dataSync();
    const int = layer.apply(tf.tensor2d(values, [2, 64], 'int32')) as tf.Tensor;
    expect(int.dtype).toBe('float32');
    expect(maxAbsDiff(int.dataSync(), expected)).toBe(0);
    const bits = values.map((v) => (v > 0 ? 1 : 0));
    const bool = layer.apply(tf.tensor2d(bits, [2, 64], 'bool')) as tf.Tensor;
    expect(maxAbsDiff(bool.dataSync(), (layer.apply(tf.tensor2d(bits, [2, 64])) as tf.Tensor).dataSync())).toBe(0);
  });

  it('leaks no tensors per call', () => {
    const layer = built({ units: 10 }, 64);
    const x = tf.tensor2d(randomValues(2 * 64, 1), [2, 64]);
    (layer.apply(x) as tf.Tensor).dispose();
    const start = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) (layer.apply(x) as tf.Tensor).dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('FixedClassifier weights and gradients', () => {
  it('trains only α and the bias', () => {
    const layer = built({ units: 10 }, 64);
    expect(layer.trainableWeights.map((w) => w.originalName.split('/').pop())).toEqual(['scale', 'bias']);
    expect(layer.countParams()).toBe(1 + 10);
    const frozen = built({ units: 10, trainableScale: false, useBias: false }, 64);
    expect(frozen.trainableWeights).toHaveLength(0);
    expect(frozen.nonTrainableWeights.map((w) => w.originalName.split('/').pop())).toEqual(['scale']);
  });

  it.each<MatrixKind>(['hadamard', 'orthogonal', 'simplex'])(
    'analytic gradients for x, α and b match central differences (%s)',
    (matrix) => {
      const [batch, n, c] = [2, 12, 5];
      const layer = built({ units: c, matrix, scale: 2, seed: 9 }, n);
      const x0 = randomValues(batch * n, 21);
      const probe = tf.tensor2d(randomValues(batch * c, 22), [batch, c]);
      const [scale, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const loss = (x: tf.Tensor) => tf.sum(tf.mul(tf.square(layer.apply(x) as tf.Tensor), probe)) as tf.Scalar;

      const { grads } = tf.variableGrads(() => loss(tf.tensor2d(x0, [batch, n])), [scale!, bias!]);
      const gx = tf
        .grad(loss)(tf.tensor2d(x0, [batch, n]))
        .dataSync();
      const at = (x: Float32Array) => loss(tf.tensor2d(x, [batch, n])).dataSync()[0]!;

      const h = 1e-2;
      for (let i = 0; i < x0.length; i += 3) {
        const up = x0.slice();
        const down = x0.slice();
        up[i]! += h;
        down[i]! -= h;
        const numeric = (at(up) - at(down)) / (2 * h);
        expect(Math.abs(numeric - gx[i]!)).toBeLessThan(2e-2 * (1 + Math.abs(numeric)));
      }
      const x = tf.tensor2d(x0, [batch, n]);
      for (const v of [scale!, bias!]) {
        const analytic = grads[v.name]!.dataSync();
        const values = v.dataSync().slice();
        for (let i = 0; i < values.length; i++) {
          const shifted = (delta: number) => {
            const copy = values.slice();
            copy[i]! += delta;
            v.assign(tf.tensor(copy, v.shape));
            return loss(x).dataSync()[0]!;
          };
          const numeric = (shifted(h) - shifted(-h)) / (2 * h);
          v.assign(tf.tensor(values, v.shape));
          expect(Math.abs(numeric - analytic[i]!)).toBeLessThan(2e-2 * (1 + Math.abs(numeric)));
        }
      }
    },
  );

  it('gives a finite gradient for an all-zero feature vector', () => {
    const layer = built({ units: 4 }, 8);
    const g = tf.grad((x: tf.Tensor) => tf.sum(layer.apply(x) as tf.Tensor))(tf.zeros([1, 8]));
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('registers α and the bias with their regularizers (α decays like every other weight)', () => {
    const layer = built({ units: 3, scale: 4, scaleRegularizer: tf.regularizers.l2({ l2: 0.01 }) }, 8);
    const penalties = layer.losses.map((l) => (typeof l === 'function' ? l() : l).dataSync()[0]!);
    expect(penalties).toHaveLength(1);
    expect(penalties[0]).toBeCloseTo(0.01 * 4 * 4, 6);
  });
});

describe('FixedClassifier serialization', () => {
  async function roundTrip(model: tf.LayersModel): Promise<{ loaded: tf.LayersModel; artifacts: tf.io.ModelArtifacts }> {
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    return { loaded, artifacts: artifacts! };
  }

  it.each<MatrixKind>([...MATRIX_KINDS])('saves only α and the bias, and predicts identically after loading (%s)', async (matrix) => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [20], units: 24, activation: 'relu' }),
        fixedClassifier({ units: 10, matrix, scaleRegularizer: tf.regularizers.l2({ l2: 1e-4 }) }),
      ],
    });
    const { loaded, artifacts } = await roundTrip(model);
    const head = artifacts.weightSpecs!.filter((s) => s.name.startsWith(model.layers[1]!.name));
    expect(head.map((s) => s.name.split('/').pop())).toEqual(['scale', 'bias']);
    expect(JSON.stringify(artifacts.modelTopology)).toContain('"matrix":"' + matrix + '"');

    const x = tf.tensor2d(randomValues(6 * 20, 2), [6, 20]);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    const revived = loaded.layers[1] as FixedClassifier;
    expect(revived).toBeInstanceOf(FixedClassifier);
    expect(revived.matrix).toBe(matrix);
    expect(revived.getConfig().scaleRegularizer).toEqual(model.layers[1]!.getConfig().scaleRegularizer);
  });

  it('keeps a generated seed in the config, so a random matrix comes back the same', async () => {
    const model = tf.sequential({ layers: [fixedClassifier({ inputShape: [16], units: 4, matrix: 'orthogonal' })] });
    const { loaded } = await roundTrip(model);
    const p = (model.layers[0] as FixedClassifier).getProjection().dataSync();
    const q = (loaded.layers[0] as FixedClassifier).getProjection().dataSync();
    expect(Array.from(q)).toEqual(Array.from(p));
  });
});

describe('FixedClassifier errors', () => {
  it.each<[Partial<Parameters<typeof fixedClassifier>[0]>, RegExp]>([
    [{ units: 0 }, /units must be a positive integer, got 0/],
    [{ units: 10, matrix: 'identity' as MatrixKind }, /unknown matrix 'identity'; expected one of hadamard, orthogonal/],
    [{ units: 10, scale: -1 }, /scale \(the initial α\) must be a positive number, got -1/],
    [{ units: 10, epsilon: 0 }, /epsilon must be a positive number, got 0/],
    [{ units: 10, seed: 1.5 }, /seed must be an integer, got 1.5/],
    [{ units: 10, activation: 'relu' as 'softmax' }, /activation must be 'linear' or 'softmax', got 'relu'/],
    // A number given as a string reads like a number in a message: it is quoted and typed.
    [{ units: '10' as unknown as number }, /units must be a positive integer, got "10" \(a string\)\./],
    [{ units: 10, scale: '2' as unknown as number }, /scale \(the initial α\) must be a positive number, got "2" \(a string\)\./],
    [{ units: 10, seed: true as unknown as number }, /seed must be an integer, got true \(a boolean\)\./],
    [{ units: [10] as unknown as number }, /units must be a positive integer, got an array of 1\./],
  ])('rejects %p', (args, message) => {
    expect(() => fixedClassifier(args as Parameters<typeof fixedClassifier>[0])).toThrow(message);
  });

  it('takes a null seed or scale as not set, as TF.js configs write them ("seed": null)', () => {
    const layer = fixedClassifier({ units: 3, seed: null as unknown as number, scale: null as unknown as number });
    layer.build([null, 8]);
    expect(Number.isInteger(layer.seed)).toBe(true);
    expect(layer.getScale()).toBeCloseTo(Math.sqrt(8 / 3), 6); // the default α
  });

  it('needs a [batch, features] input', () => {
    const layer = fixedClassifier({ units: 10, name: 'head' });
    expect(() => layer.build([null, 4, 4, 8])).toThrow(
      "FixedClassifier 'head': expects input of shape [batch, features] with a known number of features, got [null, 4, 4, 8]",
    );
  });

  it('refuses a tensor of another rank applied after it is built, on every path', () => {
    // Built on [batch, 64]; a [batch, steps, 64] tensor would be read as [batch, 64] by the fast kernels.
    for (const matrix of ['hadamard', 'orthogonal'] as const) {
      const layer = fixedClassifier({ units: 10, matrix, name: `rank-${matrix}` });
      layer.apply(tf.zeros([1, 64]));
      const x = tf.zeros([2, 3, 64]);
      const before = tf.memory().numTensors;
      expect(() => layer.apply(x)).toThrow(`Input 0 is incompatible with layer rank-${matrix}: expected ndim=2, found ndim=3`);
      expect(() => layer.computeOutputShape([2, 3, 64])).toThrow(
        `FixedClassifier 'rank-${matrix}': expects input of shape [batch, features] with a known number of features, got [2, 3, 64]`,
      );
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      layer.dispose();
    }
  });

  it('names biasInitializer when it cannot initialize a vector', () => {
    const layer = fixedClassifier({ units: 3, name: 'b', biasInitializer: 'orthogonal' });
    expect(() => layer.apply(tf.ones([1, 8]))).toThrow(
      /^FixedClassifier 'b': biasInitializer cannot initialize the bias, a vector of 3: .*Use a vector initializer \('zeros'/,
    );
    // A registered class that is not an initializer (from a hand-edited config) is not kept as a scalar bias.
    const regularizer = fixedClassifier({ units: 3, name: 'c', biasInitializer: 'L1L2' as 'zeros' });
    expect(() => regularizer.apply(tf.ones([1, 8]))).toThrow(
      "FixedClassifier 'c': biasInitializer cannot initialize the bias, a vector of 3: it gave a tensor of shape [] (is L1L2 an initializer?).",
    );
  });

  it('refuses a polytope that does not fit, when the model is built', () => {
    expect(() => tf.sequential({ layers: [fixedClassifier({ inputShape: [8], units: 10, matrix: 'simplex' })] })).toThrow(
      /simplex of 10 classes needs 9 dimensions/,
    );
  });

  it('says getProjection needs a built layer', () => {
    expect(() => fixedClassifier({ units: 3, name: 'h2' }).getProjection()).toThrow(
      "FixedClassifier 'h2': getProjection() needs a built layer.",
    );
  });

  it.each<MatrixKind>(['orthogonal', 'hadamard', 'cube'])(
    'getProjection gives the caller a tensor of its own (%s): the buildProjection matrix, and disposing it leaves the layer whole',
    (matrix) => {
      const layer = built({ units: 10, matrix, seed: 4 }, 64);
      const x = tf.tensor2d(randomValues(3 * 64, 2), [3, 64]);
      const before = (layer.apply(x) as tf.Tensor).dataSync();
      const p = layer.getProjection();
      expect(maxAbsDiff(p.dataSync(), Float32Array.from(buildProjection(matrix, 64, 10, 4).matrix))).toBe(0);
      p.dispose();
      expect(maxAbsDiff((layer.apply(x) as tf.Tensor).dataSync(), before)).toBe(0);
      expect(layer.getProjection().shape).toEqual([64, 10]);
    },
  );
});
