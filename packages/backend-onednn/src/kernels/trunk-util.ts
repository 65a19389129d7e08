// What the trunk kernels (FixclfTrunkTraining, FixclfTrunkTrainingGrad) share: the state the forward
// pass leaves for the gradient, and how they call this backend's other kernels directly.
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from '../backend';
import type { TrunkPlan } from './layers-names';

/** What one step's gradient needs, as the tape would have saved it (each tensor one reference of ours). */
export type SavedStep =
  | { op: 'conv2d'; input: TensorInfo; filter: TensorInfo }
  | { op: 'batchNorm'; x: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale: TensorInfo }
  | { op: 'relu'; y: TensorInfo }
  | { op: 'add' }
  | { op: 'pad'; shape: number[] }
  | { op: 'maxPool'; input: TensorInfo; output: TensorInfo }
  | { op: 'mean'; shape: number[] };

export interface TrunkState {
  /** By step; a step's entry is emptied once its gradient has used it. */
  saved: (SavedStep | undefined)[];
  xShape: number[];
  weightShapes: number[][];
  /** Whether a gradient has run from this state (it frees what it uses: one gradient per state). */
  consumed: boolean;
}

/** The tensors a saved step holds. */
export function savedTensors(step: SavedStep): TensorInfo[] {
  switch (step.op) {
    case 'conv2d':
      return [step.input, step.filter];
    case 'batchNorm':
      return [step.x, step.mean, step.variance, step.scale];
    case 'relu':
      return [step.y];
    case 'maxPool':
      return [step.input, step.output];
    default:
      return [];
  }
}

/** Lets go of everything the state still holds (after the gradient, or when no gradient came). */
export function releaseTrunkState(backend: OneDnnBackend, state: TrunkState): void {
  state.saved.forEach((step, i) => {
    if (step === undefined) return;
    state.saved[i] = undefined;
    for (const t of savedTensors(step)) backend.disposeOwn(t);
  });
}

/** A kernel of this backend called directly: no engine bookkeeping, the outputs ours to dispose. */
export function runKernel(
  config: KernelConfig,
  inputs: NamedTensorInfoMap,
  backend: OneDnnBackend,
  attrs: object = {},
): TensorInfo | TensorInfo[] {
  return (config.kernelFunc as KernelFunc)({ inputs, backend, attrs: attrs as NamedAttrMap });
}

export interface Readers {
  /** By step: the values whose last forward reader it is (or, never read, that it made). */
  freeAfter: number[][];
}

const readersOf = new WeakMap<TrunkPlan, Readers>();

/** When each value of the forward pass can go; computed once per plan object. */
export function lastReaders(plan: TrunkPlan): Readers {
  let readers = readersOf.get(plan);
  if (readers !== undefined) return readers;
  const last = new Map<number, number>();
  plan.steps.forEach((step, i) => {
    last.set(i + 1, i);
    for (const v of step.op === 'add' ? step.inputs : [step.input]) last.set(v, i);
  });
  readers = { freeAfter: plan.steps.map(() => []) };
  for (const [v, i] of last) readers.freeAfter[i]!.push(v);
  readersOf.set(plan, readers);
  return readers;
}
