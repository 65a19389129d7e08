import type { NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

import { addConfig } from './Add';
import { fixclfBatchNormTrainingConfig } from './FixclfBatchNormTraining';
import { fusedConv2DConfig } from './FusedConv2D';
import { TRUNK_TRAINING, type TrunkTrainingAttrs } from './layers-names';
import { maxPoolConfig } from './MaxPool';
import { meanConfig } from './Mean';
import { padV2Config } from './PadV2';
import { reluConfig } from './Relu';
import { type TrunkState, lastReaders, releaseTrunkState, runKernel } from './trunk-util';
import { nativeKernel } from './util';

/**
 * @fixclf/layers' trunk (fuseTrunkTraining) forward: each step of the plan as the kernel tf.layers' layer
 * would call (FusedConv2D, FixclfBatchNormTraining, Relu, Add, PadV2, MaxPool, Mean), with the attributes it would
 * pass, so the values, the deferred outputs and the bf16 storage are those of the layer-by-layer step.
 * What each step's gradient needs is kept in the state output (what TF.js's tape would have cloned);
 * every other value goes as soon as its last reader has run.
 */
export const fixclfTrunkTrainingConfig = nativeKernel(TRUNK_TRAINING, (inputs, backend, attrs) => {
  const { plan } = attrs as unknown as TrunkTrainingAttrs;
  const x = inputs['x']!;
  const weight = (i: number) => {
    const w = inputs[`w${i}`];
    if (w === undefined) throw new Error(`${TRUNK_TRAINING}: the plan reads weight ${i}, but input 'w${i}' is missing.`);
    return w;
  };
  const weightShapes: number[][] = [];
  for (let i = 0; inputs[`w${i}`] !== undefined; i++) weightShapes.push([...inputs[`w${i}`]!.shape]);
  const state: TrunkState = { saved: [], xShape: [...x.shape], weightShapes, consumed: false };
  const readers = lastReaders(plan);
  // values[0] is x, borrowed: only the values made here are disposed here.
  const values: (TensorInfo | undefined)[] = [x];
  const moving: TensorInfo[] = [];
  const value = (v: number) => {
    const t = values[v];
    if (t === undefined) throw new Error(`${TRUNK_TRAINING}: step reads value ${v} before it exists or after it was freed.`);
    return t;
  };
  let batchNorms = 0;
  try {
    plan.steps.forEach((step, i) => {
      let out: TensorInfo;
      switch (step.op) {
        case 'conv2d': {
          const [input, filter] = [value(step.input), weight(step.filter)];
          const convAttrs = { strides: step.strides, pad: step.pad, dataFormat: 'NHWC', dilations: [1, 1], activation: 'linear' };
          out = runKernel(fusedConv2DConfig, { x: input, filter }, backend, convAttrs) as TensorInfo;
          state.saved[i] = { op: 'conv2d', input: backend.share(input), filter: backend.share(filter) };
          break;
        }
        case 'batchNorm': {
          const k = batchNorms++;
          const bnInputs: NamedTensorInfoMap = {
            x: value(step.input),
            scale: weight(step.scale),
            offset: weight(step.offset),
            movingMean: inputs[`movingMean${k}`]!,
            movingVariance: inputs[`movingVariance${k}`]!,
          };
          if (bnInputs['movingMean'] === undefined || bnInputs['movingVariance'] === undefined) {
            throw new Error(`${TRUNK_TRAINING}: batch norm ${k} has no movingMean${k}/movingVariance${k} input.`);
          }
          const bnAttrs = { varianceEpsilon: step.epsilon, momentum: step.momentum };
          const [y, mean, variance, movingMean, movingVariance] = runKernel(
            fixclfBatchNormTrainingConfig,
            bnInputs,
            backend,
            bnAttrs,
          ) as TensorInfo[];
          moving.push(movingMean!, movingVariance!);
          state.saved[i] = {
            op: 'batchNorm',
            x: backend.share(bnInputs['x']!),
            mean: mean!,
            variance: variance!,
            scale: backend.share(bnInputs['scale']!),
          };
          out = y!;
          break;
        }
        case 'relu':
          out = runKernel(reluConfig, { x: value(step.input) }, backend) as TensorInfo;
          state.saved[i] = { op: 'relu', y: backend.share(out) };
          break;
        case 'add': {
          // tf.layers' Add: the inputs summed left to right.
          out = backend.share(value(step.inputs[0]!));
          for (const v of step.inputs.slice(1)) {
            const sum = runKernel(addConfig, { a: out, b: value(v) }, backend) as TensorInfo;
            backend.disposeOwn(out);
            out = sum;
          }
          state.saved[i] = { op: 'add' };
          break;
        }
        case 'pad':
          out = runKernel(padV2Config, { x: value(step.input) }, backend, { paddings: step.paddings, constantValue: 0 }) as TensorInfo;
          state.saved[i] = { op: 'pad', shape: [...value(step.input).shape] };
          break;
        case 'maxPool': {
          const input = value(step.input);
          const poolAttrs = { filterSize: step.filterSize, strides: step.strides, pad: step.pad };
          out = runKernel(maxPoolConfig, { x: input }, backend, poolAttrs) as TensorInfo;
          state.saved[i] = { op: 'maxPool', input: backend.share(input), output: backend.share(out) };
          break;
        }
        case 'mean':
          out = runKernel(meanConfig, { x: value(step.input) }, backend, { axis: step.axes, keepDims: false }) as TensorInfo;
          state.saved[i] = { op: 'mean', shape: [...value(step.input).shape] };
          break;
        default:
          throw new Error(`${TRUNK_TRAINING}: unknown step ${JSON.stringify(step)}.`);
      }
      values[i + 1] = out;
      for (const v of readers.freeAfter[i]!) {
        if (v !== 0 && v !== plan.output) {
          backend.disposeOwn(values[v]!);
          values[v] = undefined;
        }
      }
    });
  } catch (error) {
    for (const t of [...values.slice(1), ...moving]) if (t !== undefined) backend.disposeOwn(t);
    releaseTrunkState(backend, state);
    throw error;
  }
  const handle = backend.makeOutput32([1]);
  handle.values[0] = 0;
  backend.attach(handle.info.dataId, state, () => releaseTrunkState(backend, state));
  return [value(plan.output), handle.info, ...moving];
});
