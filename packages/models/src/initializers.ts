import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export type Initializer = ReturnType<typeof tfl.initializers.zeros>;

// Module-local bindings: a global lookup per sample is what makes tfjs's own random
// initializers slow inside sandboxes such as Jest's vm context (≈10× here).
const { cos, sin, log, sqrt, PI, floor, random } = Math;

/** xoshiro128** seeded through splitmix32: fast, 2^128 − 1 period, uniform in [0, 1). */
function uniformStream(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const imul = Math.imul;
  return () => {
    const result = imul(((imul(b, 5) << 7) | (imul(b, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = ((d << 11) | (d >>> 21)) >>> 0;
    return result / 4294967296;
  };
}

const InitializerBase = Object.getPrototypeOf(tfl.initializers.zeros().constructor) as abstract new () => Initializer;

/**
 * Fills a weight from N(mean, stddev²), untruncated, with a seedable generator. It serializes as
 * tfjs's own 'RandomNormal' (same distribution), so saved models load without this package.
 */
class SeededRandomNormal extends InitializerBase {
  static className = 'RandomNormal';

  constructor(
    readonly mean: number,
    readonly stddev: number,
    readonly seed: number | undefined,
  ) {
    super();
  }

  override apply(shape: number[], dtype?: tfc.DataType): tfc.Tensor {
    const n = shape.reduce((x, y) => x * y, 1);
    const values = new Float32Array(n);
    const next = uniformStream(this.seed ?? floor(random() * 4294967296));
    const { mean, stddev } = this;
    for (let i = 0; i < n; i += 2) {
      // Box–Muller: two independent normals from two uniforms (1 − u keeps log away from 0).
      const r = sqrt(-2 * log(1 - next())) * stddev;
      const theta = 2 * PI * next();
      values[i] = mean + r * cos(theta);
      if (i + 1 < n) values[i + 1] = mean + r * sin(theta);
    }
    return tfc.tensor(values, shape, dtype ?? 'float32');
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

/** U(minval, maxval) with a seedable generator; serializes as tfjs's 'RandomUniform'. */
class SeededRandomUniform extends InitializerBase {
  static className = 'RandomUniform';

  constructor(
    readonly minval: number,
    readonly maxval: number,
    readonly seed: number | undefined,
  ) {
    super();
  }

  override apply(shape: number[], dtype?: tfc.DataType): tfc.Tensor {
    const n = shape.reduce((x, y) => x * y, 1);
    const values = new Float32Array(n);
    const next = uniformStream(this.seed ?? floor(random() * 4294967296));
    const { minval } = this;
    const width = this.maxval - this.minval;
    for (let i = 0; i < n; i++) values[i] = minval + width * next();
    return tfc.tensor(values, shape, dtype ?? 'float32');
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}

/**
 * He-normal, fan-out mode, untruncated — PyTorch's `kaiming_normal_(w, mode='fan_out')`, which is
 * also the hand-written `normal_(0, sqrt(2 / (k·k·out)))` of the reference ResNets. PyTorch's fan-out
 * is `weight.size(0) · k·k` = output channels · k·k for every convolution, grouped and depthwise
 * included (a depthwise 3×3 on C channels gets std √(2 / 9C)).
 *
 * tfjs's own `heNormal` is fan-in and truncated, so it is not used.
 */
export function heNormalFanOut(kernelSize: number, outChannels: number, seed?: number): Initializer {
  return new SeededRandomNormal(0, sqrt(2 / (kernelSize * kernelSize * outChannels)), seed);
}

/** PyTorch's `nn.Linear` default for weight and bias alike: U(−1/√fanIn, 1/√fanIn). */
export function pytorchLinearDefault(fanIn: number, seed?: number): Initializer {
  const bound = 1 / sqrt(fanIn);
  return new SeededRandomUniform(-bound, bound, seed);
}

/** N(0, σ²), untruncated. */
export function normal(stddev: number, seed?: number): Initializer {
  return new SeededRandomNormal(0, stddev, seed);
}
