import { FixedClassifier } from '@fixclf/layers';
import type * as tfl from '@tensorflow/tfjs-layers';

type Layer = tfl.layers.Layer;

export interface ParamCounts {
  /**
   * PyTorch's `sum(p.numel() for p in model.parameters())`: every weight except batch-norm running
   * statistics, trainable or not (= trainable + frozen). A fixed classifier's matrix is not a weight,
   * as in the paper's code, so it is not in here.
   */
  total: number;
  /** Weights the optimizer updates: PyTorch's `requires_grad` parameters. The paper's "params". */
  trainable: number;
  /**
   * What a fixed classifier holds fixed: for every FixedClassifier layer, inputDim × units (the
   * entries of its projection P, which replaced the Dense kernel) plus its own non-trainable weights
   * (the scale α when `trainableScale: false`). `fixed / trainable-of-the-learned-model` is the
   * paper's "% params fixed".
   */
  fixed: number;
  /** Non-trainable weights that are not batch-norm statistics (α when fixed, frozen layers). */
  frozen: number;
  /** Batch-norm moving means and variances (PyTorch buffers, not parameters). */
  statistics: number;
  /** Everything tfjs stores: `model.countParams()` = trainable + frozen + statistics. */
  weights: number;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Layers of the model, nested models flattened. */
function leafLayers(layer: Layer): Layer[] {
  const nested = (layer as unknown as { layers?: Layer[] }).layers;
  return Array.isArray(nested) ? nested.flatMap(leafLayers) : [layer];
}

function isBatchNormStatistic(layer: Layer, weight: tfl.LayerVariable): boolean {
  return layer.getClassName() === 'BatchNormalization' && /moving_(mean|variance)$/.test(weight.originalName);
}

/** The inputDim × units of a FixedClassifier's projection, read from its input. */
function projectionSize(layer: FixedClassifier): number {
  const inputShape = layer.getInputAt(0) as tfl.SymbolicTensor;
  const inputDim = inputShape.shape[inputShape.shape.length - 1];
  const units = layer.units;
  if (typeof inputDim !== 'number' || typeof units !== 'number') {
    throw new Error(`paramCounts: cannot size the projection of fixed classifier '${layer.name}'`);
  }
  return inputDim * units;
}

/** Parameter counts of a model, split the way the paper (and PyTorch) count them. */
export function paramCounts(model: tfl.LayersModel): ParamCounts {
  const counts: ParamCounts = { total: 0, trainable: 0, fixed: 0, frozen: 0, statistics: 0, weights: 0 };
  const seen = new Set<number>();
  for (const layer of leafLayers(model as unknown as Layer)) {
    const fixedHead = FixedClassifier.isFixedClassifier(layer);
    if (fixedHead) counts.fixed += projectionSize(layer);
    const trainable = new Set(layer.trainableWeights.map((w) => w.id));
    for (const weight of layer.weights) {
      if (seen.has(weight.id)) continue;
      seen.add(weight.id);
      const n = size(weight.shape as number[]);
      counts.weights += n;
      if (trainable.has(weight.id)) counts.trainable += n;
      else if (isBatchNormStatistic(layer, weight)) counts.statistics += n;
      else {
        counts.frozen += n;
        if (fixedHead) counts.fixed += n;
      }
    }
  }
  counts.total = counts.trainable + counts.frozen;
  return counts;
}
