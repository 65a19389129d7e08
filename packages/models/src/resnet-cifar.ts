import type * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext } from './build-context';
import { add, batchNorm, conv, globalAveragePool, relu } from './blocks';
import type { ModelDefinition } from './model-definition';

type SymbolicTensor = tfl.SymbolicTensor;

/**
 * The basic block of He et al. (2016): two 3×3 convolutions; when the shape changes the shortcut
 * is a 1×1 convolution + batch norm (option B), as in the reference code the paper trained
 * (eladhoffer/convNet.pytorch) — which is what gives ResNet-56 its 855,770 parameters.
 */
export function basicBlock(
  ctx: BuildContext,
  x: SymbolicTensor,
  name: string,
  inPlanes: number,
  planes: number,
  stride: number,
): SymbolicTensor {
  let out = conv(ctx, x, { name: `${name}.conv1`, filters: planes, kernelSize: 3, strides: stride, padding: 1 });
  out = relu(batchNorm(out, `${name}.bn1`), `${name}.relu1`);
  out = conv(ctx, out, { name: `${name}.conv2`, filters: planes, kernelSize: 3, padding: 1 });
  out = batchNorm(out, `${name}.bn2`);
  let shortcut = x;
  if (stride !== 1 || inPlanes !== planes) {
    shortcut = conv(ctx, x, { name: `${name}.downsample.0`, filters: planes, kernelSize: 1, strides: stride });
    shortcut = batchNorm(shortcut, `${name}.downsample.1`);
  }
  return relu(add([out, shortcut], `${name}.add`), `${name}.relu2`);
}

/** CIFAR ResNet of depth 6n + 2: a 3×3 stem with 16 channels, three stages of n blocks (16, 32, 64). */
function buildResNetCifar(depth: number) {
  const n = (depth - 2) / 6;
  return (input: SymbolicTensor, ctx: BuildContext): SymbolicTensor => {
    let x = conv(ctx, input, { name: 'conv1', filters: 16, kernelSize: 3, padding: 1 });
    x = relu(batchNorm(x, 'bn1'), 'relu');
    let inPlanes = 16;
    [16, 32, 64].forEach((planes, stage) => {
      for (let block = 0; block < n; block++) {
        const stride = stage > 0 && block === 0 ? 2 : 1;
        x = basicBlock(ctx, x, `layer${stage + 1}.${block}`, inPlanes, planes, stride);
        inPlanes = planes;
      }
    });
    return globalAveragePool(x, 'avgpool');
  };
}

export const resnetCifarDefinitions: ModelDefinition[] = [20, 32, 44, 56, 110].map((depth) => ({
  name: `resnet${depth}`,
  family: 'resnet-cifar',
  dataset: 'cifar',
  defaultInputShape: [32, 32, 3],
  defaultNumClasses: 10,
  minInputSize: 1, // padded stride-2 convolutions and 1×1 stride-2 shortcuts both give ⌈size/2⌉: any size reaches the pool
  headName: 'fc',
  learnedHeadInit: 'pytorch-default',
  description: `ResNet-${depth} for 32×32 inputs (3 stages × ${(depth - 2) / 6} basic blocks, 1×1-conv + BN projection shortcuts)`,
  reference: 'He et al. 2016 §4.2; eladhoffer/convNet.pytorch models/resnet.py (ResNet_cifar10)',
  buildFeatures: buildResNetCifar(depth),
}));
