/**
 * Two models scored on the same images, image by image: where they agree and where they differ, the
 * difference of their accuracies with its 95 % interval, and the exact McNemar test of "both are equally
 * accurate". The images both classify right or both wrong say nothing about which is better, so this
 * is far more sensitive than comparing the two accuracies as if they came from different images.
 */
export interface PairedResult {
  /** Images scored. */
  count: number;
  bothRight: number;
  /** Right by the first model only. */
  onlyFirst: number;
  /** Right by the second model only. */
  onlySecond: number;
  bothWrong: number;
  /** First minus second top-1 accuracy, percentage points. */
  difference: number;
  /** 95 % interval of the difference (Wald interval for paired proportions), percentage points. */
  interval: [number, number];
  /** Two-sided exact McNemar p-value: the discordant images as fair coin flips. */
  pValue: number;
}

/** Compares two per-image top-1 masks (1 = right) over the same images in the same order. */
export function pairedComparison(first: Uint8Array, second: Uint8Array): PairedResult {
  if (first.length !== second.length) {
    throw new Error(`paired comparison: the runs scored ${first.length} and ${second.length} images; they must score the same ones.`);
  }
  const count = first.length;
  let bothRight = 0;
  let onlyFirst = 0;
  let onlySecond = 0;
  for (let i = 0; i < count; i++) {
    if (first[i] && second[i]) bothRight++;
    else if (first[i]) onlyFirst++;
    else if (second[i]) onlySecond++;
  }
  const n = Math.max(1, count);
  const difference = (100 * (onlyFirst - onlySecond)) / n;
  const se = (100 * Math.sqrt(Math.max(0, onlyFirst + onlySecond - (onlyFirst - onlySecond) ** 2 / n))) / n;
  return {
    count,
    bothRight,
    onlyFirst,
    onlySecond,
    bothWrong: count - bothRight - onlyFirst - onlySecond,
    difference,
    interval: [difference - 1.96 * se, difference + 1.96 * se],
    pValue: exactMcNemar(onlyFirst, onlySecond),
  };
}

/**
 * min(1, 2·P(X ≤ min(b, c))) for X ~ Binomial(b + c, ½), summed in log space: ½^n underflows a double
 * beyond n = 1,074 discordant images.
 */
function exactMcNemar(b: number, c: number): number {
  const n = b + c;
  const k = Math.min(b, c);
  if (n === 0) return 1;
  // log P(X = i), from log P(X = 0) = −n·ln 2 and C(n, i) = C(n, i − 1)·(n − i + 1)/i.
  const logs = [-n * Math.LN2];
  for (let i = 1; i <= k; i++) logs.push(logs[i - 1]! + Math.log((n - i + 1) / i));
  const top = logs[k]!; // the terms grow up to i = n/2 ≥ k: the last is the largest
  const sum = logs.reduce((s, l) => s + Math.exp(l - top), 0);
  return Math.min(1, 2 * Math.exp(top) * sum);
}

const count = (v: number) => v.toLocaleString('en-US');
const points = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;

/** One Markdown row: the four cells of the paired table, the difference with its interval, and p. */
export function pairedTable(firstLabel: string, secondLabel: string, split: string, r: PairedResult): string {
  const p = r.pValue < 1e-4 ? r.pValue.toExponential(1) : r.pValue.toPrecision(2);
  return [
    `Paired on the same ${count(r.count)} ${split} images (first: ${firstLabel}, second: ${secondLabel}):`,
    '',
    '| both right | first only | second only | both wrong | first − second | 95 % interval | McNemar p |',
    '|---|---|---|---|---|---|---|',
    `| ${count(r.bothRight)} | ${count(r.onlyFirst)} | ${count(r.onlySecond)} | ${count(r.bothWrong)} | ` +
      `${points(r.difference)} % | ${points(r.interval[0])} to ${points(r.interval[1])} % | ${p} |`,
  ].join('\n');
}
