import * as tf from '@tensorflow/tfjs';
import { MATRIX_KINDS } from '@fixclf/layers';
import {
  BuildContext,
  classifierKinds,
  createModel,
  getModelDefinition,
  isClassifierKind,
  listModels,
  registerModel,
  type ModelDefinition,
} from '@fixclf/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('registry', () => {
  test('CIFAR networks first, then ImageNet, each with its own input shape and class count', () => {
    expect(listModels()).toEqual([
      'resnet20',
      'resnet32',
      'resnet44',
      'resnet56',
      'resnet110',
      'densenet-bc-100',
      'resnet18',
      'resnet34',
      'resnet50',
      'densenet121',
      'densenet169',
      'shufflenet',
    ]);
    expect(getModelDefinition('resnet56')).toMatchObject({ dataset: 'cifar', defaultInputShape: [32, 32, 3], defaultNumClasses: 10 });
    expect(getModelDefinition('densenet-bc-100')).toMatchObject({ dataset: 'cifar', defaultNumClasses: 100 });
    // Entries are read-only: changing one used to change the defaults of every later createModel.
    const entry = getModelDefinition('resnet20');
    expect(() => Object.assign(entry, { defaultNumClasses: 3 })).toThrow(TypeError);
    expect(() => (entry.defaultInputShape as unknown as number[]).push(1)).toThrow(TypeError);
    expect(getModelDefinition('resnet20')).toMatchObject({ defaultNumClasses: 10, defaultInputShape: [32, 32, 3] });
    expect(getModelDefinition('shufflenet')).toMatchObject({ dataset: 'imagenet', defaultInputShape: [224, 224, 3] });
  });

  test('glob and predicate filters', () => {
    expect(listModels('resnet*')).toEqual([
      'resnet20',
      'resnet32',
      'resnet44',
      'resnet56',
      'resnet110',
      'resnet18',
      'resnet34',
      'resnet50',
    ]);
    expect(listModels('densenet1??')).toEqual(['densenet121', 'densenet169']);
    expect(listModels((d) => d.dataset === 'cifar')).toHaveLength(6);
    expect(listModels('vgg*')).toEqual([]);
  });

  test('unknown and duplicate names are clear errors', () => {
    expect(() => getModelDefinition('resnet57')).toThrow(/Unknown model 'resnet57'.*resnet56/);
    expect(() => createModel('resnet57', { numClasses: 10, classifier: 'learned' })).toThrow(/Unknown model/);
    expect(() => registerModel({ ...getModelDefinition('resnet20') })).toThrow(/already registered/);
    expect(() => registerModel({ ...getModelDefinition('resnet20'), name: 'Bad Name' })).toThrow(/lower-case/);
  });

  test('a user-registered network gets the same heads and checks', () => {
    const tiny: ModelDefinition = {
      ...getModelDefinition('resnet20'),
      name: 'tiny-mlp',
      family: 'test',
      defaultInputShape: [4, 4, 8],
      minInputSize: 1,
      buildFeatures: (input: tf.SymbolicTensor, _ctx: BuildContext) =>
        tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(input) as tf.SymbolicTensor,
    };
    registerModel(tiny);
    expect(listModels('tiny*')).toEqual(['tiny-mlp']);
    const model = createModel('tiny-mlp', { numClasses: 3, classifier: 'orthoplex' });
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
    expect(model.layers.at(-1)!.getClassName()).toBe('FixedClassifier');
    model.dispose();
  });
});

describe('createModel options', () => {
  test('every classifier kind builds, fixed ones as a FixedClassifier named like the reference head', () => {
    expect(classifierKinds).toEqual(['learned', 'hadamard', 'orthogonal', 'simplex', 'orthoplex', 'cube']);
    expect(classifierKinds.slice(1)).toEqual(MATRIX_KINDS); // derived from @fixclf/layers' list
    expect(classifierKinds.every(isClassifierKind)).toBe(true);
    expect(isClassifierKind('dense')).toBe(false);
    for (const kind of classifierKinds) {
      const model = createModel('resnet20', { numClasses: 10, classifier: kind, inputShape: [8, 8, 3] });
      const head = model.getLayer('fc');
      expect(head.getClassName()).toBe(kind === 'learned' ? 'Dense' : 'FixedClassifier');
      if (kind !== 'learned') expect(head.getConfig().matrix).toBe(kind);
      model.dispose();
    }
    const densenet = createModel('densenet-bc-100', {
      numClasses: 100,
      classifier: { matrix: 'simplex', scale: 3 },
      inputShape: [8, 8, 3],
    });
    expect(densenet.getLayer('classifier').getConfig()).toMatchObject({ matrix: 'simplex', scale: 3, units: 100 });
    densenet.dispose();
    // An option given as undefined means its default, the name too (the spread put undefined over it).
    const unnamed = createModel('resnet20', { numClasses: 10, classifier: { matrix: 'hadamard', name: undefined }, inputShape: [8, 8, 3] });
    expect(unnamed.getLayer('fc').getClassName()).toBe('FixedClassifier');
    unnamed.dispose();
  });

  test('a frozen, readonly input shape (as @fixclf/datasets gives) builds, and the model does not keep it', () => {
    // Typed readonly: the typecheck task fails if InputShape is mutable again (train copied and cast here).
    const shape: readonly [number, number, number] = Object.freeze([8, 8, 3] as const);
    const model = createModel('resnet20', { numClasses: 10, classifier: 'hadamard', inputShape: shape });
    expect(model.inputs[0]?.shape).toEqual([null, 8, 8, 3]);
    model.dispose();
  });

  test('bad options name what is wrong', () => {
    const make = (options: object) => () => createModel('resnet20', options as never);
    expect(make({ numClasses: 0, classifier: 'learned' })).toThrow(/numClasses must be a positive integer, got 0/);
    expect(make({ numClasses: 10, classifier: 'hadamard2' })).toThrow(
      /^createModel\('resnet20'\): classifier: expected one of learned, hadamard/,
    );
    expect(make({ numClasses: 10, classifier: { units: 11 } })).toThrow(
      "createModel('resnet20'): classifier.units 11 disagrees with numClasses 10; leave units out, it comes from numClasses.",
    );
    expect(make({ numClasses: 10, classifier: { units: '10' } })).toThrow(
      `createModel('resnet20'): classifier.units "10" (string) disagrees with numClasses 10;`,
    );
    expect(make({ numClasses: 10, classifier: { matrix: 'hadamard', scale: -1 } })).toThrow(
      "createModel('resnet20'): classifier: FixedClassifier: scale (the initial α) must be a positive number, got -1.",
    );
    expect(make({ numClasses: 10, classifier: 'learned', inputShape: [32, 32] })).toThrow(/inputShape must be \[height, width, channels\]/);
    expect(make({ numClasses: 10, classifier: 'learned', seed: 1.5 })).toThrow(/seed must be an integer/);
    // NaN and Infinity are named as they are, not as JSON's null.
    expect(make({ numClasses: NaN, classifier: 'learned' })).toThrow(/numClasses must be a positive integer, got NaN$/);
    expect(make({ numClasses: 10, classifier: 'learned', inputShape: [32, 32, Infinity] })).toThrow(/got \[32,32,Infinity\]$/);
    expect(make({ numClasses: 10, classifier: 'learned', seed: NaN })).toThrow(/seed must be an integer, got NaN$/);
    expect(() => createModel('densenet121', { numClasses: 10, classifier: 'learned', inputShape: [16, 16, 3] })).toThrow(/at least 29/);
    // Two 2×2 average pools of stride 2: 3×3 would reach the third block as 0×0.
    expect(() => createModel('densenet-bc-100', { numClasses: 10, classifier: 'learned', inputShape: [3, 3, 3] })).toThrow(
      "createModel('densenet-bc-100'): inputShape [3,3,3] is too small; height and width must be at least 4",
    );
  });

  test('a refused head leaves no weights behind, whether refused before the trunk is built or after', () => {
    const variables = () => Object.keys(tf.engine().registeredVariables).length;
    const before = variables();
    const tensors = tf.memory().numTensors;
    // Refused before anything is built: a typo, units that disagree, an option FixedClassifier refuses.
    for (const classifier of ['hadamrd', { units: 11 }, { matrix: 'orthogonal', epsilon: 0 }]) {
      expect(() => createModel('resnet20', { numClasses: 10, classifier: classifier as never, inputShape: [8, 8, 3] })).toThrow();
    }
    // Refused once the feature width is known: a simplex of 100 classes needs 99 dimensions, ResNet-20 has 64.
    expect(() => createModel('resnet20', { numClasses: 100, classifier: 'simplex', inputShape: [8, 8, 3] })).toThrow(
      /^createModel\('resnet20'\): FixedClassifier: a simplex of 100 classes needs 99 dimensions/,
    );
    // A count no head can hold is named, not TF.js's "Invalid typed array length".
    expect(() => createModel('resnet20', { numClasses: 2 ** 40, classifier: 'learned', inputShape: [8, 8, 3] })).toThrow(
      "createModel('resnet20'): numClasses 1099511627776 is more than a classifier head here can hold (at most 16777216)",
    );
    expect(variables()).toBe(before);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  test('a seed reproduces every weight; another seed or none does not', () => {
    const build = (seed?: number) => createModel('resnet20', { numClasses: 10, classifier: 'orthogonal', inputShape: [8, 8, 3], seed });
    const [a, b, c, d] = [build(3), build(3), build(4), build()];
    const flat = (m: tf.LayersModel) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const [wa, wb, wc, wd] = [a, b, c, d].map(flat);
    expect(wb).toEqual(wa);
    expect(wc).not.toEqual(wa);
    expect(wd).not.toEqual(wa);
    const x = tf.randomNormal([1, 8, 8, 3]);
    expect(Array.from((b.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((a.predict(x) as tf.Tensor).dataSync()));
    [a, b, c, d].forEach((m) => m.dispose());
  });
});

describe('initialisation as the reference implementations', () => {
  const std = (v: Float32Array) => {
    const mean = v.reduce((s, a) => s + a, 0) / v.length;
    return { mean, std: Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / v.length) };
  };

  test('resnet56: He-normal fan-out convolutions, BN γ = 1 β = 0, PyTorch-default Linear', () => {
    const model = createModel('resnet56', { numClasses: 10, classifier: 'learned', seed: 1 });
    try {
      for (const layer of model.layers) {
        const cls = layer.getClassName();
        if (cls === 'Conv2D') {
          const kernel = layer.getWeights()[0]!;
          const [k, , , out] = kernel.shape as number[];
          const { mean, std: s } = std(kernel.dataSync() as Float32Array);
          const expected = Math.sqrt(2 / (k! * k! * out!));
          const n = kernel.size;
          // Sample std of n normals: relative error ~ 1/√(2n); five of those is a generous bound.
          expect(Math.abs(s / expected - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
          expect(Math.abs(mean)).toBeLessThan((5 * expected) / Math.sqrt(n));
          expect(layer.getConfig().useBias).toBe(false);
        } else if (cls === 'BatchNormalization') {
          const [gamma, beta, movingMean, movingVariance] = layer.getWeights().map((w) => Array.from(w.dataSync()));
          expect(new Set(gamma)).toEqual(new Set([1]));
          expect(new Set(beta)).toEqual(new Set([0]));
          expect(new Set(movingMean)).toEqual(new Set([0]));
          expect(new Set(movingVariance)).toEqual(new Set([1]));
          expect(layer.getConfig()).toMatchObject({ momentum: 0.9, epsilon: 1e-5 });
        }
      }
      const [kernel, bias] = model
        .getLayer('fc')
        .getWeights()
        .map((w) => w.dataSync() as Float32Array);
      const bound = 1 / Math.sqrt(64);
      for (const v of [kernel!, bias!]) expect(v.every((a) => Math.abs(a) <= bound)).toBe(true);
      // U(−b, b) has standard deviation b/√3.
      expect(Math.abs(std(kernel!).std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.15);
    } finally {
      model.dispose();
    }
  });

  test('shufflenet: fan-out depthwise and grouped convolutions, zero biases, N(0, 0.001²) classifier', () => {
    const model = createModel('shufflenet', { numClasses: 1000, classifier: 'learned', seed: 2, inputShape: [32, 32, 3] });
    try {
      const dw = model.getLayer('stage4.ShuffleUnit_Stage4_1.depthwise_conv3x3').getWeights();
      expect(dw[0]!.shape).toEqual([3, 3, 240, 1]);
      expect(Math.abs(std(dw[0]!.dataSync() as Float32Array).std / Math.sqrt(2 / (9 * 240)) - 1)).toBeLessThan(0.1);
      expect(new Set(dw[1]!.dataSync())).toEqual(new Set([0]));
      const grouped = model.getLayer('stage4.ShuffleUnit_Stage4_1.g_conv_1x1_expand.conv1x1');
      expect(grouped.getClassName()).toBe('GroupedConv2D');
      const [gk, gb] = grouped.getWeights();
      expect(gk!.shape).toEqual([1, 1, 80, 960]);
      expect(Math.abs(std(gk!.dataSync() as Float32Array).std / Math.sqrt(2 / 960) - 1)).toBeLessThan(0.05);
      expect(new Set(gb!.dataSync())).toEqual(new Set([0]));
      const [fcKernel, fcBias] = model.getLayer('fc').getWeights();
      expect(Math.abs(std(fcKernel!.dataSync() as Float32Array).std / 0.001 - 1)).toBeLessThan(0.01);
      expect(new Set(fcBias!.dataSync())).toEqual(new Set([0]));
    } finally {
      model.dispose();
    }
  });
});

describe('PyTorch geometry and module names', () => {
  /** PyTorch's output size of a k×k window with stride s and padding p. */
  const out = (size: number, k: number, s: number, p: number) => Math.floor((size + 2 * p - k) / s) + 1;

  test('resnet18 at an odd 225×225: every strided layer sized as PyTorch sizes it', () => {
    const model = createModel('resnet18', { numClasses: 5, classifier: 'learned', inputShape: [225, 225, 3] });
    try {
      const shape = (name: string) => (model.getLayer(name).outputShape as number[]).slice(1);
      let size = out(225, 7, 2, 3);
      expect(shape('conv1')).toEqual([size, size, 64]);
      size = out(size, 3, 2, 1);
      expect(shape('maxpool')).toEqual([size, size, 64]);
      for (const [stage, channels] of [
        [2, 128],
        [3, 256],
        [4, 512],
      ] as const) {
        const convSize = out(size, 3, 2, 1);
        expect(shape(`layer${stage}.0.conv1`)).toEqual([convSize, convSize, channels]);
        expect(shape(`layer${stage}.0.downsample.0`)).toEqual([out(size, 1, 2, 0), out(size, 1, 2, 0), channels]);
        size = convSize;
      }
    } finally {
      model.dispose();
    }
  });

  test('a CIFAR ResNet at sizes down to 1×1: each stage sized as PyTorch sizes it, the head gets 64 features', () => {
    for (const input of [1, 2, 3, 5]) {
      const model = createModel('resnet20', { numClasses: 10, classifier: 'hadamard', inputShape: [input, input, 3] });
      try {
        const shape = (name: string) => (model.getLayer(name).outputShape as number[]).slice(1);
        let size = input;
        for (const [stage, channels] of [
          [2, 32],
          [3, 64],
        ] as const) {
          const convSize = out(size, 3, 2, 1);
          expect(shape(`layer${stage}.0.conv1`)).toEqual([convSize, convSize, channels]);
          expect(shape(`layer${stage}.0.downsample.0`)).toEqual([out(size, 1, 2, 0), out(size, 1, 2, 0), channels]);
          size = convSize;
        }
        expect(shape('avgpool')).toEqual([64]);
        const logits = tf.tidy(() => (model.predict(tf.ones([2, input, input, 3])) as tf.Tensor).arraySync() as number[][]);
        expect(logits).toHaveLength(2);
        expect(logits.flat().every(Number.isFinite)).toBe(true);
      } finally {
        model.dispose();
      }
    }
  });

  test('layer names are the reference state_dict paths', () => {
    const names = (name: string) => {
      const model = createModel(name, { numClasses: 10, classifier: 'learned', inputShape: [64, 64, 3] });
      const result = new Set(model.layers.map((l) => l.name));
      model.dispose();
      return result;
    };
    const resnet50 = names('resnet50');
    for (const n of ['conv1', 'bn1', 'layer1.0.downsample.0', 'layer1.0.downsample.1', 'layer4.2.conv3', 'layer4.2.bn3', 'fc']) {
      expect(resnet50).toContain(n);
    }
    const densenet = names('densenet121');
    for (const n of [
      'features.conv0',
      'features.norm0',
      'features.denseblock4.denselayer16.conv2',
      'features.transition3.conv',
      'features.norm5',
      'classifier',
    ]) {
      expect(densenet).toContain(n);
    }
    expect(names('densenet-bc-100')).toContain('features.norm4');
    expect(names('shufflenet')).toContain('stage2.ShuffleUnit_Stage2_0.g_conv_1x1_compress.conv1x1');
  });
});
