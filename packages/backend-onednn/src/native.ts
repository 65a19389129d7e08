// The compiled addon (build/Release/fixclf_onednn.node) and the types of what it exports. Every native
// function computes into arrays the caller allocated; none allocates tensor memory except `allocate`.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { buildFailed, loadFailed, notBuilt, overrideMissing, staleBuild } from './addon-load-error';

/** scripts/build-state.cjs, shared with the build script; read from the package at run time, not bundled. */
type BuildState = typeof import('../scripts/build-state.cjs');

export type Shape = readonly number[];

/** Codes of eltwise.cc's BinaryOp. */
export const BinaryOp = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  squaredDifference: 4,
  maximum: 5,
  minimum: 6,
} as const;
export type BinaryOpCode = (typeof BinaryOp)[keyof typeof BinaryOp];

/** Codes of eltwise.cc's UnaryOp. */
export const UnaryOp = {
  relu: 0,
  relu6: 1,
  leakyRelu: 2,
  elu: 3,
  sigmoid: 4,
  tanh: 5,
  neg: 6,
  square: 7,
  sqrt: 8,
  rsqrt: 9,
  exp: 10,
  log: 11,
  abs: 12,
  reciprocal: 13,
  step: 14,
} as const;
export type UnaryOpCode = (typeof UnaryOp)[keyof typeof UnaryOp];

/** Codes of reduce.cc's ReduceOp. */
export const ReduceOp = { sum: 0, mean: 1, max: 2, min: 3 } as const;
export type ReduceOpCode = (typeof ReduceOp)[keyof typeof ReduceOp];

/** Fused activations oneDNN can apply as a post-op (common.h's Activation). */
export const ActivationCode = { linear: 0, relu: 1, relu6: 2, elu: 3, sigmoid: 4, leakyrelu: 5 } as const;

/** [strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight] */
export type ConvParams = readonly [number, number, number, number, number, number, number, number];
/** [filterH, filterW, strideH, strideW, padTop, padLeft, padBottom, padRight] */
export type PoolParams = readonly [number, number, number, number, number, number, number, number];

export interface CeilingResult {
  flops: number;
  seconds: number;
  gflops: number;
  forwardGflops: number;
  backwardDataGflops: number;
  backwardWeightsGflops: number;
}

/** Counts of primitive executions per precision (bf16.cc's precisionRuns). */
export interface PrecisionRuns {
  convForward: { fp32: number; bf16: number };
  convBackwardData: { fp32: number; bf16: number };
  convBackwardWeights: { fp32: number; bf16: number };
  matmul: { fp32: number; bf16: number };
}

/** What the converted-weight cache holds and has done (bf16.cc's bf16WeightStats). */
export interface Bf16WeightStats {
  /** Weight versions with converted copies. */
  weights: number;
  /** Converted copies (one per weight version and layout). */
  layouts: number;
  bytes: number;
  /** float32 → bf16 conversions of a weight. */
  conversions: number;
  /** Layouts made from another cached layout of the same weight version (bf16 → bf16). */
  derived: number;
  /** Calls that found their layout cached. */
  hits: number;
}

/**
 * bf16 arguments are Float32Arrays whose bytes hold bf16 values, two per element (pooled like tensors).
 * A weight key > 0 names a weight version whose converted copies the addon caches (see bf16-shadows.ts).
 */
export interface NativeAddon {
  allocate(byteLength: number): ArrayBuffer;
  setThreads(threads: number): void;
  threads(): number;
  clearCaches(): void;
  cacheSize(): number;
  version(): { major: number; minor: number; patch: number; cpuRuntime: string };

  /** x may be null when xBf16 is given; y when yBf16 is (a bf16 output, needs xBf16). */
  convForward(
    x: Float32Array | null,
    xShape: Shape,
    filter: Float32Array,
    filterShape: Shape,
    groups: number,
    bias: Float32Array | null,
    y: Float32Array | null,
    yShape: Shape,
    params: ConvParams,
    activation: number,
    alpha: number,
    xBf16?: Float32Array | null,
    filterKey?: number,
    yBf16?: Float32Array | null,
  ): void;
  /** dy may be null when dyBf16 is given; dx when dxBf16 is (a bf16 output, needs dyBf16). */
  convBackwardData(
    dy: Float32Array | null,
    yShape: Shape,
    filter: Float32Array,
    filterShape: Shape,
    groups: number,
    dx: Float32Array | null,
    xShape: Shape,
    params: ConvParams,
    dyBf16?: Float32Array | null,
    filterKey?: number,
    dxBf16?: Float32Array | null,
  ): void;
  /** x and dy may be null when given as bf16. */
  convBackwardFilter(
    x: Float32Array | null,
    xShape: Shape,
    dy: Float32Array | null,
    filterShape: Shape,
    groups: number,
    dw: Float32Array,
    dbias: Float32Array | null,
    yShape: Shape,
    params: ConvParams,
    xBf16?: Float32Array | null,
    dyBf16?: Float32Array | null,
  ): void;
  matmul(
    a: Float32Array,
    batchA: number,
    b: Float32Array,
    batchB: number,
    m: number,
    k: number,
    n: number,
    transposeA: boolean,
    transposeB: boolean,
    bias: Float32Array | null,
    out: Float32Array,
    activation: number,
    alpha: number,
    aBf16?: Float32Array | null,
    bBf16?: Float32Array | null,
  ): void;
  bnForward(
    x: Float32Array,
    channels: number,
    mean: Float32Array,
    variance: Float32Array,
    scale: Float32Array | null,
    offset: Float32Array | null,
    epsilon: number,
    y: Float32Array,
    residual: Float32Array | null,
    relu: boolean,
    /** Which of x (1), residual (2) and y (4) hold bf16 values. */
    bf16Mask?: number,
    /** The element count, needed when x and y are both bf16. */
    count?: number,
  ): void;
  bnBackward(
    x: Float32Array,
    dy: Float32Array,
    channels: number,
    mean: Float32Array,
    variance: Float32Array,
    scale: Float32Array | null,
    epsilon: number,
    mode: 0 | 1,
    dx: Float32Array | null,
    dmean: Float32Array | null,
    dvariance: Float32Array | null,
    dscale: Float32Array | null,
    doffset: Float32Array | null,
    reluOutput: Float32Array | null,
    /** Which of x (1), reluOutput (2), dx (4) and dy (8) hold bf16 values. */
    bf16Mask?: number,
    /** The element count, needed when dy is bf16. */
    count?: number,
  ): void;
  channelMoments(x: Float32Array, channels: number, mean: Float32Array, variance: Float32Array, xIsBf16?: boolean, count?: number): void;
  binary(op: BinaryOpCode, a: Float32Array, aShape: Shape, b: Float32Array, bShape: Shape, out: Float32Array, outShape: Shape): void;
  unary(op: UnaryOpCode, x: Float32Array, y: Float32Array, alpha: number): void;
  /** bf16Mask says which of dy (1), x (2) and dx (4) hold bf16 values; count is needed when dy does. */
  reluGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, bf16Mask?: number, count?: number): void;
  /** out = a + b over `count` elements; bf16Mask says which of a (1), b (2) and out (4) hold bf16 values. */
  addSameShape(a: Float32Array, b: Float32Array, out: Float32Array, bf16Mask: number, count: number): void;
  /**
   * out = addend + dy·step(y) over `count` elements; bf16Mask says which of dy (1), y (2), addend (4) and
   * out (8) hold bf16 values, and 16 rounds dy·step(y) to bf16 before the sum.
   */
  reluGradAdd(dy: Float32Array, y: Float32Array, addend: Float32Array, out: Float32Array, bf16Mask: number, count: number): void;
  squareGrad(dy: Float32Array, x: Float32Array, dx: Float32Array): void;
  addN(inputs: Float32Array[], out: Float32Array): void;
  reduce(op: ReduceOpCode, x: Float32Array, outer: number, reduced: number, inner: number, out: Float32Array): void;
  poolForward(isMax: boolean, x: Float32Array, xShape: Shape, y: Float32Array, yShape: Shape, params: PoolParams): void;
  poolBackward(
    isMax: boolean,
    dy: Float32Array,
    yShape: Shape,
    x: Float32Array | null,
    dx: Float32Array,
    xShape: Shape,
    params: PoolParams,
  ): void;
  transpose(x: Float32Array, xShape: Shape, perm: Shape, y: Float32Array): void;
  concat(inputs: Float32Array[], innerSizes: Shape, outer: number, out: Float32Array): void;
  pad(x: Float32Array, xShape: Shape, before: Shape, out: Float32Array, outShape: Shape, value: number): void;
  slice(x: Float32Array, xShape: Shape, begin: Shape, out: Float32Array, outShape: Shape): void;
  convCeiling(layers: number[][], batch: number, repetitions: number, plainWeights: boolean): CeilingResult;

  /** Whether oneDNN runs bf16 natively here (AVX512-BF16 or AMX), and the ISA it dispatches on. */
  bf16Support(): { supported: boolean; isa: string };
  /** src's values as bf16 into dst (at least ceil(src.length / 2) elements). */
  toBf16(src: Float32Array, dst: Float32Array): void;
  /** The inverse of toBf16 (dst.length values). */
  fromBf16(src: Float32Array, dst: Float32Array): void;
  forgetBf16Weights(keys: number[]): void;
  bf16WeightStats(): Bf16WeightStats;
  precisionRuns(): PrecisionRuns;
  /**
   * Every weight's SGD update in one pass (optim.cc). mode 0: PyTorch's semantics, rate = lr, a null
   * buffer is a first step (v = d); mode 1: TF.js's, rate = −lr, buffers are accumulations.
   * Outputs may be the inputs (in place).
   */
  sgdUpdate(
    mode: 0 | 1,
    weights: Float32Array[],
    weightsOut: Float32Array[],
    grads: Float32Array[],
    buffers: (Float32Array | null)[],
    buffersOut: (Float32Array | null)[],
    weightDecays: number[],
    rate: number,
    momentum: number,
    nesterov: boolean,
  ): void;
  /** y[r] = H·x[r] (Hᵀ·x[r] with transpose) for every row; H = core ⊗ Sylvester(order / m), core m×m ±1 (null: [1]). */
  hadamardRows(x: Float32Array, batch: number, order: number, core: Int8Array | null, transpose: boolean, y: Float32Array): void;
  /** The FixclfNormalizedHadamard kernel (hadamard.cc): y[r] = scale·(H·pad(x̂[r][:used]))[:outputs]. */
  headForward(
    x: Float32Array,
    batch: number,
    features: number,
    order: number,
    core: Int8Array | null,
    outputs: number,
    scale: number,
    epsilon: number,
    y: Float32Array,
  ): void;
  /** The FixclfNormalizedHadamardGrad kernel (hadamard.cc): dx from dy and x. */
  headBackward(
    dy: Float32Array,
    x: Float32Array,
    batch: number,
    features: number,
    order: number,
    core: Int8Array | null,
    outputs: number,
    scale: number,
    epsilon: number,
    dx: Float32Array,
  ): void;
}

export const ADDON_FILE = 'fixclf_onednn.node';

/** Directories that may hold build/Release, nearest first: the package root seen from src/ or dist/. */
function candidateRoots(): string[] {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  return [path.resolve(here, '..'), here, path.resolve(here, '..', '..')];
}

/**
 * GNU OpenMP (which oneDNN and our loops use) lets idle threads spin for ~300k iterations before sleeping.
 * Between two kernels a training step spends a few microseconds in JS, so a short spin keeps the team warm;
 * a long one, on a machine whose cores are shared with other work, starves the thread that has work to do
 * (measured: 10x slower steps at load 6 on 2 cores). libgomp reads this when it loads, with the addon.
 */
function tuneOpenMp(): void {
  if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) {
    process.env.GOMP_SPINCOUNT = '10000';
  }
}

/**
 * Functions the kernel files rely on, the newest of each kind among them: an addon without them is a build
 * of an older version (for addons built before the build record, which catches any change of the sources).
 */
const REQUIRED_FUNCTIONS = [
  'convForward',
  'matmul',
  'bnBackward',
  'slice',
  'concat',
  'bf16Support',
  'sgdUpdate',
  'headForward',
  'addSameShape',
  'reluGradAdd',
] as const;

function loadBuildState(): BuildState | null {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  try {
    return createRequire(path.join(here, 'native.js'))('../scripts/build-state.cjs') as BuildState;
  } catch {
    return null; // not shipped beside this file: the checks below that need it are skipped
  }
}

/** The build record's sources against the sources beside it now (true when either cannot be read). */
function builtFromTheseSources(state: BuildState, file: string): boolean {
  const stamp = state.readRecord(state.stampPath(file)) as { sources?: string; packageDir?: string } | null;
  if (stamp?.sources === undefined || stamp.packageDir === undefined) return true;
  try {
    return state.sourcesHash(stamp.packageDir) === stamp.sources;
  } catch {
    return true; // the sources are not there (a copied addon): nothing to compare with
  }
}

function loadAddon(): NativeAddon {
  tuneOpenMp();
  // Node's loader needs an absolute path; a relative one is taken from the working directory.
  const override = process.env.FIXCLF_ONEDNN_ADDON ? path.resolve(process.env.FIXCLF_ONEDNN_ADDON) : undefined;
  const files = override ? [override] : candidateRoots().map((root) => path.join(root, 'build', 'Release', ADDON_FILE));
  const state = loadBuildState();
  // The last build's failure, where the build script recorded one: its cause, not "never built".
  for (const candidate of state ? files : []) {
    const record = state!.readRecord(state!.failurePath(candidate)) as { code: string; message: string } | null;
    if (record !== null) throw buildFailed(candidate, record);
  }
  const file = files.find((candidate) => existsSync(candidate));
  if (file === undefined) throw override !== undefined ? overrideMissing(override) : notBuilt([...new Set(files)]);
  let addon: Partial<NativeAddon>;
  try {
    addon = createRequire(file)(file) as Partial<NativeAddon>;
  } catch (cause) {
    throw loadFailed(file, cause);
  }
  const missing = REQUIRED_FUNCTIONS.filter((name) => typeof addon[name] !== 'function');
  if (missing.length > 0 || (state !== null && !builtFromTheseSources(state, file))) throw staleBuild(file, missing);
  return addon as NativeAddon;
}

export const native: NativeAddon = loadAddon();
