import * as tf from '@tensorflow/tfjs';
import { countFlops, createModel, getModelDefinition, listModels, paramCounts, type ParamCounts } from '@fixclf/models';
import { densenetParams, resnetCifarParams, resnetImagenetParams, shufflenetPaperParams } from './expected-counts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The paper's Table 1: learned-classifier trainable parameters and "% params fixed". */
const TABLE_1 = [
  { model: 'resnet56', classes: 10, params: 855_770, percentFixed: '0.07', features: 64 },
  { model: 'densenet-bc-100', classes: 100, params: 800_032, percentFixed: '4.27', features: 342 },
  { model: 'resnet50', classes: 1000, params: 25_557_032, percentFixed: '8.01', features: 2048 },
  { model: 'densenet169', classes: 1000, params: 14_149_480, percentFixed: '11.76', features: 1664 },
  { model: 'shufflenet', classes: 1000, params: 1_826_555, percentFixed: '52.56', features: 960 },
] as const;

/** Independent expectations for every registered name (classes = the paper's dataset). */
const EXPECTED: Record<string, { classes: number; params: number }> = {
  resnet20: { classes: 10, params: resnetCifarParams(20, 10) },
  resnet32: { classes: 10, params: resnetCifarParams(32, 10) },
  resnet44: { classes: 10, params: resnetCifarParams(44, 10) },
  resnet56: { classes: 10, params: resnetCifarParams(56, 10) },
  resnet110: { classes: 10, params: resnetCifarParams(110, 10) },
  'densenet-bc-100': { classes: 100, params: densenetParams('cifar', 12, [16, 16, 16], 24, 100).params },
  resnet18: { classes: 1000, params: resnetImagenetParams('basic', [2, 2, 2, 2], 1000) },
  resnet34: { classes: 1000, params: resnetImagenetParams('basic', [3, 4, 6, 3], 1000) },
  resnet50: { classes: 1000, params: resnetImagenetParams('bottleneck', [3, 4, 6, 3], 1000) },
  densenet121: { classes: 1000, params: densenetParams('imagenet', 32, [6, 12, 24, 16], 64, 1000).params },
  densenet169: { classes: 1000, params: densenetParams('imagenet', 32, [6, 12, 32, 32], 64, 1000).params },
  shufflenet: { classes: 1000, params: shufflenetPaperParams(1000) },
};

/** torchvision's published counts and the CIFAR ResNet paper's (option A + 2,752 for option B). */
const PUBLISHED: Record<string, number> = {
  resnet18: 11_689_512,
  resnet34: 21_797_672,
  resnet50: 25_557_032,
  densenet121: 7_978_856,
  densenet169: 14_149_480,
  resnet20: 269_722 + 2_752,
  resnet110: 1_727_962 + 2_752,
};

/** torchvision's published "GFLOPS" (multiply-adds) per 224×224 image. */
const TORCHVISION_GMACS: Record<string, number> = {
  resnet18: 1.81,
  resnet34: 3.66,
  resnet50: 4.09,
  densenet121: 2.83,
  densenet169: 3.36,
};

describe('learned classifier: every model at its own input size (build only)', () => {
  const learned = new Map<string, ParamCounts>();

  test('the registry holds the twelve networks of the issue', () => {
    expect(listModels().sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.keys(EXPECTED))(
    '%s: NHWC input, logits out, trainable count as the formula (ImageNet: FLOPs as torchvision)',
    (name) => {
      const { classes, params } = EXPECTED[name]!;
      const definition = getModelDefinition(name);
      const model = createModel(name, { numClasses: classes, classifier: 'learned' });
      try {
        expect(model.inputs[0]!.shape).toEqual([null, ...definition.defaultInputShape]);
        expect(model.outputs[0]!.shape).toEqual([null, classes]);
        for (const layer of model.layers) {
          const format = layer.getConfig().dataFormat;
          if (format !== undefined) expect(format).toBe('channelsLast');
        }
        const counts = paramCounts(model);
        learned.set(name, counts);
        expect(counts.trainable).toBe(params);
        if (PUBLISHED[name] !== undefined) expect(counts.trainable).toBe(PUBLISHED[name]);
        // Nothing is frozen or fixed in the baseline; tfjs additionally stores BN running statistics.
        expect(counts.fixed).toBe(0);
        expect(counts.frozen).toBe(0);
        expect(counts.total).toBe(counts.trainable);
        expect(counts.weights).toBe(model.countParams());
        expect(counts.weights).toBe(counts.trainable + counts.statistics);
        // γ and β are as many as the running mean and variance.
        const bnTrainable = model.layers
          .filter((l) => l.getClassName() === 'BatchNormalization')
          .reduce((sum, l) => sum + l.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a! * b!, 1)!, 0), 0);
        expect(counts.statistics).toBe(bnTrainable);
        if (TORCHVISION_GMACS[name] !== undefined) {
          const { macs, flops, trainingFlops } = countFlops(model);
          expect(Math.abs(macs / 1e9 - TORCHVISION_GMACS[name])).toBeLessThan(0.006);
          expect(flops).toBe(2 * macs);
          expect(trainingFlops).toBe(3 * flops);
        }
      } finally {
        model.dispose();
      }
    },
  );

  test.each(TABLE_1.filter((r) => r.model !== 'shufflenet'))('$model matches Table 1 exactly: $params', ({ model, params }) => {
    expect(learned.get(model)?.trainable).toBe(params);
  });

  test('shufflenet is within 0.5 % of Table 1 (one parameter short, see README)', () => {
    const trainable = learned.get('shufflenet')!.trainable;
    expect(Math.abs(trainable - 1_826_555) / 1_826_555).toBeLessThan(0.005);
    expect(trainable).toBe(1_826_554);
  });

  test('densenet-bc-100 has 342 features before its classifier', () => {
    expect(densenetParams('cifar', 12, [16, 16, 16], 24, 100).features).toBe(342);
  });
});

describe('fixed classifier: paramCounts reproduces the "% params fixed" column', () => {
  test.each(TABLE_1)('$model with a Hadamard head: $percentFixed %', ({ model: name, classes, features }) => {
    const model = createModel(name, { numClasses: classes, classifier: 'hadamard', inputShape: [32, 32, 3] });
    try {
      const counts = paramCounts(model);
      const learnedTrainable = EXPECTED[name]!.params;
      // P replaces the Dense kernel; the bias stays and one scalar α is learned.
      expect(counts.fixed).toBe(features * classes);
      expect(counts.trainable).toBe(learnedTrainable - features * classes + 1);
      expect(counts.frozen).toBe(0);
      expect(counts.total).toBe(counts.trainable);
      const percent = (100 * counts.fixed) / learnedTrainable;
      const expected = TABLE_1.find((r) => r.model === name)!.percentFixed;
      expect(percent.toFixed(2)).toBe(expected);
    } finally {
      model.dispose();
    }
  });

  test('a fixed α counts as fixed and frozen; no bias removes a trainable vector', () => {
    const model = createModel('resnet20', {
      numClasses: 10,
      classifier: { matrix: 'orthogonal', trainableScale: false, useBias: false, scale: 5 },
      inputShape: [8, 8, 3],
    });
    try {
      const counts = paramCounts(model);
      const learnedTrainable = resnetCifarParams(20, 10);
      expect(counts.fixed).toBe(64 * 10 + 1);
      expect(counts.frozen).toBe(1);
      expect(counts.trainable).toBe(learnedTrainable - 64 * 10 - 10);
      expect(counts.total).toBe(counts.trainable + 1);
      expect(counts.weights).toBe(model.countParams());
    } finally {
      model.dispose();
    }
  });

  test('layers frozen by the user are frozen, not fixed', () => {
    const model = createModel('resnet20', { numClasses: 10, classifier: 'learned', inputShape: [8, 8, 3] });
    try {
      const stem = model.getLayer('conv1');
      stem.trainable = false;
      const counts = paramCounts(model);
      expect(counts.frozen).toBe(3 * 3 * 3 * 16);
      expect(counts.fixed).toBe(0);
      expect(counts.trainable).toBe(resnetCifarParams(20, 10) - 3 * 3 * 3 * 16);
      expect(counts.total).toBe(resnetCifarParams(20, 10));
    } finally {
      model.dispose();
    }
  });
});
