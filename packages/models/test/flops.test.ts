import * as tf from '@tensorflow/tfjs';
import { countFlops, createModel } from '@fixclf/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// torchvision's published multiply-adds of the ImageNet networks are checked in param-counts.test.ts,
// on the models built there.

test('resnet20 at 32×32: the convolution and classifier multiply-adds written out', () => {
  const conv = (hw: number, k: number, a: number, b: number) => hw * hw * k * k * a * b;
  let expected = conv(32, 3, 3, 16);
  expected += 3 * 2 * conv(32, 3, 16, 16);
  expected += conv(16, 3, 16, 32) + conv(16, 3, 32, 32) + conv(16, 1, 16, 32) + 2 * 2 * conv(16, 3, 32, 32);
  expected += conv(8, 3, 32, 64) + conv(8, 3, 64, 64) + conv(8, 1, 32, 64) + 2 * 2 * conv(8, 3, 64, 64);
  expected += 64 * 10;
  const model = createModel('resnet20', { numClasses: 10, classifier: 'learned' });
  try {
    const { macs, layers } = countFlops(model);
    expect(macs).toBe(expected);
    expect(layers.reduce((s, l) => s + l.macs, 0)).toBe(macs);
    expect(layers.find((l) => l.name === 'layer2.0.downsample.0')?.macs).toBe(conv(16, 1, 16, 32));
  } finally {
    model.dispose();
  }
});

test('shufflenet: grouped and depthwise convolutions counted at 1/g and 1/C of the dense product', () => {
  const model = createModel('shufflenet', { numClasses: 1000, classifier: 'hadamard' });
  try {
    const { layers } = countFlops(model);
    const byName = new Map(layers.map((l) => [l.name, l.macs]));
    // Stage 3 (14×14 at 224²), a stride-1 unit: 480 → 120 grouped by 3, depthwise 3×3 on 120, 120 → 480 by 3.
    const unit = 'stage3.ShuffleUnit_Stage3_1';
    expect(byName.get(`${unit}.g_conv_1x1_compress.conv1x1`)).toBe((14 * 14 * 480 * 120) / 3);
    expect(byName.get(`${unit}.depthwise_conv3x3`)).toBe(14 * 14 * 9 * 120);
    expect(byName.get(`${unit}.g_conv_1x1_expand.conv1x1`)).toBe((14 * 14 * 120 * 480) / 3);
    // The fixed classifier is still one 960 × 1000 product per image.
    expect(byName.get('fc')).toBe(960 * 1000);
  } finally {
    model.dispose();
  }
});

test('a model with unknown spatial dimensions gets a clear error', () => {
  const input = tf.input({ shape: [null, null, 3] });
  const output = tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'c' }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  expect(() => countFlops(model)).toThrow(/'c'.*unknown dimension/);
});
