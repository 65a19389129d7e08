// @fixclf/layers' head kernels on 'onednn': this backend registers native versions (native/hadamard.cc)
// under the names layers defines, without importing layers; here both are imported to check that the names
// agree, that the native kernels are the ones that run, and that they compute the dense formula
// y = α·normalize(x)·P + b and its gradients.
import * as tf from '@tensorflow/tfjs';

import {
  FIXED_CLASSIFIER_KERNEL_NAMES,
  HADAMARD_TRANSFORM as LAYERS_HADAMARD_TRANSFORM,
  NORMALIZED_HADAMARD as LAYERS_NORMALIZED_HADAMARD,
  NORMALIZED_HADAMARD_GRAD as LAYERS_NORMALIZED_HADAMARD_GRAD,
  fixedClassifier,
  fixedClassifierKernels,
  hadamardTransformOp,
} from '@fixclf/layers';

import { HADAMARD_TRANSFORM, inheritCpuKernels, NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD } from '../src/index';
import { fixclfHadamardTransformConfig } from '../src/kernels/FixclfHadamardTransform';
import { fixclfNormalizedHadamardConfig } from '../src/kernels/FixclfNormalizedHadamard';
import { fixclfNormalizedHadamardGradConfig } from '../src/kernels/FixclfNormalizedHadamardGrad';
import { native } from '../src/native';
import { random, relativeError } from './helpers';

beforeAll(async () => {
  await tf.setBackend('onednn');
});

function values(count: number, seed: number): Float32Array {
  const next = random(seed);
  return Float32Array.from({ length: count }, () => next());
}

describe('errors name the kernel and the values', () => {
  it('a head kernel asked for more outputs than its order, and an addon check reached through MaxPoolGrad', () => {
    const x = tf.ones([2, 4]);
    expect(() => tf.engine().runKernel(NORMALIZED_HADAMARD, { x }, { order: 4, outputs: 6, scale: 1, epsilon: 1e-6 })).toThrow(
      `${NORMALIZED_HADAMARD} (onednn): outputs (6) must be at most the order (4).`,
    );
    // TF.js drops dimRoundingMode in this gradient, so dy and the pooling it recomputes disagree in size.
    const image = tf.ones([1, 9, 9, 2]);
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
    ];
    expect(() => tf.grad((v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, 3, 2, pad, 'ceil').sum())(image)).toThrow(
      "MaxPoolGrad (onednn): argument 'dy' has 60 elements, expected 40",
    );
    tf.dispose([x, image]);
  });
});

describe('the kernel-name contract with @fixclf/layers', () => {
  it('mirrors the names layers exports', () => {
    expect(HADAMARD_TRANSFORM).toBe(LAYERS_HADAMARD_TRANSFORM);
    expect(NORMALIZED_HADAMARD).toBe(LAYERS_NORMALIZED_HADAMARD);
    expect(NORMALIZED_HADAMARD_GRAD).toBe(LAYERS_NORMALIZED_HADAMARD_GRAD);
    expect([HADAMARD_TRANSFORM, NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD]).toEqual([...FIXED_CLASSIFIER_KERNEL_NAMES]);
  });

  it("registers the native kernels for 'onednn' (layers' JavaScript ones stay on 'cpu'), also after inheriting cpu kernels", () => {
    inheritCpuKernels();
    const nativeConfigs = [fixclfHadamardTransformConfig, fixclfNormalizedHadamardConfig, fixclfNormalizedHadamardGradConfig];
    for (const config of nativeConfigs) expect(tf.getKernel(config.kernelName, 'onednn')?.kernelFunc).toBe(config.kernelFunc);
    for (const config of fixedClassifierKernels('cpu')) {
      expect(tf.getKernel(config.kernelName, 'cpu')?.kernelFunc).toBe(config.kernelFunc);
      expect(tf.getKernel(config.kernelName, 'onednn')?.kernelFunc).not.toBe(config.kernelFunc);
    }
  });
});

/** The gradients of L = Σ probe ⊙ y for y = α·x̂·P + b, float64 (see layers' test/reference.ts). */
function denseHead(
  x: Float32Array,
  batch: number,
  p: Float32Array,
  inputDim: number,
  units: number,
  alpha: number,
  bias: Float32Array,
  probe: Float32Array,
  epsilon = 1e-8,
) {
  const y = new Float64Array(batch * units);
  const dx = new Float64Array(batch * inputDim);
  const dBias = new Float64Array(units);
  let dAlpha = 0;
  let squares = 0; // Σ (probe·x̂P)²: dα sums terms of either sign, so ‖terms‖₂ is its natural scale
  const g = new Float64Array(inputDim);
  for (let b = 0; b < batch; b++) {
    const row = b * inputDim;
    let norm = 0;
    for (let k = 0; k < inputDim; k++) norm += x[row + k]! ** 2;
    norm = Math.sqrt(norm);
    const d = norm + epsilon;
    g.fill(0);
    for (let c = 0; c < units; c++) {
      const q = probe[b * units + c]!;
      let s = 0;
      for (let k = 0; k < inputDim; k++) {
        s += (x[row + k]! / d) * p[k * units + c]!;
        g[k]! += alpha * q * p[k * units + c]!;
      }
      y[b * units + c] = alpha * s + bias[c]!;
      dAlpha += q * s;
      squares += (q * s) ** 2;
      dBias[c]! += q;
    }
    let dot = 0;
    for (let k = 0; k < inputDim; k++) dot += (x[row + k]! / d) * g[k]!;
    const along = norm > 0 ? dot / norm : 0;
    for (let k = 0; k < inputDim; k++) dx[row + k] = g[k]! / d - (x[row + k]! / d) * along;
  }
  return { y, dx, dAlpha, dAlphaScale: Math.max(Math.abs(dAlpha), Math.sqrt(squares)), dBias };
}

// Power-of-two orders (130 features use the first 128) and m·2^k orders (12·8, 12·128, 100·2, 20·32, and
// 500·2 for more classes than features); batches from 1 to 300.
const CASES = [
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

describe("FixedClassifier on 'onednn' runs the native head kernels", () => {
  it.each(CASES)('inputDim $inputDim, units $units, batch $batch (order $order)', async ({ inputDim, units, batch, order }) => {
    const forward = jest.spyOn(native, 'headForward');
    const backward = jest.spyOn(native, 'headBackward');
    const layer = fixedClassifier({ units, seed: 5 });
    layer.build([null, inputDim]);
    expect(layer.describeProjection().fastTransformOrder).toBe(order);
    const xv = values(batch * inputDim, inputDim + batch);
    const probeValues = values(batch * units, 7 * units + 1);
    const x = tf.variable(tf.tensor2d(xv, [batch, inputDim]), true, `onednnHeadInput${variableCount++}`);
    const probe = tf.tensor2d(probeValues, [batch, units]);
    const [scale, bias] = layer.trainableWeights.map((w) => w.read()) as [tf.Variable, tf.Variable];

    let y: tf.Tensor | undefined;
    let grads: tf.NamedTensorMap = {};
    const info = await tf.profile(() => {
      y = layer.apply(x) as tf.Tensor;
      grads = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, probe)) as tf.Scalar, [x, scale, bias]).grads;
    });
    expect(info.kernelNames).toEqual(expect.arrayContaining([NORMALIZED_HADAMARD, NORMALIZED_HADAMARD_GRAD]));
    expect(forward).toHaveBeenCalled();
    expect(backward).toHaveBeenCalled();

    const p = tf.tidy(() => layer.getProjection().dataSync() as Float32Array);
    const expected = denseHead(xv, batch, p, inputDim, units, layer.getScale(), bias.dataSync() as Float32Array, probeValues);
    expect(relativeError(y!.dataSync(), expected.y)).toBeLessThan(1e-5);
    expect(relativeError(grads[x.name]!.dataSync(), expected.dx)).toBeLessThan(1e-5);
    // dα is one float32 sum of batch·units terms of either sign: its error is relative to their ℓ2 norm.
    expect(Math.abs(grads[scale.name]!.dataSync()[0]! - expected.dAlpha) / expected.dAlphaScale).toBeLessThan(1e-5);
    expect(relativeError(grads[bias.name]!.dataSync(), expected.dBias)).toBeLessThan(1e-5);
    tf.dispose([x, probe, y!, ...Object.values(grads)]);
  });

  it("agrees with layers' JavaScript kernels on the same tensors, and gives a zero row the finite gradient g/ε", () => {
    const [batch, features, outputs] = [5, 200, 120];
    // 200 = 100·2: a dense core of order 100, as the layer passes it.
    const attrs = { order: 200, outputs, scale: 0.3, epsilon: 1e-2, core: layersCore(200).core } as unknown as tf.NamedAttrMap;
    const xv = values(batch * features, 3);
    xv.fill(0, features, 2 * features); // row 1: a dead ReLU feature vector
    const x = tf.tensor2d(xv, [batch, features]);
    const dy = tf.tensor2d(values(batch * outputs, 4), [batch, outputs]);
    const javascript = new Map(fixedClassifierKernels('onednn').map((k) => [k.kernelName, k.kernelFunc]));
    const nativeRun = (name: string, inputs: tf.NamedTensorMap) =>
      tf.tidy(() => (tf.engine().runKernel(name, inputs, attrs) as tf.Tensor).dataSync().slice());
    const javascriptRun = (name: string, inputs: tf.NamedTensorMap) =>
      tf.tidy(() => {
        const info = javascript.get(name)!({ inputs, backend: tf.backend(), attrs }) as tf.TensorInfo;
        return tf.engine().makeTensorFromTensorInfo(info).dataSync().slice();
      });
    const forward = jest.spyOn(native, 'headForward');
    const backward = jest.spyOn(native, 'headBackward');
    const nativeY = nativeRun(NORMALIZED_HADAMARD, { x });
    const nativeDx = nativeRun(NORMALIZED_HADAMARD_GRAD, { dy, x });
    expect(forward).toHaveBeenCalledTimes(1);
    expect(backward).toHaveBeenCalledTimes(1);
    expect(relativeError(nativeY, javascriptRun(NORMALIZED_HADAMARD, { x }))).toBeLessThan(1e-5);
    expect(relativeError(nativeDx, javascriptRun(NORMALIZED_HADAMARD_GRAD, { dy, x }))).toBeLessThan(1e-5);
    const zeroRow = nativeDx.subarray(features, 2 * features);
    expect(zeroRow.every(Number.isFinite)).toBe(true);
    expect(zeroRow.some((v) => v !== 0)).toBe(true);
    tf.dispose([x, dy]);
  });
});

/** The `core` attr layers passes for order n (captured from the native call), as an m×m matrix. */
function layersCore(n: number): { core: Int8Array; m: number } {
  const spy = jest.spyOn(native, 'hadamardRows');
  tf.tidy(() => hadamardTransformOp(tf.zeros([1, n]) as tf.Tensor2D).dataSync());
  const core = (spy.mock.calls[0]![3] as Int8Array | null) ?? new Int8Array([1]);
  spy.mockRestore();
  return { core, m: Math.round(Math.sqrt(core.length)) };
}

/** H = core ⊗ Sylvester(n/m), the core checked to be Hadamard (core·coreᵀ = m·I), so H is one too. */
function denseHadamard(n: number): Int8Array {
  const { core, m } = layersCore(n);
  for (let r = 0; r < m; r++) {
    for (let q = 0; q < m; q++) {
      let dot = 0;
      for (let c = 0; c < m; c++) dot += core[r * m + c]! * core[q * m + c]!;
      if (dot !== (r === q ? m : 0)) throw new Error(`the core of order ${m} is not a Hadamard matrix`);
    }
  }
  const w = n / m;
  const h = new Int8Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      let parity = 0;
      for (let v = (r % w) & (c % w); v; v &= v - 1) parity ^= 1;
      h[r * n + c] = core[Math.floor(r / w) * m + Math.floor(c / w)]! * (parity ? -1 : 1);
    }
  }
  return h;
}

describe("hadamardTransformOp on 'onednn' runs the native HADAMARD_TRANSFORM", () => {
  it.each([1, 2, 8, 12, 20, 48, 256, 1024, 1664])('rows times H and Hᵀ, n = %i', async (n) => {
    const batch = 3;
    const xv = values(batch * n, n);
    const h = denseHadamard(n);
    const rowsSpy = jest.spyOn(native, 'hadamardRows');
    for (const transpose of [false, true]) {
      const x = tf.tensor2d(xv, [batch, n]);
      let y: tf.Tensor | undefined;
      const info = await tf.profile(() => {
        y = hadamardTransformOp(x, { transpose });
      });
      expect(info.kernelNames).toEqual([HADAMARD_TRANSFORM]);
      const expected = new Float64Array(batch * n);
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += (transpose ? h[j * n + i]! : h[i * n + j]!) * xv[b * n + j]!;
          expected[b * n + i] = s;
        }
      }
      expect(relativeError(y!.dataSync(), expected)).toBeLessThan(1e-5);
      tf.dispose([x, y!]);
    }
    expect(rowsSpy).toHaveBeenCalledTimes(2);
  });

  it('has gradient Hᵀ·dy', () => {
    const n = 12;
    const x = tf.tensor2d(values(2 * n, 1), [2, n]);
    const w = values(2 * n, 2);
    const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(hadamardTransformOp(v as tf.Tensor2D), tf.tensor2d(w, [2, n]))))(x);
    const expected = tf.tidy(() =>
      hadamardTransformOp(tf.tensor2d(w, [2, n]), { transpose: true })
        .dataSync()
        .slice(),
    );
    expect(relativeError(grad.dataSync(), expected)).toBeLessThan(1e-6);
    tf.dispose([x, grad]);
  });

  it("falls back to the cpu kernel of the same name (layers' JavaScript one) when an order that needs a core comes without one", () => {
    const spy = jest.spyOn(native, 'hadamardRows');
    const javascript = jest.spyOn(tf.getKernel(HADAMARD_TRANSFORM, 'cpu')!, 'kernelFunc');
    const x = tf.tensor2d(values(12, 9), [1, 12]);
    const attrs = { order: 12, transpose: false } as unknown as tf.NamedAttrMap;
    const y = tf.engine().runKernel(HADAMARD_TRANSFORM, { x }, attrs) as tf.Tensor;
    expect(spy).not.toHaveBeenCalled();
    expect(javascript).toHaveBeenCalledTimes(1);
    const expected = tf.tidy(() => hadamardTransformOp(x).dataSync().slice());
    expect(relativeError(y.dataSync(), expected)).toBeLessThan(1e-6);
    tf.dispose([x, y]);
  });
});
