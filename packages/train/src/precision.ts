import * as tf from '@tensorflow/tfjs-core';

/** The precision of convolutions and matrix products (`--precision`): float32, or bfloat16 with float32 accumulation. */
export type Precision = 'fp32' | 'bf16';
export const PRECISIONS: readonly Precision[] = ['fp32', 'bf16'];

/**
 * Sets the precision of the active backend, which must be onednn for bf16 (`strict`: otherwise an error;
 * not strict, as eval of a bf16 run on another backend: float32). Returns the precision that runs: fp32
 * also where onednn falls back because the CPU has neither AVX512-BF16 nor AMX (it says so itself).
 */
export async function applyPrecision(precision: Precision, options: { strict: boolean }): Promise<Precision> {
  const backend = tf.getBackend();
  if (backend !== 'onednn') {
    if (precision === 'bf16' && options.strict) {
      throw new Error(
        `--precision bf16 runs on the onednn backend, but the backend is ${backend}: use --backend onednn, or --precision fp32.`,
      );
    }
    return 'fp32';
  }
  const onednn = await import('@fixclf/backend-onednn');
  onednn.setPrecision(precision);
  return onednn.getPrecision();
}

/** A run's recorded precision (run.json's `precision`): fp32 when absent (older runs) or unknown. */
export function runPrecision(config: { precision?: unknown }): Precision {
  return config.precision === 'bf16' ? 'bf16' : 'fp32';
}
