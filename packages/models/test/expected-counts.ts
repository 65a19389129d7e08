/**
 * Trainable-parameter counts written out from the papers' architecture tables, independently of
 * the builders in src/: a convolution k×k from a to b channels has k²·a·b weights (no bias unless
 * said), a batch norm over c channels 2c (γ, β), a Linear a → b has a·b + b.
 */

const bn = (c: number) => 2 * c;
const conv = (k: number, a: number, b: number) => k * k * a * b;
const linear = (a: number, b: number) => a * b + b;

/** He et al. (2016) CIFAR ResNet, depth 6n + 2, projection (1×1 conv + BN) shortcuts. */
export function resnetCifarParams(depth: number, classes: number): number {
  const n = (depth - 2) / 6;
  let total = conv(3, 3, 16) + bn(16);
  let inPlanes = 16;
  [16, 32, 64].forEach((planes, stage) => {
    for (let b = 0; b < n; b++) {
      total += conv(3, inPlanes, planes) + bn(planes) + conv(3, planes, planes) + bn(planes);
      if ((stage > 0 && b === 0) || inPlanes !== planes) total += conv(1, inPlanes, planes) + bn(planes);
      inPlanes = planes;
    }
  });
  return total + linear(64, classes);
}

/** ImageNet ResNet: basic (expansion 1) or bottleneck (expansion 4) blocks. */
export function resnetImagenetParams(kind: 'basic' | 'bottleneck', blocks: number[], classes: number): number {
  const expansion = kind === 'basic' ? 1 : 4;
  let total = conv(7, 3, 64) + bn(64);
  let inPlanes = 64;
  [64, 128, 256, 512].forEach((planes, stage) => {
    for (let b = 0; b < (blocks[stage] as number); b++) {
      const out = planes * expansion;
      total +=
        kind === 'basic'
          ? conv(3, inPlanes, planes) + bn(planes) + conv(3, planes, planes) + bn(planes)
          : conv(1, inPlanes, planes) + bn(planes) + conv(3, planes, planes) + bn(planes) + conv(1, planes, out) + bn(out);
      if ((stage > 0 && b === 0) || inPlanes !== out) total += conv(1, inPlanes, out) + bn(out);
      inPlanes = out;
    }
  });
  return total + linear(512 * expansion, classes);
}

/** DenseNet-BC: bottleneck 4k, compression ½; ImageNet stem 7×7 conv + BN, CIFAR stem one 3×3 conv. */
export function densenetParams(
  stem: 'imagenet' | 'cifar',
  growth: number,
  blocks: number[],
  initFeatures: number,
  classes: number,
): { params: number; features: number } {
  let total = stem === 'imagenet' ? conv(7, 3, initFeatures) + bn(initFeatures) : conv(3, 3, initFeatures);
  let c = initFeatures;
  blocks.forEach((layers, i) => {
    for (let l = 0; l < layers; l++) {
      total += bn(c) + conv(1, c, 4 * growth) + bn(4 * growth) + conv(3, 4 * growth, growth);
      c += growth;
    }
    if (i < blocks.length - 1) {
      total += bn(c) + conv(1, c, Math.floor(c / 2));
      c = Math.floor(c / 2);
    }
  });
  return { params: total + bn(c) + linear(c, classes), features: c };
}

/**
 * ShuffleNet 1×, g = 3 as the paper's code (jaxony/ShuffleNet, July 2017) built it: every
 * convolution has a bias, a stride-2 unit's bottleneck is a quarter of its concatenated branch
 * (out − in), the first 1×1 of stage 2 is ungrouped, and conv1 has no batch norm.
 */
export function shufflenetPaperParams(classes: number): number {
  const g = 3;
  const out = [240, 480, 960];
  const repeats = [3, 7, 3];
  let total = conv(3, 3, 24) + 24;
  let c = 24;
  out.forEach((o, stage) => {
    for (let u = 0; u <= (repeats[stage] as number); u++) {
      const branch = u === 0 ? o - c : o;
      const mid = branch / 4;
      const firstGroups = stage === 0 && u === 0 ? 1 : g;
      total += (c / firstGroups) * mid + mid + bn(mid); // grouped 1×1 compress + bias + BN
      total += 9 * mid + mid + bn(mid); // depthwise 3×3 + bias + BN
      total += (mid / g) * branch + branch + bn(branch); // grouped 1×1 expand + bias + BN
      c = o;
    }
  });
  return total + linear(960, classes);
}
