import { invalidArgument } from './errors';
import { mixSeed, mulberry32, permutation } from './random';

export interface HoldoutOptions {
  /** Share of the data held out, in (0, 1). Give this or `count`. */
  readonly fraction?: number | undefined;
  /** Number of samples held out. */
  readonly count?: number | undefined;
  /** Seed of the draw (default 0). The same seed always holds out the same samples. */
  readonly seed?: number | undefined;
  /** Hold out the same share of every class (default true). */
  readonly stratify?: boolean | undefined;
}

const HOLDOUT_SALT = 0x486f6c64;

/** How many of each class to hold out so the total is exactly `total` (largest remainder). */
function apportion(sizes: readonly number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((size) => (size * total) / n);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left === 0) break;
    out[i]!++;
    left--;
  }
  return out;
}

/**
 * The checks that need no data: openDataset makes them for every split, so options shared by a training
 * and a test run fail on the test run too rather than only when the training set is opened.
 */
export function checkHoldoutOptions(options: HoldoutOptions): void {
  if (typeof options !== 'object' || options === null || (options.count === undefined && options.fraction === undefined))
    throw invalidArgument('validation: give fraction or count');
  if (options.count !== undefined) {
    if (!Number.isInteger(options.count) || options.count < 1)
      throw invalidArgument(`validation.count must be an integer ≥ 1, got ${options.count}`);
  } else if (!(options.fraction! > 0 && options.fraction! < 1)) {
    throw invalidArgument(`validation.fraction must be in (0, 1), got ${options.fraction}`);
  }
}

/**
 * Splits positions 0…n-1 into a training part and a held-out validation part, both sorted. Deterministic:
 * a function of the labels and the options only, so the 'train' and 'validation' views opened separately
 * are exact complements.
 */
export function holdoutPositions(
  labels: Int32Array,
  numClasses: number,
  options: HoldoutOptions,
): { train: Int32Array; validation: Int32Array } {
  checkHoldoutOptions(options);
  const n = labels.length;
  const seed = options.seed ?? 0;
  let total: number;
  if (options.count !== undefined) {
    if (options.count >= n) throw invalidArgument(`validation.count must be an integer in [1, ${n - 1}], got ${options.count}`);
    total = options.count;
  } else {
    total = Math.round(options.fraction! * n);
    if (total < 1 || total >= n) throw invalidArgument(`validation.fraction ${options.fraction} of ${n} samples leaves an empty split`);
  }
  const held = new Uint8Array(n);
  if (options.stratify ?? true) {
    const byClass: number[][] = Array.from({ length: numClasses }, () => []);
    for (let i = 0; i < n; i++) byClass[labels[i]!]!.push(i);
    const quota = apportion(
      byClass.map((c) => c.length),
      total,
    );
    byClass.forEach((members, c) => {
      const order = permutation(Int32Array.from(members), mulberry32(mixSeed(seed, HOLDOUT_SALT, c)));
      for (let k = 0; k < quota[c]!; k++) held[order[k]!] = 1;
    });
  } else {
    const order = permutation(n, mulberry32(mixSeed(seed, HOLDOUT_SALT)));
    for (let k = 0; k < total; k++) held[order[k]!] = 1;
  }
  const train: number[] = [];
  const validation: number[] = [];
  for (let i = 0; i < n; i++) (held[i] ? validation : train).push(i);
  return { train: Int32Array.from(train), validation: Int32Array.from(validation) };
}
