// Optimizer steps as one native call over every weight (optim.cc), instead of a few kernel calls, a
// tf.tidy and one or two Variable.assign per weight:
//
// - fusedSgdUpdate(): stochastic gradient descent with momentum in PyTorch's semantics, what
//   @fixclf/train's SGD does (it calls it through the backend when onednn is active);
// - tf.train.momentum / tf.train.sgd: their applyGradients is replaced (for every backend; the original
//   runs unless the active backend is onednn) by one that makes the same update in one call.
//
// Updates are written in place when the weight's storage is private to it: pooled memory that never
// left the backend and that no other tensor references (after one out-of-place step, every weight's
// storage is). Otherwise the update goes to fresh storage and the variable is assigned it, as TF.js
// does. In-place writes drop the bf16 copies made of the old values (bf16-shadows.ts).
import {
  engine,
  MomentumOptimizer,
  type NamedTensorMap,
  SGDOptimizer,
  type Tensor,
  type TensorInfo,
  tidy,
  util,
  type Variable,
  variable as makeVariable,
  zerosLike,
} from '@tensorflow/tfjs-core';

import type { OneDnnBackend } from './backend';
import { native } from './native';
import {
  cpuDataRecord,
  incrementOptimizerIterations,
  momentumOptimizerState,
  registeredVariable,
  sgdOptimizerRate,
} from './tfjs-internals';

export interface FusedSgdOptions {
  /** Learning rate of this step. */
  lr: number;
  /** μ; 0 (the default) for plain SGD. */
  momentum?: number | undefined;
  /** PyTorch's `weight_decay` (d = g + wd·w): one value for all variables, or one per variable. Default 0. */
  weightDecay?: number | readonly number[] | undefined;
  /** Nesterov momentum (needs momentum > 0). Default false. */
  nesterov?: boolean | undefined;
}

/** A weight or buffer to update: its values, and where the new values go. */
interface Target {
  values: Float32Array;
  out: Float32Array;
  /** Fresh storage when the update cannot be written in place. */
  fresh: TensorInfo | null;
}

/** The storage of `t` when only `t` references it and it never left the backend, else null. */
function privateStorage(backend: OneDnnBackend, t: Tensor): Float32Array | null {
  const record = cpuDataRecord(backend, t.dataId);
  if (record === undefined || record.refCount !== 1) return null;
  const values = record.values;
  return backend.pool.isPrivate(values) ? (values as Float32Array) : null;
}

function target(backend: OneDnnBackend, t: Tensor): Target {
  const values = backend.float32(t);
  const own = privateStorage(backend, t);
  if (own !== null) return { values, out: own, fresh: null };
  const { info, values: out } = backend.makeOutput32([...t.shape]);
  return { values, out, fresh: info };
}

/** After the native call: the variable now holds the target's output. */
function settle(backend: OneDnnBackend, v: Variable, t: Target): void {
  if (t.fresh === null) {
    backend.storageChanged(v.dataId);
    return;
  }
  const tensor = engine().makeTensorFromTensorInfo(t.fresh);
  v.assign(tensor);
  tensor.dispose();
}

/** A new non-trainable variable holding fresh storage. */
function adopt(info: TensorInfo): Variable {
  const tensor = engine().makeTensorFromTensorInfo(info);
  const v = makeVariable(tensor, false);
  tensor.dispose();
  return v;
}

function checkFloat32(what: string, i: number, t: Tensor | null | undefined, shape: readonly number[]): void {
  if (t == null || t.isDisposed) throw new TypeError(`fusedSgdUpdate: ${what} ${i} is missing or disposed.`);
  if (t.dtype !== 'float32') throw new TypeError(`fusedSgdUpdate: ${what} ${i} is ${t.dtype}, not float32.`);
  if (!util.arraysEqual(t.shape, [...shape])) {
    throw new TypeError(`fusedSgdUpdate: ${what} ${i} has shape [${t.shape}], its variable [${shape}].`);
  }
}

/** fusedSgdUpdate on `backend` (see the exported function in index.ts for the contract). */
export function fusedSgdUpdateOn(
  backend: OneDnnBackend,
  variables: readonly Variable[],
  gradients: readonly Tensor[],
  buffers: readonly (Variable | null)[],
  options: FusedSgdOptions,
): (Variable | null)[] {
  const momentum = options.momentum ?? 0;
  const nesterov = options.nesterov ?? false;
  const { lr } = options;
  if (!Number.isFinite(lr)) throw new RangeError(`fusedSgdUpdate: lr must be a finite number, got ${lr}.`);
  if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`fusedSgdUpdate: momentum must be in [0, 1), got ${momentum}.`);
  if (nesterov && momentum === 0) throw new RangeError('fusedSgdUpdate: Nesterov momentum needs momentum > 0.');
  const n = variables.length;
  if (gradients.length !== n || buffers.length !== n) {
    throw new RangeError(
      `fusedSgdUpdate: ${n} variables, ${gradients.length} gradients and ${buffers.length} buffers; expected as many of each.`,
    );
  }
  const decay = options.weightDecay ?? 0;
  const decays = typeof decay === 'number' ? new Array<number>(n).fill(decay) : [...decay];
  if (decays.length !== n) throw new RangeError(`fusedSgdUpdate: ${decays.length} weight decays for ${n} variables.`);
  const bad = decays.findIndex((wd) => !(wd >= 0)); // NaN too
  if (bad !== -1) {
    throw new RangeError(`fusedSgdUpdate: weight decay ${bad} is ${decays[bad]}; each must be a number ≥ 0 (0 for none).`);
  }
  variables.forEach((v, i) => {
    checkFloat32('variable', i, v, v.shape);
    checkFloat32('gradient', i, gradients[i], v.shape);
    if (momentum > 0 && buffers[i] != null) checkFloat32('momentum buffer', i, buffers[i], v.shape);
  });

  const weights = variables.map((v) => target(backend, v));
  const grads = gradients.map((g) => backend.float32(g));
  const moments = variables.map((v, i): Target | null => {
    if (momentum === 0) return null;
    const buffer = buffers[i];
    if (buffer != null) return target(backend, buffer);
    const { info, values } = backend.makeOutput32([...v.shape]); // first step: v = d
    return { values: values, out: values, fresh: info };
  });
  native.sgdUpdate(
    0,
    weights.map((t) => t.values),
    weights.map((t) => t.out),
    grads,
    moments.map((t, i) => (t === null || buffers[i] == null ? null : t.values)),
    moments.map((t) => t?.out ?? null),
    decays,
    lr,
    momentum,
    nesterov,
  );
  variables.forEach((v, i) => settle(backend, v, weights[i]!));
  return variables.map((_, i) => {
    const t = moments[i];
    if (t == null) return null;
    const buffer = buffers[i];
    if (buffer == null) return adopt(t.fresh!);
    settle(backend, buffer, t);
    return buffer;
  });
}

// ---------------------------------------------------------------------------------------------------
// tf.train.momentum and tf.train.sgd.

/** tfjs-core's NamedTensor (not exported from its index). */
interface NamedTensor {
  name: string;
  tensor: Tensor;
}

type ApplyGradients = (this: SGDOptimizer, variableGradients: NamedTensorMap | NamedTensor[]) => void;

const ORIGINAL = Symbol.for('@fixclf/backend-onednn: applyGradients replaced by the fused optimizer step');
type Patched = { [ORIGINAL]?: ApplyGradients; applyGradients: ApplyGradients };

/** The onednn backend when it is the active one, else null. */
let activeOneDnn: () => OneDnnBackend | null = () => null;

interface Entry {
  value: Variable;
  gradient: Tensor;
}

/** (name, gradient) pairs in applyGradients' order; null when a weight or gradient is not float32. */
function entries(variableGradients: NamedTensorMap | NamedTensor[]): { names: string[]; list: (Entry | null)[] } | null {
  const isArray = Array.isArray(variableGradients);
  const names = isArray ? variableGradients.map((item) => item.name) : Object.keys(variableGradients);
  const list: (Entry | null)[] = [];
  for (let i = 0; i < names.length; i++) {
    const gradient = isArray ? variableGradients[i]!.tensor : variableGradients[names[i]!];
    if (gradient == null) {
      list.push(null);
      continue;
    }
    const value = registeredVariable(names[i]!);
    if (
      value === undefined ||
      value.dtype !== 'float32' ||
      gradient.dtype !== 'float32' ||
      !util.arraysEqual(value.shape, gradient.shape)
    ) {
      return null;
    }
    list.push({ value, gradient });
  }
  return { names, list };
}

/** TF.js's update (mode 1) of `entries`, with accumulations (momentum) or without (sgd). */
function tfjsUpdate(
  backend: OneDnnBackend,
  list: Entry[],
  accumulations: Variable[] | null,
  c: number,
  m: number,
  nesterov: boolean,
): void {
  const weights = list.map((e) => target(backend, e.value));
  const moments = accumulations?.map((a) => target(backend, a)) ?? null;
  native.sgdUpdate(
    1,
    weights.map((t) => t.values),
    weights.map((t) => t.out),
    list.map((e) => backend.float32(e.gradient)),
    moments?.map((t) => t.values) ?? list.map(() => null),
    moments?.map((t) => t.out) ?? list.map(() => null),
    list.map(() => 0),
    c,
    m,
    nesterov,
  );
  list.forEach((e, i) => settle(backend, e.value, weights[i]!));
  accumulations?.forEach((a, i) => settle(backend, a, moments![i]!));
}

const scalarValue = (t: Tensor) => (t.dataSync() as Float32Array)[0]!;

function momentumApplyGradients(original: ApplyGradients): ApplyGradients {
  return function applyGradients(this: SGDOptimizer, variableGradients) {
    const backend = activeOneDnn();
    const state = backend === null ? null : momentumOptimizerState(this);
    const found = state === null ? null : entries(variableGradients);
    if (backend === null || state === null || found === null) return original.call(this, variableGradients);
    // As TF.js does: an accumulation for every position, zeros, made on first use.
    found.names.forEach((name, i) => {
      if (state.accumulations[i] == null) {
        const value = registeredVariable(name)!;
        state.accumulations[i] = { originalName: `${name}/momentum`, variable: tidy(() => zerosLike(value).variable(false)) };
      }
    });
    const list: Entry[] = [];
    const accumulations: Variable[] = [];
    found.list.forEach((entry, i) => {
      if (entry === null) return;
      list.push(entry);
      accumulations.push(state.accumulations[i]!.variable);
    });
    if (list.length > 0) tfjsUpdate(backend, list, accumulations, scalarValue(state.c), scalarValue(state.m), state.useNesterov);
    incrementOptimizerIterations(this);
  };
}

function sgdApplyGradients(original: ApplyGradients): ApplyGradients {
  return function applyGradients(this: SGDOptimizer, variableGradients) {
    const backend = activeOneDnn();
    const c = backend === null ? null : sgdOptimizerRate(this);
    const found = c === null ? null : entries(variableGradients);
    if (backend === null || c === null || found === null) return original.call(this, variableGradients);
    const list = found.list.filter((e): e is Entry => e !== null);
    if (list.length > 0) tfjsUpdate(backend, list, null, scalarValue(c), 0, false);
    incrementOptimizerIterations(this);
  };
}

function patch(prototype: Patched, make: (original: ApplyGradients) => ApplyGradients): void {
  // Once per prototype, whatever copy of this module does it (tests reload modules): keep the true original.
  const original = Object.prototype.hasOwnProperty.call(prototype, ORIGINAL) ? prototype[ORIGINAL]! : prototype.applyGradients;
  prototype[ORIGINAL] = original;
  prototype.applyGradients = make(original);
}

/**
 * Replaces tf.train.momentum's and tf.train.sgd's applyGradients with the fused step (taken only while
 * `active()` returns the onednn backend; the original otherwise). Only the two classes themselves:
 * a subclass that overrides applyGradients keeps its own.
 */
export function installOptimizerFastPaths(active: () => OneDnnBackend | null): void {
  activeOneDnn = active;
  patch(MomentumOptimizer.prototype as unknown as Patched, momentumApplyGradients);
  patch(SGDOptimizer.prototype as unknown as Patched, sgdApplyGradients);
}
