import { hadamard, hadamardTransform as buildTransform, type HadamardTransform } from '@fixclf/hadamard';

const transforms = new Map<number, HadamardTransform>();
/** One transform object per order (they hold the core matrix and scratch space). */
export function transformFor(order: number): HadamardTransform {
  let t = transforms.get(order);
  if (!t) {
    t = buildTransform(order);
    transforms.set(order, t);
  }
  return t;
}

const cores = new Map<number, Int8Array>();
/**
 * The m×m core of the order-n transform (H = core ⊗ Sylvester(n/m)), row-major: the `core` attr of
 * the head kernels. One array per order, so a native kernel sees the same object on every call.
 */
export function coreFor(order: number): Int8Array {
  let core = cores.get(order);
  if (!core) {
    const { m } = transformFor(order);
    core = m === 1 ? new Int8Array([1]) : hadamard(m);
    cores.set(order, core);
  }
  return core;
}
