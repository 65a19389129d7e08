import { FixedClassifier } from '@fixclf/layers';
import type * as tfl from '@tensorflow/tfjs-layers';

type Layer = tfl.layers.Layer;

export interface FlopCount {
  /**
   * Multiply-accumulates of one forward pass of one image through the convolutions and matrix
   * products — the figure papers and torchvision quote as "FLOPs" (ResNet-50: 4.1 G).
   */
  macs: number;
  /** 2 × macs: floating-point operations of those multiply-adds, for GFLOP/s figures. */
  flops: number;
  /**
   * ≈ 3 × flops: one training step per image (forward, gradient w.r.t. inputs, gradient w.r.t.
   * weights, each about one forward's work). Batch norm, ReLU, pooling and additions are left out
   * of all three figures, as is customary; they are memory-bound and a few percent of the work.
   */
  trainingFlops: number;
  /** Per-layer multiply-accumulates, in model order, for layers that do any. */
  layers: Array<{ name: string; className: string; macs: number }>;
}

function leafLayers(layer: Layer): Layer[] {
  const nested = (layer as unknown as { layers?: Layer[] }).layers;
  return Array.isArray(nested) ? nested.flatMap(leafLayers) : [layer];
}

function concreteShape(tensor: tfl.SymbolicTensor, layer: Layer): number[] {
  const dims = tensor.shape.slice(1);
  if (!dims.every((d): d is number => typeof d === 'number')) {
    throw new Error(
      `countFlops: layer '${layer.name}' has an unknown dimension in [${tensor.shape.join(', ')}]; build the model with a concrete inputShape`,
    );
  }
  return dims;
}

function kernelArea(layer: Layer): number {
  const k = layer.getConfig().kernelSize as number | number[];
  return Array.isArray(k) ? k.reduce((a, b) => a * b, 1) : k * k;
}

/** What the multiply-adds of a layer are computed like, or null for a layer without any that count. */
function macKind(layer: Layer): 'Conv2D' | 'DepthwiseConv2D' | 'GroupedConv2D' | 'Dense' | null {
  // A fixed classifier is counted as the [inputDim] × [inputDim, units] product of the Dense layer it replaces.
  if (FixedClassifier.isFixedClassifier(layer)) return 'Dense';
  const className = layer.getClassName();
  return className === 'Conv2D' || className === 'DepthwiseConv2D' || className === 'GroupedConv2D' || className === 'Dense'
    ? className
    : null;
}

function layerMacs(layer: Layer): number {
  const kind = macKind(layer);
  if (kind === null) return 0;
  const input = concreteShape(layer.getInputAt(0) as tfl.SymbolicTensor, layer);
  const output = concreteShape(layer.getOutputAt(0) as tfl.SymbolicTensor, layer);
  const inChannels = input[input.length - 1] as number;
  const outElements = output.reduce((a, b) => a * b, 1);
  switch (kind) {
    case 'Conv2D':
      return outElements * kernelArea(layer) * inChannels;
    case 'GroupedConv2D':
      return (outElements * kernelArea(layer) * inChannels) / (layer.getConfig().groups as number);
    case 'DepthwiseConv2D':
      return outElements * kernelArea(layer);
    case 'Dense': // and FixedClassifier: one [inputDim] × [inputDim, units] product per image.
      return outElements * inChannels;
  }
}

/** Forward multiply-adds (and derived FLOPs) per image of a model built with a concrete input shape. */
export function countFlops(model: tfl.LayersModel): FlopCount {
  const layers: FlopCount['layers'] = [];
  let macs = 0;
  for (const layer of leafLayers(model as unknown as Layer)) {
    const m = layerMacs(layer);
    if (m > 0) {
      layers.push({ name: layer.name, className: layer.getClassName(), macs: m });
      macs += m;
    }
  }
  return { macs, flops: 2 * macs, trainingFlops: 6 * macs, layers };
}
