import { pairedComparison, pairedTable } from '../src/report/paired';

/** Two masks with the given cells: both right, first only, second only, both wrong (shuffled together). */
function masks(bothRight: number, onlyFirst: number, onlySecond: number, bothWrong: number): [Uint8Array, Uint8Array] {
  const pairs: [number, number][] = [
    ...Array.from({ length: bothRight }, () => [1, 1] as [number, number]),
    ...Array.from({ length: onlyFirst }, () => [1, 0] as [number, number]),
    ...Array.from({ length: onlySecond }, () => [0, 1] as [number, number]),
    ...Array.from({ length: bothWrong }, () => [0, 0] as [number, number]),
  ];
  // A seeded shuffle (Fisher–Yates on a linear congruential generator), so the cells do not come in blocks.
  let state = 12345;
  for (let i = pairs.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
  }
  return [Uint8Array.from(pairs, (p) => p[0]), Uint8Array.from(pairs, (p) => p[1])];
}

/** The exact two-sided McNemar p-value in integers: 2·Σ_{i≤min(b,c)} C(b+c, i) / 2^(b+c), capped at 1. */
function exactReference(b: number, c: number): number {
  const n = BigInt(b + c);
  let term = 1n; // C(n, 0)
  let sum = 0n;
  for (let i = 0n; i <= BigInt(Math.min(b, c)); i++) {
    if (i > 0n) term = (term * (n - i + 1n)) / i;
    sum += term;
  }
  // 2·sum / 2^n as a double, kept exact until the last division (with 60 bits of headroom).
  const scaled = (2n * sum * (1n << 60n)) / (1n << n);
  return Math.min(1, Number(scaled) / 2 ** 60);
}

describe('pairedComparison', () => {
  it('counts the four cells and the difference between the two accuracies', () => {
    const [a, b] = masks(40, 7, 3, 10);
    const r = pairedComparison(a, b);
    expect(r).toMatchObject({ count: 60, bothRight: 40, onlyFirst: 7, onlySecond: 3, bothWrong: 10 });
    const accuracy = (m: Uint8Array) => (100 * m.reduce((s, v) => s + v, 0)) / m.length;
    expect(r.difference).toBeCloseTo(accuracy(a) - accuracy(b), 12);
  });

  it.each([
    [0, 5],
    [3, 3],
    [7, 3],
    [12, 30],
    [150, 110],
    [600, 700],
  ])("gives McNemar's exact p for %i against %i discordant images", (b, c) => {
    const [x, y] = masks(500, b, c, 100);
    expect(pairedComparison(x, y).pValue).toBeCloseTo(exactReference(b, c), 10);
  });

  it('keeps p exact where ½^n underflows a double (over 1,074 discordant images)', () => {
    const [x, y] = masks(0, 800, 1000, 0);
    const p = pairedComparison(x, y).pValue;
    expect(p).toBeGreaterThan(0);
    expect(p / exactReference(800, 1000)).toBeCloseTo(1, 6);
  });

  it('gives the Wald interval of a paired difference', () => {
    const [x, y] = masks(4300, 160, 120, 420);
    const r = pairedComparison(x, y);
    const n = 5000;
    const se = Math.sqrt(160 + 120 - (160 - 120) ** 2 / n) / n;
    expect(r.interval[0]).toBeCloseTo(100 * ((160 - 120) / n - 1.96 * se), 10);
    expect(r.interval[1]).toBeCloseTo(100 * ((160 - 120) / n + 1.96 * se), 10);
  });

  it('finds identical predictions equal (p = 1), and refuses masks of different lengths', () => {
    const [x] = masks(30, 0, 0, 5);
    expect(pairedComparison(x, x)).toMatchObject({ difference: 0, interval: [0, 0], pValue: 1 });
    expect(() => pairedComparison(x, x.subarray(1))).toThrow('the runs scored 35 and 34 images; they must score the same ones.');
  });
});

describe('pairedTable', () => {
  it('writes one row with the cells, the signed difference, its interval and p', () => {
    const [x, y] = masks(4300, 160, 120, 420);
    const lines = pairedTable('resnet56-learned', 'resnet56-hadamard', 'validation', pairedComparison(x, y)).split('\n');
    expect(lines[0]).toBe('Paired on the same 5,000 validation images (first: resnet56-learned, second: resnet56-hadamard):');
    expect(lines[4]).toMatch(/^\| 4,300 \| 160 \| 120 \| 420 \| \+0\.80 % \| \+0\.1\d to \+1\.4\d % \| 0\.0\d+ \|$/);
  });
});
