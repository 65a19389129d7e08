// The precision of convolutions and matrix products: 'fp32' (the default) or 'bf16', as torch.autocast on a
// CPU: they read bfloat16 inputs and accumulate in float32, and the activations between them (convolution
// outputs, batch norm (+ residual) + ReLU outputs, their gradients) are stored as bf16 behind float32
// tensors. Weights, optimizer state, batch-norm statistics and losses stay float32; every tensor TF.js sees
// is float32 (its values those bf16 ones).
// bf16 runs only where the CPU computes it natively (AVX512-BF16 or AMX); elsewhere it would be slower
// than float32, so asking for it keeps float32 and says so once.
import { native } from './native';

export type Precision = 'fp32' | 'bf16';
export const PRECISIONS: readonly Precision[] = ['fp32', 'bf16'];

/** Read at import: the precision to start in. */
export const PRECISION_VARIABLE = 'FIXCLF_ONEDNN_PRECISION';
/** Set to 1 to make the CPU check report no bf16 support (tests of the fallback). */
export const FORCE_NO_BF16_VARIABLE = 'FIXCLF_ONEDNN_FORCE_NO_BF16';

let current: Precision = 'fp32';
let warned = false;

/** Why bf16 cannot run here, or null when it can. */
export function bf16Unavailable(env: Record<string, string | undefined> = process.env): string | null {
  if (env[FORCE_NO_BF16_VARIABLE] === '1') return `${FORCE_NO_BF16_VARIABLE}=1 is set`;
  const { supported, isa } = native.bf16Support();
  return supported ? null : `this CPU has neither AVX512-BF16 nor AMX (oneDNN dispatches on ${isa})`;
}

/**
 * Convolutions (forward and both gradients) and matrix products in bf16 with float32 accumulation, and
 * the activations and gradients between them stored as bf16 (torch.autocast's behaviour), or everything
 * in float32. Where the CPU has neither AVX512-BF16 nor AMX, 'bf16' keeps float32 and warns once. Takes
 * effect for the kernels that run next.
 */
export function setPrecision(precision: Precision): void {
  if (!PRECISIONS.includes(precision)) {
    throw new RangeError(`setPrecision: precision must be 'fp32' or 'bf16', got ${JSON.stringify(precision)}.`);
  }
  if (precision === 'bf16') {
    const why = bf16Unavailable();
    if (why !== null) {
      if (!warned) {
        warned = true;
        console.warn(
          `@fixclf/backend-onednn: bf16 precision needs AVX512-BF16 or AMX; ${why}, so convolutions and matrix products stay fp32.`,
        );
      }
      current = 'fp32';
      return;
    }
  }
  current = precision;
}

/** The precision convolutions and matrix products run in now ('fp32' where bf16 was asked for but is unavailable). */
export function getPrecision(): Precision {
  return current;
}

/** Applies FIXCLF_ONEDNN_PRECISION (at import); an unknown value warns and keeps fp32. */
export function applyPrecisionFromEnv(env: Record<string, string | undefined> = process.env): void {
  const value = env[PRECISION_VARIABLE];
  if (value === undefined || value === '') return;
  const precision = value.trim().toLowerCase();
  if (!PRECISIONS.includes(precision as Precision)) {
    console.warn(`@fixclf/backend-onednn: ignoring ${PRECISION_VARIABLE}=${value} (expected fp32 or bf16); using fp32.`);
    return;
  }
  setPrecision(precision as Precision);
}

// At import: FIXCLF_ONEDNN_PRECISION=bf16 starts in bf16 (where the CPU has it).
applyPrecisionFromEnv();
