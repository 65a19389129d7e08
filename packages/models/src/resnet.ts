import type * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext } from './build-context';
import { add, batchNorm, conv, globalAveragePool, maxPool, relu } from './blocks';
import type { ModelDefinition } from './model-definition';
import { basicBlock } from './resnet-cifar';

type SymbolicTensor = tfl.SymbolicTensor;

/**
 * The bottleneck block as torchvision (v1.5) and convNet.pytorch build it: the stride sits on the
 * 3×3 convolution, not on the first 1×1.
 */
function bottleneck(ctx: BuildContext, x: SymbolicTensor, name: string, inPlanes: number, planes: number, stride: number): SymbolicTensor {
  const outPlanes = planes * 4;
  let out = conv(ctx, x, { name: `${name}.conv1`, filters: planes, kernelSize: 1 });
  out = relu(batchNorm(out, `${name}.bn1`), `${name}.relu1`);
  out = conv(ctx, out, { name: `${name}.conv2`, filters: planes, kernelSize: 3, strides: stride, padding: 1 });
  out = relu(batchNorm(out, `${name}.bn2`), `${name}.relu2`);
  out = conv(ctx, out, { name: `${name}.conv3`, filters: outPlanes, kernelSize: 1 });
  out = batchNorm(out, `${name}.bn3`);
  let shortcut = x;
  if (stride !== 1 || inPlanes !== outPlanes) {
    shortcut = conv(ctx, x, { name: `${name}.downsample.0`, filters: outPlanes, kernelSize: 1, strides: stride });
    shortcut = batchNorm(shortcut, `${name}.downsample.1`);
  }
  return relu(add([out, shortcut], `${name}.add`), `${name}.relu3`);
}

type BlockKind = 'basic' | 'bottleneck';

function buildResNet(kind: BlockKind, blocks: readonly number[]) {
  const expansion = kind === 'basic' ? 1 : 4;
  return (input: SymbolicTensor, ctx: BuildContext): SymbolicTensor => {
    let x = conv(ctx, input, { name: 'conv1', filters: 64, kernelSize: 7, strides: 2, padding: 3 });
    x = relu(batchNorm(x, 'bn1'), 'relu');
    x = maxPool(x, { name: 'maxpool', poolSize: 3, strides: 2, padding: 1, afterRelu: true });
    let inPlanes = 64;
    [64, 128, 256, 512].forEach((planes, stage) => {
      for (let block = 0; block < (blocks[stage] ?? 0); block++) {
        const stride = stage > 0 && block === 0 ? 2 : 1;
        const name = `layer${stage + 1}.${block}`;
        x = kind === 'basic' ? basicBlock(ctx, x, name, inPlanes, planes, stride) : bottleneck(ctx, x, name, inPlanes, planes, stride);
        inPlanes = planes * expansion;
      }
    });
    return globalAveragePool(x, 'avgpool');
  };
}

const configs: Array<[depth: number, kind: BlockKind, blocks: number[]]> = [
  [18, 'basic', [2, 2, 2, 2]],
  [34, 'basic', [3, 4, 6, 3]],
  [50, 'bottleneck', [3, 4, 6, 3]],
];

export const resnetDefinitions: ModelDefinition[] = configs.map(([depth, kind, blocks]) => ({
  name: `resnet${depth}`,
  family: 'resnet',
  dataset: 'imagenet',
  defaultInputShape: [224, 224, 3],
  defaultNumClasses: 1000,
  minInputSize: 1, // strided convolutions and pools pad: any size reaches the head as 1×1 or more
  headName: 'fc',
  learnedHeadInit: 'pytorch-default',
  description: `ResNet-${depth} for ImageNet (${kind} blocks ${blocks.join('-')})`,
  reference: 'He et al. 2016; torchvision resnet (v1.5) = eladhoffer/convNet.pytorch ResNet_imagenet',
  buildFeatures: buildResNet(kind, blocks),
}));
