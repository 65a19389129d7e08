import type * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext } from './build-context';
import { avgPool, batchNorm, concat, conv, globalAveragePool, maxPool, relu } from './blocks';
import type { ModelDefinition } from './model-definition';

type SymbolicTensor = tfl.SymbolicTensor;

interface DenseNetConfig {
  growthRate: number;
  blockConfig: readonly number[];
  initFeatures: number;
  /** Bottleneck width as a multiple of the growth rate (the "B" of DenseNet-BC). */
  bottleneckFactor: number;
  /** Channel factor of each transition (the "C" of DenseNet-BC). */
  compression: number;
  /** ImageNet: 7×7/2 convolution + BN + ReLU + 3×3/2 max pool. CIFAR: one 3×3 convolution. */
  stem: 'imagenet' | 'cifar';
}

/** BN-ReLU-Conv1×1(4k)-BN-ReLU-Conv3×3(k), its k new feature maps concatenated to its input. */
function denseLayer(ctx: BuildContext, x: SymbolicTensor, name: string, cfg: DenseNetConfig): SymbolicTensor {
  let out = relu(batchNorm(x, `${name}.norm1`), `${name}.relu1`);
  out = conv(ctx, out, { name: `${name}.conv1`, filters: cfg.bottleneckFactor * cfg.growthRate, kernelSize: 1 });
  out = relu(batchNorm(out, `${name}.norm2`), `${name}.relu2`);
  out = conv(ctx, out, { name: `${name}.conv2`, filters: cfg.growthRate, kernelSize: 3, padding: 1 });
  return concat([x, out], `${name}.concat`);
}

function transition(ctx: BuildContext, x: SymbolicTensor, name: string, outFeatures: number): SymbolicTensor {
  let out = relu(batchNorm(x, `${name}.norm`), `${name}.relu`);
  out = conv(ctx, out, { name: `${name}.conv`, filters: outFeatures, kernelSize: 1 });
  return avgPool(out, { name: `${name}.pool`, poolSize: 2, strides: 2 });
}

/** Layer names follow torchvision's DenseNet state_dict (features.denseblock1.denselayer1.conv1, …). */
function buildDenseNet(cfg: DenseNetConfig) {
  return (input: SymbolicTensor, ctx: BuildContext): SymbolicTensor => {
    let x: SymbolicTensor;
    if (cfg.stem === 'imagenet') {
      x = conv(ctx, input, { name: 'features.conv0', filters: cfg.initFeatures, kernelSize: 7, strides: 2, padding: 3 });
      x = relu(batchNorm(x, 'features.norm0'), 'features.relu0');
      x = maxPool(x, { name: 'features.pool0', poolSize: 3, strides: 2, padding: 1, afterRelu: true });
    } else {
      x = conv(ctx, input, { name: 'features.conv0', filters: cfg.initFeatures, kernelSize: 3, padding: 1 });
    }
    let features = cfg.initFeatures;
    cfg.blockConfig.forEach((layers, block) => {
      for (let i = 0; i < layers; i++) {
        x = denseLayer(ctx, x, `features.denseblock${block + 1}.denselayer${i + 1}`, cfg);
      }
      features += layers * cfg.growthRate;
      if (block < cfg.blockConfig.length - 1) {
        const outFeatures = Math.floor(features * cfg.compression);
        x = transition(ctx, x, `features.transition${block + 1}`, outFeatures);
        features = outFeatures;
      }
    });
    const last = cfg.blockConfig.length + 1;
    x = relu(batchNorm(x, `features.norm${last}`), 'relu');
    return globalAveragePool(x, 'avgpool');
  };
}

function imagenetDenseNet(depth: number, blockConfig: number[]): ModelDefinition {
  return {
    name: `densenet${depth}`,
    family: 'densenet',
    dataset: 'imagenet',
    defaultInputShape: [224, 224, 3],
    defaultNumClasses: 1000,
    // The stem and its max pool divide by 4 (rounding up), the three transitions by 2 (rounding down):
    // 28 leaves the last block a 0×0 map, 29 a 1×1.
    minInputSize: 29,
    headName: 'classifier',
    learnedHeadInit: 'pytorch-default',
    description: `DenseNet-${depth} (BC, k = 32, blocks ${blockConfig.join('-')}) for ImageNet`,
    reference: 'Huang et al. 2017; torchvision densenet = eladhoffer/convNet.pytorch models/densenet.py',
    buildFeatures: buildDenseNet({
      growthRate: 32,
      blockConfig,
      initFeatures: 64,
      bottleneckFactor: 4,
      compression: 0.5,
      stem: 'imagenet',
    }),
  };
}

export const densenetCifarDefinitions: ModelDefinition[] = [
  {
    name: 'densenet-bc-100',
    family: 'densenet',
    dataset: 'cifar',
    defaultInputShape: [32, 32, 3],
    defaultNumClasses: 100,
    minInputSize: 4,
    headName: 'classifier',
    learnedHeadInit: 'pytorch-default',
    description: 'DenseNet-BC, depth 100, k = 12, for 32×32 inputs (3 blocks × 16 layers, 342 features)',
    reference: 'Huang et al. 2017; eladhoffer/convNet.pytorch models/densenet.py (DenseNet_cifar)',
    buildFeatures: buildDenseNet({
      growthRate: 12,
      blockConfig: [16, 16, 16],
      initFeatures: 24,
      bottleneckFactor: 4,
      compression: 0.5,
      stem: 'cifar',
    }),
  },
];

export const densenetImagenetDefinitions: ModelDefinition[] = [
  imagenetDenseNet(121, [6, 12, 24, 16]),
  imagenetDenseNet(169, [6, 12, 32, 32]),
];
