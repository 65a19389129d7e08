import {
  type NamedAttrMap,
  cast,
  type Tensor,
  type Tensor2D,
  engine,
  matMul,
  registerGradient,
  reshape,
  tensor2d,
  tidy,
  transpose,
} from '@tensorflow/tfjs-core';
import { activeBackendHas } from './cpu-kernels';
import { HADAMARD_TRANSFORM, type HadamardTransformAttrs } from './kernel-names';
import { coreFor, transformFor } from './transforms';

export { HADAMARD_TRANSFORM, type HadamardTransformAttrs } from './kernel-names';

/**
 * Multiplies every row v of `x` ([batch, n]) by the Hadamard matrix of `hadamardTransform(n)`:
 * returns rows H·v (or Hᵀ·v), with its gradient. On a backend that has the HADAMARD_TRANSFORM kernel
 * (`cpu`, which gets this package's JavaScript kernel, and backends that register it: see
 * registerFixedClassifierKernels) this is one kernel call, the O(n log n) fast transform. Elsewhere
 * (WebGL, WebGPU, WASM, tfjs-node) the same product is computed as a chain of small Sylvester
 * factors with matMul, O(n·Σ factor sizes), which every backend already runs well.
 */
export function hadamardTransformOp(x: Tensor2D, options: { transpose?: boolean | undefined } = {}): Tensor2D {
  // The kernels read x as [batch, order]: another rank would be transformed in wrong blocks, silently.
  if (x.rank !== 2) {
    throw new Error(
      `hadamardTransformOp: x must be rank 2, [batch, order], got shape [${x.shape.join(', ')}]; reshape it to [-1, order] first.`,
    );
  }
  const order = x.shape[1];
  transformFor(order); // validates the order with the hadamard package's own message
  const attrs: HadamardTransformAttrs = { order, transpose: options.transpose ?? false, core: coreFor(order) };
  // Integer input is read as float32, as the layer reads it (the kernels take float32 only).
  return tidy(() => {
    const input = x.dtype === 'float32' ? x : cast(x, 'float32');
    if (activeBackendHas(HADAMARD_TRANSFORM)) {
      return engine().runKernel(HADAMARD_TRANSFORM, { x: input }, attrs as unknown as NamedAttrMap) as Tensor2D;
    }
    return factoredTransform(input, attrs);
  });
}

// The gradient is the same kernel with the transpose flag flipped; it dispatches per backend too.
registerGradient({
  kernelName: HADAMARD_TRANSFORM,
  gradFunc: (dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => {
    const { transpose } = attrs as unknown as HadamardTransformAttrs;
    return { x: () => hadamardTransformOp(dy as Tensor2D, { transpose: !transpose }) };
  },
});

/** Largest Sylvester factor used by the matMul path: 64×64 keeps each product cache-sized. */
const MAX_FACTOR = 64;

/**
 * H = H_m ⊗ H_{2^k}, and H_{2^k} = H_{f1} ⊗ … ⊗ H_{fr} with every f ≤ 64. View each row as an
 * [m, f1, …, fr] array and multiply each axis by its factor in turn, rotating the axes; then mix
 * the m blocks with H_m (or H_mᵀ). Autodiff gives the gradient.
 */
export function factoredTransform(
  x: Tensor2D,
  { order, transpose: useTranspose }: Pick<HadamardTransformAttrs, 'order' | 'transpose'>,
): Tensor2D {
  return tidy(() => {
    const t = transformFor(order);
    const batch = x.shape[0];
    const block = order / t.m;
    const factors: number[] = [];
    for (let rest = block; rest > 1;) {
      const f = Math.min(rest, MAX_FACTOR);
      factors.push(f);
      rest /= f;
    }
    let y: Tensor = reshape(x, [batch * t.m, ...factors]);
    const rank = factors.length + 1;
    for (const f of factors.slice().reverse()) {
      // Contract the last axis with H_f (Sylvester, symmetric), then rotate it to the front.
      const shape = y.shape;
      const mixed = matMul(reshape(y, [-1, f]), sylvesterTensor(f));
      const perm = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
      y = transpose(reshape(mixed, shape), perm);
    }
    let rows = reshape(y, [batch, t.m, block]);
    if (t.m > 1) {
      // Block mix: out[a] = Σ_b H_m[a, b]·in[b]  (transpose: H_m[b, a]).
      const hm = tensor2d(Float32Array.from(coreFor(order)), [t.m, t.m]);
      const moved = transpose(rows, [0, 2, 1]); // [batch, block, m]
      const mixed = matMul(reshape(moved, [-1, t.m]), hm, false, !useTranspose);
      rows = transpose(reshape(mixed, [batch, block, t.m]), [0, 2, 1]);
    }
    return reshape(rows, [batch, order]);
  });
}

function sylvesterTensor(f: number): Tensor2D {
  const values = new Float32Array(f * f);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < f; j++) values[i * f + j] = popcount(i & j) % 2 === 0 ? 1 : -1;
  }
  return tensor2d(values, [f, f]);
}

function popcount(v: number): number {
  let c = 0;
  for (; v; v &= v - 1) c++;
  return c;
}
