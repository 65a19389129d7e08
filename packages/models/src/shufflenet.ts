import * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext } from './build-context';
import { add, avgPool, batchNorm, concat, conv, depthwiseConv, globalAveragePool, maxPool, relu } from './blocks';
import { ChannelShuffle } from './layers/channel-shuffle';
import type { ModelDefinition } from './model-definition';

type SymbolicTensor = tfl.SymbolicTensor;

const GROUPS = 3;
/** Output channels of stages 1–4 for 1×, g = 3 (Zhang et al. 2018, Table 1). */
const STAGE_CHANNELS = [24, 240, 480, 960] as const;
/** Units per stage after the first (stride-2) one. */
const STAGE_REPEATS = [3, 7, 3] as const;

/**
 * One ShuffleNet unit as the paper's code built it (jaxony/ShuffleNet, model.py of July–November
 * 2017): GConv1×1 → BN → ReLU → shuffle → DWConv3×3 → BN → GConv1×1 → BN, then add (stride 1) or
 * concatenate with a 3×3/2 average-pooled input (stride 2), then ReLU. Every convolution carries a
 * bias (PyTorch's default), and a stride-2 unit sizes its bottleneck from the concatenated branch
 * (out − in)/4. Both quirks are kept because they are what gives the paper's parameter count.
 */
function shuffleUnit(
  ctx: BuildContext,
  x: SymbolicTensor,
  name: string,
  inChannels: number,
  outChannels: number,
  combine: 'add' | 'concat',
  groupedFirstConv: boolean,
): SymbolicTensor {
  const branchChannels = combine === 'concat' ? outChannels - inChannels : outChannels;
  const bottleneck = branchChannels / 4;
  const stride = combine === 'concat' ? 2 : 1;
  let out = conv(ctx, x, {
    name: `${name}.g_conv_1x1_compress.conv1x1`,
    filters: bottleneck,
    kernelSize: 1,
    groups: groupedFirstConv ? GROUPS : 1,
    useBias: true,
  });
  out = relu(batchNorm(out, `${name}.g_conv_1x1_compress.batch_norm`), `${name}.g_conv_1x1_compress.relu`);
  out = new ChannelShuffle({ name: `${name}.channel_shuffle`, groups: GROUPS }).apply(out) as SymbolicTensor;
  out = depthwiseConv(ctx, out, {
    name: `${name}.depthwise_conv3x3`,
    channels: bottleneck,
    kernelSize: 3,
    strides: stride,
    padding: 1,
    useBias: true,
  });
  out = batchNorm(out, `${name}.bn_after_depthwise`);
  out = conv(ctx, out, {
    name: `${name}.g_conv_1x1_expand.conv1x1`,
    filters: branchChannels,
    kernelSize: 1,
    groups: GROUPS,
    useBias: true,
  });
  out = batchNorm(out, `${name}.g_conv_1x1_expand.batch_norm`);
  const combined =
    combine === 'add'
      ? add([x, out], `${name}.add`)
      : concat([avgPool(x, { name: `${name}.avg_pool`, poolSize: 3, strides: 2, padding: 1 }), out], `${name}.concat`);
  return relu(combined, `${name}.relu`);
}

function buildShuffleNet(input: SymbolicTensor, ctx: BuildContext): SymbolicTensor {
  // The reference has no BN/ReLU between conv1 and the max pool, so the pool pads with −∞.
  let x = conv(ctx, input, { name: 'conv1', filters: STAGE_CHANNELS[0], kernelSize: 3, strides: 2, padding: 1, useBias: true });
  x = maxPool(x, { name: 'maxpool', poolSize: 3, strides: 2, padding: 1, afterRelu: false });
  let channels: number = STAGE_CHANNELS[0];
  STAGE_REPEATS.forEach((repeats, i) => {
    const stage = `stage${i + 2}`;
    const outChannels = STAGE_CHANNELS[i + 1] as number;
    // Stage 2's first 1×1 sees only 24 channels, so the paper leaves it ungrouped.
    x = shuffleUnit(ctx, x, `${stage}.ShuffleUnit_Stage${i + 2}_0`, channels, outChannels, 'concat', i > 0);
    channels = outChannels;
    for (let r = 1; r <= repeats; r++) {
      x = shuffleUnit(ctx, x, `${stage}.ShuffleUnit_Stage${i + 2}_${r}`, channels, channels, 'add', true);
    }
  });
  return globalAveragePool(x, 'avgpool');
}

export const shufflenetDefinitions: ModelDefinition[] = [
  {
    name: 'shufflenet',
    family: 'shufflenet',
    dataset: 'imagenet',
    defaultInputShape: [224, 224, 3],
    defaultNumClasses: 1000,
    minInputSize: 1, // strided convolutions and pools pad: any size reaches the head as 1×1 or more
    headName: 'fc',
    learnedHeadInit: 'normal-0.001',
    description: 'ShuffleNet 1×, g = 3 (stages 240-480-960, units 4-8-4) for ImageNet',
    reference:
      'Zhang et al. 2018; jaxony/ShuffleNet model.py from 72ed24d (2017-07-17) to 44814ac (2017-11-14), whose layout gives the paper count',
    buildFeatures: buildShuffleNet,
  },
];
