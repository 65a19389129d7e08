// Training-mode batch normalisation as one op. tf.layers' BatchNormalization trains through tf.moments,
// batchNorm and two moving-average updates, every one of them recorded on the gradient tape: some 40
// kernel calls a layer, forward and backward, each paying TF.js's per-call bookkeeping, a dozen of them
// clones of saved tensors for moving-average updates nobody differentiates. As one custom-gradient op
// the tape sees a single node, the moving averages are updated off the tape, and each direction is one
// kernel where the backend has them. ResNet-56 at batch 128 on `onednn`: 3,176 kernel calls a training
// step, 1,124 with this (36 fewer per batch norm).
import {
  type GradSaveFunc,
  type NamedAttrMap,
  type Tensor,
  add,
  batchNorm,
  customGrad,
  div,
  engine,
  moments,
  mul,
  rsqrt,
  sub,
  sum,
  tidy,
} from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable, layers } from '@tensorflow/tfjs-layers';
import { activeBackendHas } from './ops/cpu-kernels';
import {
  BATCH_NORM_TRAINING,
  BATCH_NORM_TRAINING_GRAD,
  type BatchNormTrainingAttrs,
  type BatchNormTrainingGradAttrs,
} from './ops/kernel-names';
import type { Kwargs } from './tfjs-types';

/** The moving averages a training-mode batch norm updates: tf.layers' moving mean and variance. */
export interface MovingAverages {
  mean: Tensor;
  variance: Tensor;
  /** The weight of the old value: moving' = moving − (moving − batch)·(1 − momentum). */
  momentum: number;
  /** Called inside the op, off the gradient tape, with the new moving mean and variance. */
  update(mean: Tensor, variance: Tensor): void;
}

/**
 * Batch normalisation of `x` over every axis but the last (channels last) with the batch's own
 * statistics, as tf.layers' BatchNormalization computes it in training: y = γ·(x − μ)/√(v + ε) + β,
 * μ and v the biased batch mean and variance per channel; with `moving`, the moving averages updated
 * as tf.layers updates them. Forward, one {@link BATCH_NORM_TRAINING} kernel where the backend has it
 * (with its gradient), composed from ops elsewhere. The gradient is the full one through μ and v:
 * dx = γ/√(v + ε)·(dy − mean(dy) − x̂·mean(dy·x̂)), dγ = Σ dy·x̂, dβ = Σ dy, one
 * {@link BATCH_NORM_TRAINING_GRAD} kernel where the backend has it, composed from ops elsewhere.
 */
export function batchNormTraining<T extends Tensor>(x: T, gamma: Tensor, beta: Tensor, epsilon: number, moving?: MovingAverages): T {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const op = customGrad(
    (input: Tensor | GradSaveFunc, scale: Tensor | GradSaveFunc, offset: Tensor | GradSaveFunc, save: Tensor | GradSaveFunc) => {
      const [xs, g, b] = [input, scale, offset] as Tensor[];
      let y: Tensor, mean: Tensor, variance: Tensor;
      if (moving !== undefined && activeBackendHas(BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD)) {
        const attrs: BatchNormTrainingAttrs = { varianceEpsilon: epsilon, momentum: moving.momentum };
        const outputs = engine().runKernel(
          BATCH_NORM_TRAINING,
          { x: xs!, scale: g!, offset: b!, movingMean: moving.mean, movingVariance: moving.variance },
          attrs as unknown as NamedAttrMap,
        ) as Tensor[];
        [y, mean, variance] = outputs as [Tensor, Tensor, Tensor];
        moving.update(outputs[3]!, outputs[4]!);
      } else {
        ({ mean, variance } = moments(xs!, axes));
        y = batchNorm(xs!, mean, variance, b, g, epsilon);
        if (moving !== undefined) {
          // tf.layers' update, op for op: moving − (moving − batch)·(1 − momentum).
          const decay = 1 - moving.momentum;
          const next = (old: Tensor, batch: Tensor) => sub(old, mul(sub(old, batch), decay));
          moving.update(next(moving.mean, mean), next(moving.variance, variance));
        }
      }
      (save as GradSaveFunc)([xs!, mean, variance, g!]);
      return {
        value: y as T,
        gradFunc: (dy: T, saved: Tensor[]) => {
          const [sx, sm, sv, sg] = saved as [Tensor, Tensor, Tensor, Tensor];
          if (activeBackendHas(BATCH_NORM_TRAINING_GRAD)) {
            const attrs: BatchNormTrainingGradAttrs = { varianceEpsilon: epsilon };
            return engine().runKernel(
              BATCH_NORM_TRAINING_GRAD,
              { dy, x: sx, mean: sm, variance: sv, scale: sg },
              attrs as unknown as NamedAttrMap,
            ) as Tensor[];
          }
          return composedGradient(dy, sx, sm, sv, sg, epsilon, axes);
        },
      };
    },
  );
  return op(x, gamma, beta) as T;
}

/** The gradient of batchNormTraining from standard ops, for backends without the kernel. */
function composedGradient(dy: Tensor, x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor, epsilon: number, axes: number[]): Tensor[] {
  return tidy(() => {
    const n = axes.reduce((count, axis) => count * x.shape[axis]!, 1);
    const rs = rsqrt(add(variance, epsilon));
    const xHat = mul(sub(x, mean), rs);
    const dOffset = sum(dy, axes);
    const dScale = sum(mul(dy, xHat), axes);
    const centred = sub(sub(dy, div(dOffset, n)), mul(xHat, div(dScale, n)));
    return [mul(mul(gamma, rs), centred), dScale, dOffset];
  });
}

type BatchNormalizationLayer = ReturnType<typeof layers.batchNormalization>;

/** What the training call reads of a tf.layers BatchNormalization (all through its public API). */
interface BatchNormSettings {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
}

/** A built batch norm's four variables, by the names tf.layers gives them. */
function variablesOf(bn: BatchNormalizationLayer): Record<'gamma' | 'beta' | 'movingMean' | 'movingVariance', LayerVariable> {
  const byName = (suffix: string) => {
    const found = bn.weights.find((w) => w.originalName === suffix || w.originalName.endsWith(`/${suffix}`));
    if (found === undefined) throw new Error(`fuseBatchNormTraining: layer '${bn.name}' has no ${suffix} weight.`);
    return found;
  };
  return { gamma: byName('gamma'), beta: byName('beta'), movingMean: byName('moving_mean'), movingVariance: byName('moving_variance') };
}

const fused = new WeakSet<object>();

/** The layers and, depth first, those of the models among them (a backbone nested as one layer). */
function withNestedLayers(top: readonly layers.Layer[]): layers.Layer[] {
  const all: layers.Layer[] = [];
  const seen = new Set<layers.Layer>();
  const visit = (layer: layers.Layer): void => {
    if (seen.has(layer)) return;
    seen.add(layer);
    all.push(layer);
    const nested = (layer as { layers?: unknown }).layers;
    if (Array.isArray(nested)) for (const inner of nested as layers.Layer[]) visit(inner);
  };
  top.forEach(visit);
  return all;
}

/**
 * Makes every BatchNormalization layer of `model` (or the layers given), nested models' included, train as one op
 * ({@link batchNormTraining}): the same outputs, moving averages and gradients as tf.layers computes,
 * with a fraction of the kernel calls and tape nodes. Only the layer objects change, not their class or
 * configuration: saved models are unchanged and load anywhere. Layers it cannot take (channels not last,
 * `center` or `scale` off, rank above 4) and inference calls go to tf.layers' own `call`. Returns how
 * many layers it changed; calling it again changes none.
 */
export function fuseBatchNormTraining(model: LayersModel | readonly layers.Layer[]): number {
  const top = Array.isArray(model) ? (model as readonly layers.Layer[]) : (model as LayersModel).layers;
  let changed = 0;
  for (const layer of withNestedLayers(top)) {
    if (layer.getClassName() !== 'BatchNormalization' || fused.has(layer)) continue;
    const bn = layer as BatchNormalizationLayer;
    const settings = bn.getConfig() as unknown as BatchNormSettings;
    if (!settings.center || !settings.scale) continue;
    const original = bn.call.bind(bn);
    const call = (inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const channelsLast = x !== undefined && (settings.axis === -1 || settings.axis === x.rank - 1);
      // Training as tf.layers decides it (a missing flag is inference).
      const training = Boolean(kwargs?.['training'] ?? false);
      if (!training || !channelsLast || x.rank < 2 || x.rank > 4 || x.dtype !== 'float32') {
        return original(inputs, kwargs);
      }
      const { gamma, beta, movingMean, movingVariance } = variablesOf(bn);
      return batchNormTraining(x, gamma.read(), beta.read(), settings.epsilon, {
        mean: movingMean.read(),
        variance: movingVariance.read(),
        momentum: settings.momentum,
        update: (mean, variance) => {
          movingMean.write(mean);
          movingVariance.write(variance);
        },
      });
    };
    fused.add(bn);
    bn.call = call;
    changed++;
  }
  return changed;
}
