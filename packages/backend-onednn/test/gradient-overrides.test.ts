// Every gradient the backend replaces, against the gradient TF.js had before. TF.js keeps one gradient per
// kernel name for all backends, so importing this package changes the gradients cpu, webgl and wasm use:
// there an override must give exactly what TF.js gives (bit for bit, checked on cpu); on onednn it may
// compute the same mathematics its own way (within 1e-4 of the stock gradient run on onednn's kernels).
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

import { replacedGradients } from '../src/gradients/override';
import { silenceCpuFirstUseWarning } from '../src/tfjs-internals';
import { input, type Input, kernelNames, relativeError } from './helpers';

interface Case {
  name: string;
  inputs: Input[];
  /** The forward computation; its gradient with respect to every input is compared. */
  f: (...xs: tf.Tensor[]) => tf.Tensor;
}

const C = 6;
const image = (seed: number, scale = 1) => input([2, 5, 5, C], seed, scale);
const channel = (seed: number) => input([C], seed);
const positive = (seed: number) => ({ shape: [C], values: input([C], seed).values.map((v) => 0.5 + Math.abs(v)) });

/** ReLU inputs with exact zeros, −0 and a NaN among random values: where step() decides. */
function withEdges(shape: number[], seed: number): Input {
  const x = input(shape, seed);
  x.values[0] = 0;
  x.values[1] = -0;
  x.values[2] = Number.NaN;
  for (let i = 3; i < x.values.length; i += 7) x.values[i] = 0;
  return x;
}

/** tf.layers' batch normalisation in training: moments on the tape, then FusedBatchNorm. */
function trainingBatchNorm(x: tf.Tensor, gamma?: tf.Tensor, beta?: tf.Tensor, epsilon = 1e-3): tf.Tensor {
  const axes = [...Array(x.rank - 1).keys()];
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean, variance, beta, gamma, epsilon);
}

// Per replaced kernel, the attributes and uses the models (tf.layers ResNets, DenseNets, MobileNets, the
// losses) give it. A kernel without an entry fails the coverage test below.
const CASES: Record<string, Case[]> = {
  FusedBatchNorm: [
    // @fixclf/models' blocks: axis -1, ε = 1e-5, γ and β.
    { name: 'training, NHWC, ε = 1e-5', inputs: [image(1, 2), channel(2), channel(3)], f: (x, g, b) => trainingBatchNorm(x!, g, b, 1e-5) },
    {
      name: 'training, dense [8, 6], ε = 1e-3',
      inputs: [input([8, C], 4, 3), channel(5), channel(6)],
      f: (x, g, b) => trainingBatchNorm(x!, g, b),
    },
    {
      name: 'training, batch 1, 3 × 7, 5 channels',
      inputs: [input([1, 3, 7, 5], 7, 2), input([5], 8), input([5], 9)],
      f: (x, g, b) => trainingBatchNorm(x!, g, b),
    },
    // Not covered: without γ or β (scale/center: false) TF.js 4.22 cannot differentiate FusedBatchNorm at
    // all (its gradient saves the absent scale, its tape reads the absent offset), override or not.
    {
      name: 'inference: moving mean and variance as inputs',
      inputs: [image(10), channel(11), positive(12), channel(13), channel(14)],
      f: (x, m, v, g, b) => tf.batchNorm(x!, m!, v!, b, g, 1e-3),
    },
  ],
  Relu: [
    { name: 'NHWC, with zeros, −0 and NaN', inputs: [withEdges([2, 5, 5, C], 20)], f: (x) => tf.relu(x!) },
    { name: 'after a batch norm', inputs: [image(21), channel(22), channel(23)], f: (x, g, b) => tf.relu(trainingBatchNorm(x!, g, b)) },
    { name: 'dense [8, 10]', inputs: [withEdges([8, 10], 24)], f: (x) => tf.relu(x!) },
  ],
  Square: [
    { name: '[7, 13]', inputs: [input([7, 13], 30)], f: (x) => tf.square(x!) },
    { name: 'a variance', inputs: [image(31)], f: (x) => tf.moments(x!, [0, 1, 2]).variance },
    { name: 'an L2 penalty', inputs: [input([3, 3, 4, 8], 32)], f: (w) => tf.mul(tf.sum(tf.square(w!)), 1e-4) },
  ],
  Mean: [
    { name: 'batch moments: axes [0, 1, 2]', inputs: [image(40)], f: (x) => tf.mean(x!, [0, 1, 2]) },
    { name: 'global average pooling: axes [1, 2]', inputs: [image(41)], f: (x) => tf.mean(x!, [1, 2]) },
    { name: 'axes [1, 2], keepDims', inputs: [image(42)], f: (x) => tf.mean(x!, [1, 2], true) },
    { name: 'a loss: last axis, then all', inputs: [input([8, 10], 43)], f: (x) => tf.mean(tf.mean(x!, -1)) },
  ],
  Sum: [
    { name: 'softmax cross-entropy: last axis', inputs: [input([8, 10], 50)], f: (x) => tf.sum(x!, -1) },
    { name: 'everything', inputs: [image(51)], f: (x) => tf.sum(x!) },
    { name: 'axes [0, 1, 2], keepDims', inputs: [image(52)], f: (x) => tf.sum(x!, [0, 1, 2], true) },
    { name: 'a bias gradient: axis 0', inputs: [input([8, 10], 53)], f: (x) => tf.sum(x!, 0) },
  ],
  // Overridden only to skip the batch moments' known zeros on onednn (src/gradients/zeros.ts).
  Sub: [
    { name: 'x − μ in training batch norm', inputs: [image(80, 2), channel(81), channel(82)], f: (x, g, b) => trainingBatchNorm(x!, g, b) },
    { name: 'NHWC − per-channel, broadcast', inputs: [image(83), channel(84)], f: (a, b) => tf.sub(a!, b!) },
  ],
  Reshape: [
    {
      name: 'μ to [1, 1, 1, C] in training batch norm',
      inputs: [image(85, 2), channel(86), channel(87)],
      f: (x, g, b) => trainingBatchNorm(x!, g, b),
    },
    { name: 'NHWC to a matrix', inputs: [image(88)], f: (x) => tf.reshape(x!, [10, 5 * C]) },
  ],
  Cast: [
    { name: 'x to float32 in tf.moments', inputs: [image(89, 2), channel(90), channel(91)], f: (x, g, b) => trainingBatchNorm(x!, g, b) },
    { name: 'float32 to float32', inputs: [image(92)], f: (x) => tf.cast(x!, 'float32') },
  ],
  Concat: [
    { name: 'DenseNet: channels, two inputs', inputs: [image(60), input([2, 5, 5, 4], 61)], f: (a, b) => tf.concat([a!, b!], -1) },
    { name: 'channels, three inputs', inputs: [image(62), input([2, 5, 5, 2], 63), image(64)], f: (a, b, c) => tf.concat([a!, b!, c!], 3) },
    { name: 'the batch axis', inputs: [input([3, 10], 65), input([5, 10], 66)], f: (a, b) => tf.concat([a!, b!], 0) },
  ],
};

/** The gradient of sum(f(xs) · w) with respect to every input, on `backend`, copied out. */
async function gradients(backend: 'cpu' | 'onednn', c: Case): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  silenceCpuFirstUseWarning(tf.backend() as MathBackendCPU);
  return tf.tidy(() => {
    const xs = c.inputs.map((i) => tf.tensor(i.values.slice(), i.shape, 'float32'));
    const shape = tf.tidy(() => c.f(...xs).shape);
    const w = tf.tensor(input(shape, 99).values, shape);
    const grads = tf.grads((...ts: tf.Tensor[]) => tf.sum(tf.mul(c.f(...ts), w)))(xs);
    return grads.map((g) => (g.dataSync() as Float32Array).slice());
  });
}

/** Runs `fn` with TF.js's own gradients for `kernelNames` registered, then restores the overrides. */
async function withStockGradients<T>(kernelNames: readonly string[], fn: () => Promise<T>): Promise<T> {
  const overrides = kernelNames.map((name) => tf.getGradient(name)!);
  for (const name of kernelNames) tf.registerGradient(replacedGradients().get(name)!);
  try {
    return await fn();
  } finally {
    for (const override of overrides) tf.registerGradient(override);
  }
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function expectBitIdentical(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(bits(a)).toEqual(bits(expected[i]!)));
}

function expectClose(actual: Float32Array[], expected: Float32Array[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const error = relativeError(a, expected[i]!);
    if (!(error <= tolerance)) throw new Error(`gradient ${i}: relative error ${error} > ${tolerance}`);
  });
}

const replaced = [...replacedGradients().keys()];

test('the registry lists every gradient the backend replaced, with the gradient TF.js had', () => {
  expect(replaced.sort()).toEqual(['Cast', 'Concat', 'FusedBatchNorm', 'Mean', 'Relu', 'Reshape', 'Square', 'Sub', 'Sum']);
  for (const [name, original] of replacedGradients()) {
    expect(original.kernelName).toBe(name);
    expect(tf.getGradient(name)).not.toBe(original);
  }
});

test.each(replaced)('%s has override-vs-stock cases (add them to CASES when adding an override)', (name) => {
  expect(CASES[name]?.length ?? 0).toBeGreaterThan(0);
});

test('CASES names no kernel the backend does not replace', () => {
  expect(Object.keys(CASES).filter((name) => !replaced.includes(name))).toEqual([]);
});

const cases = replaced.flatMap((name) => (CASES[name] ?? []).map((c) => [name, c.name, c] as const));

describe('on cpu, an override gives exactly what TF.js’s own gradient gives', () => {
  test.each(cases)('%s: %s', async (name, _, c) => {
    const override = await gradients('cpu', c);
    const stock = await withStockGradients([name], () => gradients('cpu', c));
    expectBitIdentical(override, stock);
  });

  test('all overrides at once, through a batch-norm, ReLU, concat and pooling block', async () => {
    const block: Case = {
      name: 'block',
      inputs: [image(70, 2), channel(71), channel(72), image(73)],
      f: (x, g, b, skip) => tf.mean(tf.concat([tf.relu(trainingBatchNorm(x!, g, b)), tf.square(skip!)], -1), [1, 2]),
    };
    const override = await gradients('cpu', block);
    const stock = await withStockGradients(replaced, () => gradients('cpu', block));
    expectBitIdentical(override, stock);
  });
});

describe('on onednn, an override computes what TF.js’s own gradient computes (within 1e-4)', () => {
  test.each(cases)('%s: %s', async (name, _, c) => {
    const override = await gradients('onednn', c);
    const stock = await withStockGradients([name], () => gradients('onednn', c));
    expectClose(override, stock, 1e-4);
  });
});

test('on onednn, training batch norm’s backward runs no kernel for the moments’ zeros', async () => {
  await tf.setBackend('onednn');
  const [x, g, b] = [image(93, 2), channel(94), channel(95)].map((i) => tf.tensor(i.values, i.shape));
  const backward = (names: string[]) => names.slice(names.lastIndexOf('FusedBatchNorm'));
  const step = () => tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(trainingBatchNorm(a, c, d)))([x!, g!, b!]);
  const ours = backward(await kernelNames(step));
  const stock = backward(await withStockGradients(['Sub', 'Reshape', 'Cast', 'Mean', 'Square'], () => kernelNames(step)));
  // TF.js's gradients carry the zeros through tf.moments' Sub (Neg among others), Square (Multiply) and Mean.
  expect(stock).toContain('Neg');
  expect(stock).toContain('Multiply');
  for (const kernel of ['Neg', 'Multiply', 'OneDnnSquareGrad']) expect(ours).not.toContain(kernel);
  // Sum's own gradient (the one non-zero broadcast) and nothing for the two means.
  expect(ours.filter((k) => k === 'OneDnnBroadcastScale')).toHaveLength(1);
  expect(ours.length).toBeLessThanOrEqual(stock.length - 10);
  tf.dispose([x, g, b]);
});

test('the overrides are back in place after the comparisons', () => {
  for (const [name, original] of replacedGradients()) expect(tf.getGradient(name)).not.toBe(original);
});
