// TF.js reductions whose axes form one contiguous block (after ignoring axes of extent 1) map onto the
// addon's [outer, reduced, inner] reduction; anything else goes to the cpu kernel (which transposes).
import { backend_util, type KernelConfig, type NamedAttrMap, type TensorInfo, util } from '@tensorflow/tfjs-core';

import { knownChannelVariance, noteChannelMean, noteChannelVariance } from '../moments';
import { native, ReduceOp, type ReduceOpCode } from '../native';
import { nativeKernel, nativeOutput } from './util';

export interface ReductionView {
  outer: number;
  reduced: number;
  inner: number;
  outShape: number[];
}

export function reductionView(
  shape: readonly number[],
  axis: number | number[] | undefined | null,
  keepDims: boolean,
): ReductionView | null {
  const axes = util.parseAxisParam(axis ?? [...shape.keys()], [...shape]).sort((p, q) => p - q);
  const reducedAxes = new Set(axes);
  // Axes of extent 1 may sit on either side without breaking contiguity.
  const significant = [...reducedAxes].filter((a) => shape[a] !== 1);
  if (significant.length > 0) {
    const first = significant[0]!;
    const last = significant[significant.length - 1]!;
    for (let a = first; a <= last; a++) if (!reducedAxes.has(a) && shape[a] !== 1) return null;
  }
  let outer = 1;
  let reduced = 1;
  let inner = 1;
  const firstReduced = significant[0] ?? shape.length;
  shape.forEach((extent, a) => {
    if (reducedAxes.has(a)) reduced *= extent;
    else if (a < firstReduced) outer *= extent;
    else inner *= extent;
  });
  const [kept] = backend_util.computeOutAndReduceShapes([...shape], axes);
  const outShape = keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept;
  return { outer, reduced, inner, outShape };
}

export function reduceKernel(kernelName: string, op: ReduceOpCode, axisAttr: 'axis' | 'reductionIndices'): KernelConfig {
  return nativeKernel(kernelName, ({ x }, backend, attrs: NamedAttrMap) => {
    if (x!.dtype !== 'float32') return null;
    const view = reductionView(x!.shape, attrs[axisAttr] as number | number[], Boolean(attrs.keepDims));
    if (view === null || view.reduced === 0) return null;
    const summing = op === ReduceOp.sum || op === ReduceOp.mean;
    if (summing && backend.lazyKind(x!) === 'zeros') return backend.makeZeros32(view.outShape);
    // A reduction over every axis but the channels: a batch-norm moment (src/moments.ts).
    const channels = x!.shape[x!.shape.length - 1]!;
    const perChannel = x!.shape.length >= 2 && view.outer === 1 && view.inner === channels;
    if (op === ReduceOp.mean && perChannel && backend.lazyKind(x!) === 'squaredCentered') {
      const [source, mean] = backend.lazySources(x!) as [TensorInfo, TensorInfo];
      // (x − μ)² is only deferred when μ came from the Mean below, which computed the variance alongside.
      const known = knownChannelVariance(mean.dataId, source.dataId);
      if (known === undefined) throw new Error('onednn backend: a deferred (x − μ)² without its variance.');
      const variance = nativeOutput(backend, view.outShape, (out) => out.set(known));
      noteChannelVariance(variance, source.dataId, mean.dataId);
      return variance;
    }
    if (op === ReduceOp.mean && perChannel && view.reduced > 0) {
      // A batch-norm mean: the variance comes with it, in the same pass, for the Mean that follows.
      const variance = new Float32Array(channels);
      const xs = backend.activation(x!);
      const count = view.reduced * channels;
      const mean = nativeOutput(backend, view.outShape, (out) => native.channelMoments(xs.values, channels, out, variance, xs.bf16, count));
      noteChannelMean(mean, x!, variance);
      return mean;
    }
    const xValues = backend.float32(x!);
    return nativeOutput(backend, view.outShape, (out) => native.reduce(op, xValues, view.outer, view.reduced, view.inner, out));
  });
}

export { ReduceOp };
