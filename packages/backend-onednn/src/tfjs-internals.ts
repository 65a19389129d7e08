// Every TensorFlow.js internal this backend touches, named in one place. TF.js's public API has no way to
// ask "which tape is recording?", "which scope is the backward pass in?" or "defer this tensor's values",
// so the backend reads engine and cpu-backend state that TF.js does not document and may change in any
// release. Nothing else in the package reaches into TF.js's private state: it calls the accessors here.
//
// At import, assertSupportedTfjs() checks the installed version against the range the package declares
// (and was tested with) and then probes each internal below for the shape it relies on, so a TF.js release
// that moves one fails loudly at import rather than silently (wrong or slower gradients) in training.
import * as tfjsCpu from '@tensorflow/tfjs-backend-cpu';
import {
  type BackendValues,
  type DataId,
  type DataType,
  engine,
  Tensor,
  type TensorInfo,
  type Variable,
  version_core,
} from '@tensorflow/tfjs-core';

type MathBackendCPU = tfjsCpu.MathBackendCPU;

/** The TF.js versions the package declares as peers: 4.22.0 and later 4.x. */
export const SUPPORTED_TFJS_RANGE = '^4.22.0';
/** The TF.js versions its tests ran on. */
export const TESTED_TFJS_VERSIONS = '4.22.x';
const MINIMUM = { major: 4, minor: 22 } as const;

/** Set to 1 to run with a TF.js outside the supported range (with a warning) rather than fail at import. */
export const SKIP_VERSION_CHECK_VARIABLE = 'FIXCLF_ONEDNN_SKIP_VERSION_CHECK';

const PACKAGE = '@fixclf/backend-onednn';
const INSTALL = 'npm install @tensorflow/tfjs-core@^4.22.0 @tensorflow/tfjs-backend-cpu@^4.22.0';
const PIN = 'npm install @tensorflow/tfjs-core@~4.22.0 @tensorflow/tfjs-backend-cpu@~4.22.0';

export type TfjsCompatibilityFailure =
  /** The installed @tensorflow/tfjs-core or tfjs-backend-cpu is outside SUPPORTED_TFJS_RANGE. */
  | 'tfjs-version'
  /** A TF.js internal the backend relies on is missing or has changed shape. */
  | 'tfjs-internals';

/** Thrown at import when the installed TensorFlow.js cannot run this backend; the message is one line. */
export class TfjsCompatibilityError extends Error {
  override readonly name = 'TfjsCompatibilityError';

  constructor(
    readonly code: TfjsCompatibilityFailure,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------
// The internals, typed as this package relies on them.

/** tfjs-core's Engine, as far as this package reaches into it. */
interface EngineInternals {
  state: EngineStateInternals;
  startScope(name?: string): void;
  endScope(result?: unknown): void;
  startTape(): void;
  endTape(): void;
  track(tensor: TrackedTensor): unknown;
  keep(tensor: TrackedTensor): unknown;
  removeDataId(dataId: DataId, backend: unknown): void;
  addTapeNode(...args: unknown[]): void;
  makeTensorFromTensorInfo(info: TensorInfo): Tensor;
}

/** tfjs-core's EngineState: fields declared on the class but not part of TF.js's documented API. */
interface EngineStateInternals {
  /** Nested tf.grad / tf.variableGrads calls now running (> 0 while a forward pass is recorded). */
  gradientDepth: number;
  /** Nested kernel calls now running: 1 inside a kernel the tape records, more inside kernels it calls. */
  kernelDepth: number;
  /** The tape being recorded or differentiated (an array of tape nodes), null or absent otherwise. */
  activeTape?: unknown[] | null | undefined;
  /** The scope (tf.tidy, or the backward pass's own) new tensors are tracked in, null or absent outside any. */
  activeScope?: { id: number } | null;
}

/** The fields tfjs-core's engine sets on every tensor it tracks (declared on Tensor, undocumented). */
interface TrackedTensor {
  /** The id of the scope that tracks the tensor (set by the engine's track()). */
  scopeId?: number;
  /** tf.keep()'s mark: a kept tensor outlives its scope. */
  kept: boolean;
}

/** What MathBackendCPU stores for each dataId in its `data` DataStorage. */
export interface CpuDataRecord {
  values?: BackendValues;
  dtype: DataType;
  refCount: number;
}

/** tfjs-backend-cpu's MathBackendCPU, as far as this package reaches into it. */
interface CpuBackendInternals {
  /** Whether the next write() should print the "install tfjs-node" greeting (private). */
  firstUse: boolean;
  /** The storage records, by dataId (public field, undocumented shape). */
  data: { get(dataId: DataId): unknown; has(dataId: DataId): boolean; set(dataId: DataId, value: unknown): void };
}

function engineInternals(): EngineInternals {
  return engine() as unknown as EngineInternals;
}

// ---------------------------------------------------------------------------------------------------
// Accessors. Each says what it relies on and why the backend needs it.

/**
 * The id of the scope TF.js is tracking new tensors in; during backprop, the backward pass's.
 * Relies on: engine().state.activeScope = { id } while a scope is open (tf.tidy, engine.gradients).
 * Why: the ReLU, batch-norm and Concat gradient overrides free a dy as soon as they are done with it, but
 * only one the backward pass itself created (see createdInScope), never one the caller passed in.
 */
export function activeScopeId(): number | undefined {
  return engineInternals().state.activeScope?.id;
}

/**
 * Whether `tensor` was tracked in the scope `scopeId` and not kept with tf.keep.
 * Relies on: Tensor.scopeId (set by the engine when it tracks a tensor) and Tensor.kept (set by tf.keep).
 * Why: with activeScopeId(), tells a gradient the backward pass made (safe to free early) from a dy the
 * caller passed to tf.grad or kept.
 */
export function createdInScope(tensor: Tensor, scopeId: number | undefined): boolean {
  const tracked = tensor as unknown as TrackedTensor;
  return scopeId !== undefined && tracked.scopeId === scopeId && !tracked.kept;
}

/**
 * The tape the kernel now running will be recorded on, or null.
 * Relies on: engine().state.gradientDepth > 0 while a forward pass is recorded, kernelDepth === 1 inside
 * a kernel the tape records (the engine counts nested kernel calls and stops recording inside them) and
 * engine().state.activeTape being that tape.
 * Why: the Mean kernels tag batch moments with the tape they were recorded on, so FusedBatchNorm's
 * gradient can tell training-mode moments of this tape from moments computed elsewhere.
 */
export function recordingTape(): unknown {
  const state = engineInternals().state;
  return state.gradientDepth > 0 && state.kernelDepth === 1 ? (state.activeTape ?? null) : null;
}

/**
 * The tape being recorded or differentiated now, or null.
 * Relies on: engine().state.activeTape (kept until the outermost backward pass ends).
 * Why: FusedBatchNorm's gradient fuses the moments' gradient only for moments tagged with this tape.
 */
export function currentTape(): unknown {
  return engineInternals().state.activeTape ?? null;
}

/** A node of the tape, as far as the backend reads it (tfjs-core's TapeNode). */
export interface TapeNodeInternals {
  inputs: Record<string, Tensor>;
  saved?: Tensor[];
  gradient?: (dys: Tensor[]) => Record<string, () => Tensor>;
}

/**
 * Calls `wrap` on every node the engine records on a tape from now on, right after it is recorded.
 * Relies on: Engine.addTapeNode(kernelName, inputs, outputs, gradientsFunc, saved, attrs) pushing the node
 * { inputs, saved, gradient } onto state.activeTape, for registered kernels and tf.customGrad ops alike
 * (fused convolutions and matmuls are custom-gradient ops); the backward pass then calls node.gradient.
 * Why: the backward pass frees each node's saved tensors and output gradients once the tape has moved
 * past it (gradients/early-release.ts); only the node knows what it saved.
 */
export function onTapeNode(wrap: (node: TapeNodeInternals) => void): void {
  const e = engineInternals();
  const record = e.addTapeNode;
  e.addTapeNode = function (this: EngineInternals, ...args: unknown[]) {
    record.apply(this, args);
    const tape = this.state.activeTape;
    const node = Array.isArray(tape) ? (tape[tape.length - 1] as TapeNodeInternals | undefined) : undefined;
    if (node !== undefined) wrap(node);
  };
}

/**
 * Whether a first-order backward pass may be running: no forward pass is being recorded (gradientDepth 0).
 * Relies on: engine().state.gradientDepth counting recorded forward passes (startTape/endTape).
 * Why: a higher-order gradient differentiates the backward pass again and needs its tape whole.
 */
export function isFirstOrderBackward(): boolean {
  return engineInternals().state.gradientDepth === 0;
}

/**
 * Turns off the cpu backend's one-time "install tfjs-node" greeting for `backend`.
 * Relies on: MathBackendCPU's private boolean `firstUse`, checked by write().
 * Why: the onednn backend is a MathBackendCPU and a native Node backend; the advice does not apply.
 */
export function silenceCpuFirstUseWarning(backend: MathBackendCPU): void {
  (backend as unknown as CpuBackendInternals).firstUse = false;
}

/**
 * The storage record of `dataId` in a cpu-family backend (moving the data there if another backend holds
 * it, as DataStorage.get does).
 * Relies on: MathBackendCPU.data, a DataStorage whose records are { values, dtype, refCount }, and every
 * cpu kernel reading `values` from the record when it runs (never a copy taken earlier).
 * Why: the backend reads storage directly (native kernels take the arrays) and defers values.
 */
export function cpuDataRecord(backend: MathBackendCPU, dataId: DataId): CpuDataRecord | undefined {
  return backend.data.get(dataId) as CpuDataRecord | undefined;
}

/** Whether a cpu-family backend holds a record for `dataId` (DataStorage.has; never moves data). */
export function hasCpuDataRecord(backend: MathBackendCPU, dataId: DataId): boolean {
  return backend.data.has(dataId);
}

/**
 * Makes `record.values` a getter that calls `materialize` on first read, stores its result as the plain
 * `values` property, then calls `materialized`. Assigning `values` first replaces the getter unread.
 * Relies on: the record being a plain object whose `values` is an own, configurable property, read
 * afresh by every cpu kernel, readSync and disposeData.
 * Why: deferred tensors (training-mode batch norm's x − μ and (x − μ)², zero gradients, the ReLU
 * gradient) are computed only if a kernel actually reads them.
 */
export function deferRecordValues(record: CpuDataRecord, materialize: () => BackendValues, materialized: () => void): void {
  const settle = (values: BackendValues) =>
    Object.defineProperty(record, 'values', { value: values, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(record, 'values', {
    configurable: true,
    enumerable: true,
    get: () => {
      const values = materialize();
      settle(values);
      materialized();
      return values;
    },
    set: settle,
  });
}

/**
 * Tells the engine that `backend` no longer holds `dataId`.
 * Relies on: Engine.removeDataId (public on the class, undocumented), which the engine's own disposal
 * calls once a backend reports a buffer freed.
 * Why: a deferred tensor keeps its sources alive after the engine let go of them; when it releases the
 * last reference it must tell the engine, as the engine's own dispose would have.
 */
export function removeEngineDataId(dataId: DataId, backend: MathBackendCPU): void {
  engineInternals().removeDataId(dataId, backend);
}

/**
 * A tensor wrapping the active backend's `info`, tracked in the current scope, without a kernel call.
 * Relies on: Engine.makeTensorFromTensorInfo (public on the class, documented as internal, for backends),
 * which wraps every kernel's output.
 * Why: a gradient that knows its result is zeros makes it without a kernel call and the engine's per-call
 * bookkeeping (gradients/override.ts, zeroGradients).
 */
export function tensorFromInfo(info: TensorInfo): Tensor {
  return engineInternals().makeTensorFromTensorInfo(info);
}

// ---------------------------------------------------------------------------------------------------
// The guard.

/** The installed TF.js packages' versions (tfjs-backend-cpu's where it exports one). */
export interface TfjsVersions {
  core: string;
  cpu?: string;
}

export function installedTfjsVersions(): TfjsVersions {
  // A namespace read, so that a tfjs-backend-cpu without the export still reaches the check.
  const cpu: unknown = tfjsCpu.version_cpu;
  return typeof cpu === 'string' ? { core: version_core, cpu } : { core: version_core };
}

/** Whether `version` (x.y.z) is in SUPPORTED_TFJS_RANGE, semver's way (no prereleases). */
export function isSupportedTfjsVersion(version: string): boolean {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (match === null) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major === MINIMUM.major && minor >= MINIMUM.minor;
}

/** "found @tensorflow/tfjs-core 5.0.0" for the packages outside the range, or null when all are in it. */
function unsupported(versions: TfjsVersions): string | null {
  const found = [
    ['@tensorflow/tfjs-core', versions.core],
    ['@tensorflow/tfjs-backend-cpu', versions.cpu],
  ].filter((entry): entry is [string, string] => entry[1] !== undefined && !isSupportedTfjsVersion(entry[1]));
  if (found.length === 0) return null;
  return `${PACKAGE} supports TensorFlow.js ${SUPPORTED_TFJS_RANGE} (tested with ${TESTED_TFJS_VERSIONS}) but found ${found
    .map(([name, version]) => `${name} ${version}`)
    .join(' and ')}`;
}

/** The one-line error for `versions`, or null when they are supported. */
export function tfjsVersionProblem(versions: TfjsVersions): string | null {
  const found = unsupported(versions);
  if (found === null) return null;
  return `${found}: install a supported version (${INSTALL}), or set ${SKIP_VERSION_CHECK_VARIABLE}=1 to try this one anyway.`;
}

const warned = new Set<string>();

/**
 * Throws a TfjsCompatibilityError ('tfjs-version') when `versions` are outside SUPPORTED_TFJS_RANGE; with
 * FIXCLF_ONEDNN_SKIP_VERSION_CHECK=1 in `env`, warns instead (once per message).
 */
export function checkTfjsVersions(
  versions: TfjsVersions,
  env: Record<string, string | undefined> = process.env,
  warn: (message: string) => void = (message) => console.warn(message),
): void {
  const problem = tfjsVersionProblem(versions);
  if (problem === null) return;
  if (env[SKIP_VERSION_CHECK_VARIABLE] !== '1') throw new TfjsCompatibilityError('tfjs-version', problem);
  const message = `${unsupported(versions)}; running anyway, untested, as ${SKIP_VERSION_CHECK_VARIABLE}=1 is set.`;
  if (warned.has(message)) return;
  warned.add(message);
  warn(message);
}

function missing(internal: string, expected: string, version: string): never {
  throw new TfjsCompatibilityError(
    'tfjs-internals',
    `${PACKAGE} relies on the TensorFlow.js internal ${internal} (${expected}), which @tensorflow/tfjs-core ${version} ` +
      `does not provide: install a tested version (${PIN}), or report it at https://github.com/fixclf/fixclf/issues.`,
  );
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Probes an engine (engine() at import; a stand-in object in tests) for every internal above: numeric
 * state.gradientDepth and state.kernelDepth; startScope() making { id } the state.activeScope and
 * endScope() restoring it; track() stamping a tensor with that id and endScope() disposing it unless
 * keep() marked it `kept`; startTape() making state.activeTape an array and counting gradientDepth;
 * addTapeNode() pushing a node { inputs, saved, gradient } onto it; removeDataId();
 * makeTensorFromTensorInfo(). Throws a TfjsCompatibilityError ('tfjs-internals') naming the first one that differs.
 * Leaves the engine as it found it.
 */
export function checkEngineInternals(candidate: unknown, version: string): void {
  if (!isObject(candidate)) missing('engine()', 'the engine object', version);
  const state = candidate.state;
  if (!isObject(state)) missing('engine().state', 'an object', version);
  for (const field of ['gradientDepth', 'kernelDepth'] as const) {
    if (typeof state[field] !== 'number') missing(`engine().state.${field}`, 'a number', version);
  }
  for (const method of [
    'startScope',
    'endScope',
    'track',
    'keep',
    'startTape',
    'endTape',
    'removeDataId',
    'addTapeNode',
    'makeTensorFromTensorInfo',
  ] as const) {
    if (typeof candidate[method] !== 'function') missing(`engine().${method}()`, 'a method', version);
  }
  const e = candidate as unknown as EngineInternals;
  const s = state as unknown as EngineStateInternals;

  // Scopes, and the scope stamp on tracked tensors (a stand-in object: tracking needs no backend).
  const scopeBefore = s.activeScope;
  type StandIn = TrackedTensor & { id: number; disposed: boolean; dispose(): void };
  const standIn = (id: number): StandIn => ({
    id,
    kept: false,
    disposed: false,
    dispose() {
      this.disposed = true;
    },
  });
  const plain = standIn(-1);
  const kept = standIn(-2);
  e.startScope('fixclf-onednn-probe');
  let scope: unknown;
  try {
    scope = s.activeScope;
    e.track(plain);
    e.track(kept);
    e.keep(kept);
  } finally {
    e.endScope();
  }
  if (!isObject(scope) || typeof scope.id !== 'number') {
    missing('engine().state.activeScope', 'the open scope, an object with a numeric id', version);
  }
  if ((s.activeScope ?? null) !== (scopeBefore ?? null)) missing('engine().state.activeScope', 'restored by endScope()', version);
  if (plain.scopeId !== scope.id) missing('Tensor.scopeId', 'the id of the scope that tracks the tensor', version);
  if (kept.kept !== true || kept.disposed || !plain.disposed) {
    missing('Tensor.kept', 'set by tf.keep(), sparing the tensor when its scope ends', version);
  }

  // Tapes.
  const hadTape = Object.prototype.hasOwnProperty.call(s, 'activeTape');
  const tapeBefore = s.activeTape;
  const depthBefore = s.gradientDepth;
  let tape: unknown;
  let depthInside: unknown;
  let node: unknown;
  e.startTape();
  try {
    tape = s.activeTape;
    depthInside = s.gradientDepth;
    // A node recorded by hand (no kernel of that name has a registered gradient, so the engine takes ours).
    if (Array.isArray(s.activeTape)) {
      e.addTapeNode('fixclf-onednn-probe', {}, [], () => ({}), [], {});
      node = s.activeTape[s.activeTape.length - 1];
    }
  } finally {
    e.endTape();
    if (hadTape) s.activeTape = tapeBefore;
    else delete s.activeTape;
  }
  if (!Array.isArray(tape)) missing('engine().state.activeTape', 'the array of recorded tape nodes while a gradient is taken', version);
  if (depthInside !== depthBefore + 1 || s.gradientDepth !== depthBefore) {
    missing('engine().state.gradientDepth', 'counting the gradients being taken', version);
  }
  if (!isObject(node) || !isObject(node.inputs) || !Array.isArray(node.saved) || typeof node.gradient !== 'function') {
    missing('engine().addTapeNode()', 'pushing a node { inputs, saved, gradient } onto the tape', version);
  }
}

/**
 * Probes a MathBackendCPU (a fresh one at import; a stand-in in tests): a boolean `firstUse`; a `data`
 * DataStorage with get/has/set; and, after write(), a plain record whose own `values` property is the
 * array written, configurable and writable, with a dtype and a numeric refCount, gone after disposeData().
 * Throws a TfjsCompatibilityError ('tfjs-internals') naming the first one that differs.
 */
export function checkCpuBackendInternals(candidate: unknown, version: string): void {
  if (!isObject(candidate)) missing('MathBackendCPU', 'the cpu backend class', version);
  if (typeof candidate.firstUse !== 'boolean') missing('MathBackendCPU.firstUse', 'a boolean', version);
  const data = candidate.data;
  if (!isObject(data) || typeof data.get !== 'function' || typeof data.has !== 'function' || typeof data.set !== 'function') {
    missing('MathBackendCPU.data', 'a DataStorage with get(), has() and set()', version);
  }
  const backend = candidate as unknown as CpuBackendInternals & {
    write?: unknown;
    disposeData?: unknown;
  };
  if (typeof backend.write !== 'function' || typeof backend.disposeData !== 'function') {
    missing('MathBackendCPU.write()/disposeData()', 'methods', version);
  }
  const write = backend.write as (values: BackendValues, shape: number[], dtype: DataType) => DataId;
  const disposeData = backend.disposeData as (dataId: DataId) => boolean;
  const firstUse = backend.firstUse;
  backend.firstUse = false;
  const values = new Float32Array(2);
  const dataId = write.call(backend, values, [2], 'float32');
  const record: unknown = backend.data.get(dataId);
  const property = isObject(record) ? Object.getOwnPropertyDescriptor(record, 'values') : undefined;
  const deferrable =
    isObject(record) &&
    property?.value === values &&
    property.configurable === true &&
    property.writable === true &&
    record.dtype === 'float32' &&
    typeof record.refCount === 'number';
  let disposed = true;
  try {
    disposeData.call(backend, dataId);
  } catch {
    disposed = false;
  }
  backend.firstUse = firstUse;
  if (!deferrable) {
    missing('MathBackendCPU.data records', 'plain { values, dtype, refCount } objects with a configurable `values`', version);
  }
  if (!disposed || backend.data.has(dataId)) missing('MathBackendCPU.disposeData()', 'deleting the record', version);
}

/**
 * The import-time guard: the versions first (see checkTfjsVersions), then the internals of the live
 * engine and of a throwaway MathBackendCPU. Throws a TfjsCompatibilityError.
 */
export function assertSupportedTfjs(versions: TfjsVersions = installedTfjsVersions()): void {
  checkTfjsVersions(versions);
  checkEngineInternals(engine(), versions.core);
  const probe = new tfjsCpu.MathBackendCPU();
  try {
    checkCpuBackendInternals(probe, versions.core);
  } finally {
    probe.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------
// tf.train's optimizers (see src/optimizers.ts). Unlike the internals above these are not probed at
// import (probing would need tensors, hence an initialised backend): each accessor checks the optimizer
// in hand and returns null when its state has another shape, and the fused path then leaves the call to
// TF.js's own applyGradients.

/** One entry of MomentumOptimizer's accumulations (private): the momentum variable of a weight. */
export interface OptimizerAccumulation {
  originalName: string;
  variable: Variable;
}

/** What a MomentumOptimizer's applyGradients reads (private fields; `c` is SGDOptimizer's protected). */
export interface MomentumOptimizerState {
  /** By position in the gradients passed to applyGradients, created on first use (zeros). */
  accumulations: (OptimizerAccumulation | undefined)[];
  /** scalar(momentum), made once by the constructor (setMomentum does not change it). */
  m: Tensor;
  /** scalar(−learningRate), remade by setLearningRate. */
  c: Tensor;
  useNesterov: boolean;
}

const isScalarTensor = (value: unknown): value is Tensor => value instanceof Tensor && value.size === 1 && !value.isDisposed;

/**
 * SGDOptimizer's learning-rate scalar `c` (= −learningRate), or null when `optimizer` has none.
 * Relies on: SGDOptimizer.c (protected) being a live scalar tensor read by applyGradients.
 * Why: tf.train.sgd's update runs as one native call over all weights (w = c·g + w).
 */
export function sgdOptimizerRate(optimizer: unknown): Tensor | null {
  if (!isObject(optimizer) || typeof optimizer.incrementIterations !== 'function') return null;
  return isScalarTensor(optimizer.c) ? optimizer.c : null;
}

/**
 * A MomentumOptimizer's state, or null when it has another shape.
 * Relies on: MomentumOptimizer's private `accumulations` (array of { originalName, variable }), `m`
 * (scalar), `useNesterov` (boolean) and SGDOptimizer's `c`, as its applyGradients uses them.
 * Why: tf.train.momentum's update runs as one native call over all weights, keeping the accumulations
 * where getWeights/setWeights expect them.
 */
export function momentumOptimizerState(optimizer: unknown): MomentumOptimizerState | null {
  const c = sgdOptimizerRate(optimizer);
  if (c === null || !isObject(optimizer)) return null;
  const { accumulations, m, useNesterov } = optimizer;
  if (!Array.isArray(accumulations) || !isScalarTensor(m) || typeof useNesterov !== 'boolean') return null;
  return optimizer as unknown as MomentumOptimizerState;
}

/**
 * Counts one step, as applyGradients does at its end.
 * Relies on: Optimizer.incrementIterations() (protected).
 */
export function incrementOptimizerIterations(optimizer: unknown): void {
  (optimizer as { incrementIterations(): void }).incrementIterations();
}

/**
 * The variable TF.js registered under `name` (what applyGradients updates for a gradient of that name).
 * Relies on: engine().registeredVariables (public on the Engine class, undocumented).
 */
export function registeredVariable(name: string): Variable | undefined {
  return (engine() as unknown as { registeredVariables: Record<string, Variable | undefined> }).registeredVariables[name];
}
