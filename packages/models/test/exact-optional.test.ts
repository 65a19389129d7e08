// `tsc -p packages/models` compiles this file with exactOptionalPropertyTypes: a caller's option that may be
// undefined is passed straight through (no TS2379), and undefined means the default.
import * as tf from '@tensorflow/tfjs';
import { ChannelShuffle, ConstantPadding2D, createModel, GroupedConv2D } from '@fixclf/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A caller's own options, forwarded to ours: each one possibly undefined. */
interface CallerOptions {
  readonly strides?: number | undefined;
  readonly padding?: 'same' | 'valid' | undefined;
  readonly useBias?: boolean | undefined;
  readonly kernelInitializer?: 'zeros' | undefined;
  readonly name?: string | undefined;
  readonly trainable?: boolean | undefined;
  readonly units?: number | undefined;
}

describe('options that may be undefined (exactOptionalPropertyTypes)', () => {
  const given: CallerOptions = {};

  it('GroupedConv2D, ChannelShuffle and ConstantPadding2D take them, undefined meaning the default', () => {
    const conv = new GroupedConv2D({
      filters: 4,
      kernelSize: 3,
      groups: 2,
      strides: given.strides,
      padding: given.padding,
      useBias: given.useBias,
      kernelInitializer: given.kernelInitializer,
      biasInitializer: given.kernelInitializer,
      name: given.name,
      trainable: given.trainable,
    });
    const x = tf.ones([1, 8, 8, 4]);
    const y = conv.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 6, 6, 4]); // stride 1, 'valid'
    expect(conv.trainableWeights).toHaveLength(2); // with a bias
    const shuffled = new ChannelShuffle({ groups: 2, name: given.name }).apply(y) as tf.Tensor;
    const padded = new ConstantPadding2D({ padding: 1, value: 0, name: given.name }).apply(shuffled) as tf.Tensor;
    expect(padded.shape).toEqual([1, 8, 8, 4]);
    tf.dispose([x, y, shuffled, padded]);
  });

  it('createModel takes a fixed classifier config whose units may be undefined', () => {
    const model = createModel('resnet20', { numClasses: 10, classifier: { matrix: 'hadamard', units: given.units } });
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    model.dispose();
  });
});
