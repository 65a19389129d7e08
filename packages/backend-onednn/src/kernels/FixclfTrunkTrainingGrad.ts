import type { TensorInfo } from '@tensorflow/tfjs-core';

import { addConfig } from './Add';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput';
import { fixclfBatchNormTrainingGradConfig } from './FixclfBatchNormTrainingGrad';
import { TRUNK_TRAINING_GRAD, type TrunkTrainingAttrs } from './layers-names';
import { maxPoolGradConfig } from './MaxPoolGrad';
import { oneDnnBroadcastScaleConfig } from './OneDnnBroadcastScale';
import { oneDnnReluGradConfig } from './OneDnnReluGrad';
import { sliceConfig } from './Slice';
import { type TrunkState, releaseTrunkState, runKernel, savedTensors } from './trunk-util';
import { nativeKernel } from './util';

/**
 * @fixclf/layers' trunk gradient: the plan walked backwards, each step's gradient as the kernels TF.js's
 * tape would run for the layer (FusedConv2D's two convolution gradients, FixclfBatchNormTrainingGrad,
 * OneDnnReluGrad, Add's pass-through, PadV2's Slice, MaxPoolGrad, Mean's OneDnnBroadcastScale), gradients reaching a
 * value from two readers summed as the tape sums them. Each saved tensor and each gradient goes as soon as
 * it has been used. (Conv2DBackpropInput defers its output, so the image's own gradient is never computed
 * unless read.)
 */
export const fixclfTrunkTrainingGradConfig = nativeKernel(TRUNK_TRAINING_GRAD, ({ dy, state: handle }, backend, attrs) => {
  const { plan } = attrs as unknown as TrunkTrainingAttrs;
  const state = backend.attachment<TrunkState>(handle!);
  if (state === undefined) throw new Error(`${TRUNK_TRAINING_GRAD}: 'state' is not a state of FixclfTrunkTraining (or was disposed).`);
  if (state.consumed) throw new Error(`${TRUNK_TRAINING_GRAD}: this state's gradient was already taken (one gradient per forward pass).`);
  state.consumed = true;
  const grads: (TensorInfo | undefined)[] = [];
  const weightGrads: (TensorInfo | undefined)[] = state.weightShapes.map(() => undefined);
  // A gradient arriving where one already is: summed as the tape sums (existing + new).
  const accumulate = (into: (TensorInfo | undefined)[], index: number, g: TensorInfo) => {
    const existing = into[index];
    if (existing === undefined) {
      into[index] = g;
      return;
    }
    into[index] = runKernel(addConfig, { a: existing, b: g }, backend) as TensorInfo;
    backend.disposeOwn(existing);
    backend.disposeOwn(g);
  };
  try {
    grads[plan.output] = backend.share(dy!);
    for (let i = plan.steps.length - 1; i >= 0; i--) {
      const step = plan.steps[i]!;
      const saved = state.saved[i];
      state.saved[i] = undefined;
      const g = grads[i + 1];
      grads[i + 1] = undefined;
      try {
        if (g === undefined || saved === undefined || saved.op !== step.op) continue; // nothing flows back here
        switch (saved.op) {
          case 'conv2d': {
            const s = step as Extract<typeof step, { op: 'conv2d' }>;
            const convAttrs = { strides: s.strides, pad: s.pad, dataFormat: 'NHWC' };
            const filterShape = [...saved.filter.shape];
            const dFilter = runKernel(conv2DBackpropFilterConfig, { x: saved.input, dy: g }, backend, { ...convAttrs, filterShape });
            accumulate(weightGrads, s.filter, dFilter as TensorInfo);
            // Deferred by the kernel: computed when read (never, for the image's own gradient).
            const inputShape = [...saved.input.shape];
            const dInput = runKernel(conv2DBackpropInputConfig, { dy: g, filter: saved.filter }, backend, { ...convAttrs, inputShape });
            accumulate(grads, s.input, dInput as TensorInfo);
            break;
          }
          case 'batchNorm': {
            const s = step as Extract<typeof step, { op: 'batchNorm' }>;
            const inputs = { dy: g, x: saved.x, mean: saved.mean, variance: saved.variance, scale: saved.scale };
            const [dx, dScale, dOffset] = runKernel(fixclfBatchNormTrainingGradConfig, inputs, backend, {
              varianceEpsilon: s.epsilon,
            }) as TensorInfo[];
            accumulate(weightGrads, s.scale, dScale!);
            accumulate(weightGrads, s.offset, dOffset!);
            accumulate(grads, s.input, dx!);
            break;
          }
          case 'relu':
            accumulate(
              grads,
              (step as { input: number }).input,
              runKernel(oneDnnReluGradConfig, { dy: g, y: saved.y }, backend) as TensorInfo,
            );
            break;
          case 'add':
            for (const v of (step as { inputs: number[] }).inputs) accumulate(grads, v, backend.share(g));
            break;
          case 'pad': {
            const { paddings } = step as { paddings: [number, number][] };
            const begin = paddings.map(([before]) => before);
            accumulate(
              grads,
              (step as { input: number }).input,
              runKernel(sliceConfig, { x: g }, backend, { begin, size: saved.shape }) as TensorInfo,
            );
            break;
          }
          case 'maxPool': {
            const { input, filterSize, strides, pad } = step as Extract<typeof step, { op: 'maxPool' }>;
            const poolInputs = { dy: g, input: saved.input, output: saved.output };
            accumulate(grads, input, runKernel(maxPoolGradConfig, poolInputs, backend, { filterSize, strides, pad }) as TensorInfo);
            break;
          }
          case 'mean': {
            const { axes } = step as { axes: number[] };
            const count = axes.reduce((n, axis) => n * saved.shape[axis]!, 1);
            const scaleAttrs = { shape: saved.shape, axes, scale: 1 / count };
            accumulate(
              grads,
              (step as { input: number }).input,
              runKernel(oneDnnBroadcastScaleConfig, { x: g }, backend, scaleAttrs) as TensorInfo,
            );
            break;
          }
        }
      } finally {
        if (g !== undefined) backend.disposeOwn(g);
        if (saved !== undefined) for (const t of savedTensors(saved)) backend.disposeOwn(t);
      }
    }
  } catch (error) {
    for (const t of [...grads, ...weightGrads]) if (t !== undefined) backend.disposeOwn(t);
    releaseTrunkState(backend, state);
    throw error;
  }
  // Nothing flowed to a value or weight (it does not reach the output): its gradient is zeros.
  const zerosOr = (t: TensorInfo | undefined, shape: number[]) => t ?? backend.makeZeros32([...shape]);
  return [zerosOr(grads[0], state.xShape), ...weightGrads.map((t, i) => zerosOr(t, state.weightShapes[i]!))];
});
