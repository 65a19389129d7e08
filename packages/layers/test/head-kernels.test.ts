// Which head kernel runs where: `cpu` runs this package's JavaScript kernels (registered at import);
// a backend without them (a stand-in for WebGL/WebGPU/WASM: the cpu kernels minus the head kernels)
// composes the computation from standard ops; a backend that registers them explicitly runs them.
// Every case is checked against the dense formula y = α·normalize(x)·P + b and its gradients.
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  FIXED_CLASSIFIER_KERNEL_NAMES,
  HADAMARD_TRANSFORM,
  NORMALIZED_HADAMARD,
  NORMALIZED_HADAMARD_GRAD,
  fixedClassifier,
  fixedClassifierKernels,
  hadamardTransformOp,
  registerFixedClassifierKernels,
} from '../src';
import { fixedClassifierFormula, fixedClassifierGradients, randomValues, relativeError } from './reference';

/** Registers a backend with every cpu kernel except `except`, under `name`. */
function registerCpuLikeBackend(name: string, except: readonly string[]): void {
  tf.registerBackend(name, () => new MathBackendCPU(), 0);
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (!except.includes(config.kernelName)) tf.registerKernel({ ...config, backendName: name });
  }
}

const PORTABLE = 'test-portable'; // no head kernels: the composed path
const EXPLICIT = 'test-explicit'; // a CPU-storage backend that registers the JavaScript kernels itself
registerCpuLikeBackend(PORTABLE, FIXED_CLASSIFIER_KERNEL_NAMES);
registerCpuLikeBackend(EXPLICIT, FIXED_CLASSIFIER_KERNEL_NAMES);

afterAll(async () => {
  await tf.setBackend('cpu');
});

interface HeadCase {
  inputDim: number;
  units: number;
  batch: number;
  /** The transform order the layer must choose (checks the case exercises what it claims). */
  order: number;
}

// Power-of-two orders (one with features beyond the order: 130 → 128) and m·2^k orders (12·8,
// 12·128, 100·2, 20·32, and 500·2 for more classes than features); batches from 1 to 300.
const CASES: HeadCase[] = [
  { inputDim: 64, units: 10, batch: 300, order: 64 },
  { inputDim: 512, units: 16, batch: 1, order: 512 },
  { inputDim: 2048, units: 1000, batch: 2, order: 2048 },
  { inputDim: 130, units: 100, batch: 17, order: 128 },
  { inputDim: 96, units: 40, batch: 128, order: 96 },
  { inputDim: 1536, units: 1000, batch: 3, order: 1536 },
  { inputDim: 200, units: 120, batch: 64, order: 200 },
  { inputDim: 640, units: 100, batch: 255, order: 640 },
  { inputDim: 512, units: 1000, batch: 2, order: 1000 },
];

let variableCount = 0;

/** Runs the head forward and backward on the active backend, under tf.profile, and checks it against the formula. */
async function checkHead({ inputDim, units, batch, order }: HeadCase): Promise<string[]> {
  const layer = fixedClassifier({ units, seed: 5 });
  layer.build([null, inputDim]);
  expect(layer.describeProjection().fastTransformOrder).toBe(order);
  const xv = randomValues(batch * inputDim, inputDim + batch);
  const probeValues = randomValues(batch * units, 7 * units + 1);
  const x = tf.variable(tf.tensor2d(xv, [batch, inputDim]), true, `headInput${variableCount++}`);
  const probe = tf.tensor2d(probeValues, [batch, units]);
  const [scale, bias] = layer.trainableWeights.map((w) => w.read()) as [tf.Variable, tf.Variable];

  let y: tf.Tensor | undefined;
  let grads: tf.NamedTensorMap = {};
  const info = await tf.profile(() => {
    y = layer.apply(x) as tf.Tensor;
    grads = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, probe)) as tf.Scalar, [x, scale, bias]).grads;
  });

  const p = tf.tidy(() => layer.getProjection().dataSync());
  const alpha = layer.getScale();
  const b = bias.dataSync();
  const expected = fixedClassifierFormula(xv, batch, p, inputDim, units, alpha, b);
  const reference = fixedClassifierGradients(xv, batch, p, inputDim, units, alpha, probeValues);
  expect(relativeError(y!.dataSync(), expected)).toBeLessThan(1e-5);
  expect(relativeError(grads[x.name]!.dataSync(), reference.dx)).toBeLessThan(1e-5);
  // dα is one float32 sum of batch·units terms of either sign: its error is relative to their ℓ2 norm.
  expect(Math.abs(grads[scale.name]!.dataSync()[0]! - reference.dAlpha) / reference.dAlphaScale).toBeLessThan(1e-5);
  expect(relativeError(grads[bias.name]!.dataSync(), reference.dBias)).toBeLessThan(1e-5);
  tf.dispose([x, probe, y!, ...Object.values(grads)]);
  return info.kernelNames;
}

describe('the kernel-name contract', () => {
  it('names the three head kernels, namespaced apart from TF.js', () => {
    expect(HADAMARD_TRANSFORM).toBe('FixclfHadamardTransform');
    expect(NORMALIZED_HADAMARD).toBe('FixclfNormalizedHadamard');
    expect(NORMALIZED_HADAMARD_GRAD).toBe('FixclfNormalizedHadamardGrad');
    expect(FIXED_CLASSIFIER_KERNEL_NAMES).toEqual([HADAMARD_TRANSFORM, NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD]);
  });

  it("registers the JavaScript kernels for 'cpu' at import, and for no other backend", () => {
    const javascript = fixedClassifierKernels('cpu');
    for (const config of javascript) expect(tf.getKernel(config.kernelName, 'cpu')?.kernelFunc).toBe(config.kernelFunc);
    for (const name of FIXED_CLASSIFIER_KERNEL_NAMES) {
      expect(tf.getKernel(name, PORTABLE)).toBeUndefined();
      expect(tf.getKernel(name, EXPLICIT)).toBeUndefined();
    }
  });
});

describe("on 'cpu': this package's JavaScript kernels", () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('inputDim $inputDim, units $units, batch $batch (order $order)', async (c) => {
    const forward = jest.spyOn(tf.getKernel(NORMALIZED_HADAMARD, 'cpu')!, 'kernelFunc');
    const backward = jest.spyOn(tf.getKernel(NORMALIZED_HADAMARD_GRAD, 'cpu')!, 'kernelFunc');
    try {
      const kernels = await checkHead(c);
      expect(kernels).toEqual(expect.arrayContaining([NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD]));
      expect(forward).toHaveBeenCalled();
      expect(backward).toHaveBeenCalled();
    } finally {
      forward.mockRestore();
      backward.mockRestore();
    }
  });

  it('runs hadamardTransformOp as the HADAMARD_TRANSFORM kernel', async () => {
    const info = await tf.profile(() => hadamardTransformOp(tf.ones([2, 12])).dispose());
    expect(info.kernelNames).toContain(HADAMARD_TRANSFORM);
  });
});

describe('on a backend without the head kernels (WebGL-like): the portable path', () => {
  beforeAll(async () => {
    await tf.setBackend(PORTABLE);
  });

  it.each(CASES)('inputDim $inputDim, units $units, batch $batch (order $order)', async (c) => {
    const kernels = await checkHead(c);
    for (const name of FIXED_CLASSIFIER_KERNEL_NAMES) expect(kernels).not.toContain(name);
    expect(kernels).toContain('BatchMatMul'); // the factored transform
    // Running the layer registered nothing behind the backend's back.
    for (const name of FIXED_CLASSIFIER_KERNEL_NAMES) expect(tf.getKernel(name, PORTABLE)).toBeUndefined();
  });
});

describe('registerFixedClassifierKernels(backendName)', () => {
  it('registers the JavaScript kernels for a CPU-storage backend, once, leaving names it has alone', async () => {
    expect(registerFixedClassifierKernels(EXPLICIT)).toEqual([...FIXED_CLASSIFIER_KERNEL_NAMES]);
    expect(registerFixedClassifierKernels(EXPLICIT)).toEqual([]);
    expect(registerFixedClassifierKernels('cpu')).toEqual([]);
    expect(() => registerFixedClassifierKernels('')).toThrow(/backendName/);

    await tf.setBackend(EXPLICIT);
    for (const c of [CASES[0]!, CASES[3]!, CASES[4]!]) {
      const kernels = await checkHead(c);
      expect(kernels).toEqual(expect.arrayContaining([NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD]));
      expect(kernels).not.toContain('BatchMatMul');
    }
  });

  it('says what it needs when registered for a backend whose tensors are not in CPU memory', () => {
    const forward = fixedClassifierKernels('elsewhere').find((k) => k.kernelName === NORMALIZED_HADAMARD)!;
    const gpuLike = { data: { get: () => ({ texture: {} }) } };
    expect(() =>
      forward.kernelFunc({
        inputs: { x: { dataId: {}, shape: [1, 4], dtype: 'float32' } },
        backend: gpuLike as unknown as tf.KernelBackend,
        attrs: { order: 4, outputs: 2, scale: 1, epsilon: 1e-8 },
      }),
    ).toThrow(/FixclfNormalizedHadamard: expects a float32 tensor held in CPU memory/);
  });
});
