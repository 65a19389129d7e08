import {
  hadamard,
  HADAMARD_MAX_MATRIX_ORDER,
  HADAMARD_ORDERS_MAX,
  hadamardOrders,
  isConstructibleOrder,
  splitHadamardOrder,
} from '@fixclf/hadamard';
import { buildProjection, maxAbsCosine, type MatrixKind } from '../src';
import { coherence, gram, maxGramError, referenceProjection, sylvesterEntry } from './reference';

const identity = (i: number, j: number) => (i === j ? 1 : 0);

describe('hadamard projection', () => {
  it.each([
    [64, 10],
    [256, 100],
    [512, 512],
    [2048, 1000],
  ])('equals the reference H[:C, :N]ᵀ/√N for N = %i, C = %i (a power of two)', (n, c) => {
    const p = buildProjection('hadamard', n, c);
    const ref = referenceProjection(n, c);
    let worst = 0;
    for (let i = 0; i < p.matrix.length; i++) worst = Math.max(worst, Math.abs(p.matrix[i]! - ref[i]!));
    expect(worst).toBe(0);
  });

  it.each([
    [7, 3],
    [11, 10],
    [12, 12],
    [100, 10],
    [342, 100],
    [640, 100],
    [1000, 1000],
  ])('has exactly orthonormal columns for N = %i, C = %i, where the reference truncation does not', (n, c) => {
    const p = buildProjection('hadamard', n, c);
    expect(maxGramError(gram(p.matrix, n, c), c, identity)).toBeLessThan(1e-12);
    expect(p.warning).toBeNull();
  });

  it('is not orthogonal in the reference truncation for N = 342, C = 100 (the flaw it fixes)', () => {
    expect(coherence(referenceProjection(342, 100), 342, 100)).toBeGreaterThan(0.1);
  });

  /** How many leading features P uses (rows with a nonzero entry), and the largest Gram error from I. */
  const usedAndGram = (n: number, c: number): { used: number; gramError: number } => {
    const p = buildProjection('hadamard', n, c).matrix;
    let used = 0;
    for (let k = 0; k < n; k++) if (p.subarray(k * c, (k + 1) * c).some((v) => v !== 0)) used = k + 1;
    return { used, gramError: maxGramError(gram(p, n, c), c, identity) };
  };

  it.each([1028, 25_088, 50_176])('keeps the order it always took where that order can be built (N = %i)', (n) => {
    // A saved model's P is rebuilt from its config when loaded: the order for a size that worked must not move.
    expect(usedAndGram(n, 10)).toEqual({ used: Math.max(...hadamardOrders(n)), gramError: expect.any(Number) });
  });

  it.each([46_348, 300_000])('builds N = %i, whose largest order has a core too large to build or lies past the order search', (n) => {
    if (n <= HADAMARD_ORDERS_MAX) expect(splitHadamardOrder(Math.max(...hadamardOrders(n)))!.m).toBeGreaterThan(HADAMARD_MAX_MATRIX_ORDER);
    const { used, gramError } = usedAndGram(n, 10);
    expect(isConstructibleOrder(used)).toBe(true);
    expect(splitHadamardOrder(used)!.m).toBeLessThanOrEqual(1024);
    expect(used).toBeLessThanOrEqual(n);
    expect(used).toBeGreaterThan(0.99 * n);
    expect(gramError).toBeLessThan(1e-10);
  });

  it('uses the largest constructible order ≤ N and ignores only the features beyond it', () => {
    const n = 342;
    const order = Math.max(...hadamardOrders(n).filter((o) => o >= 100));
    const p = buildProjection('hadamard', n, 100);
    for (let k = 0; k < n; k++) {
      let rowNorm = 0;
      for (let c = 0; c < 100; c++) rowNorm += p.matrix[k * 100 + c]! ** 2;
      if (k < order) expect(rowNorm).toBeGreaterThan(0);
      else expect(rowNorm).toBe(0);
    }
  });

  it.each([
    [64, 100],
    [960, 1000],
    [100, 300],
    [512, 1000],
  ])('keeps classes no more coherent than the reference for N = %i < C = %i (not orthogonal)', (n, c) => {
    const p = buildProjection('hadamard', n, c);
    const ours = coherence(p.matrix, n, c);
    const reference = coherence(referenceProjection(n, c), n, c);
    expect(ours).toBeLessThanOrEqual(reference + 1e-12);
    expect(maxAbsCosine(p.matrix, n, c)).toBeCloseTo(ours, 12);
    expect(p.warning).toMatch(/cannot be orthogonal/);
    // The candidates' coherences, computed on packed bits, agree with the direct computation.
    const [, chosen, truncated] = /between classes ([\d.]+) \(reference truncation of order \d+: ([\d.]+)\)/.exec(p.warning!)!;
    expect(Number(chosen)).toBeCloseTo(ours, 3);
    expect(Number(truncated)).toBeCloseTo(reference, 3);
    for (let col = 0; col < c; col++) {
      let norm = 0;
      for (let k = 0; k < n; k++) norm += p.matrix[k * c + col]! ** 2;
      expect(norm).toBeCloseTo(1, 12);
    }
  });

  it('takes its classes from the rows of hadamard(order) when C > N, entry by entry', () => {
    // Entries come from the core and the Sylvester formula, not the order² matrix: compare with it.
    for (const [n, c] of [
      [342, 1000],
      [100, 300],
      [64, 1500],
    ] as const) {
      const p = buildProjection('hadamard', n, c);
      const order = Number(/using Hadamard order (\d+)/.exec(p.warning!)![1]);
      const h = hadamard(order);
      let wrong = 0;
      for (let k = 0; k < n; k++)
        for (let col = 0; col < c; col++) if (p.matrix[k * c + col]! * Math.sqrt(n) !== h[col * order + k]) wrong++;
      expect(wrong).toBe(0);
    }
  });

  it('builds a head of 21,841 classes (ImageNet-21k) on 2048 features in seconds, by a fast transform', () => {
    // Comparing every pair of classes of both candidate orders took minutes; 10,000 classes on 64
    // features never finished. Now a random sample of classes is compared, and P is not built.
    const start = performance.now();
    const p = buildProjection('hadamard', 2048, 21841);
    expect(performance.now() - start).toBeLessThan(20_000); // 0.46 s in Node, 4 s in Jest's sandbox
    expect(p.fast).not.toBeNull();
    expect(p.warning).toMatch(
      /cannot be orthogonal; using Hadamard order \d+, max \|cos\| between classes 0\.\d+ \(reference truncation of order 32768: 1\.0000\) among \d+ of the classes drawn at random\./,
    );
    const order = p.fast!.order;
    expect(order).toBeGreaterThanOrEqual(21841);
    expect(order).toBeLessThan(32768);
  });

  it('has ±1/√n entries, so the product needs only additions and one scaling', () => {
    const p = buildProjection('hadamard', 128, 10);
    const s = 1 / Math.sqrt(128);
    for (const v of p.matrix) expect(Math.abs(Math.abs(v) - s)).toBeLessThan(1e-15);
    expect(p.fast?.order).toBe(128);
  });

  it('matches the Sylvester formula entry by entry for a small case', () => {
    const p = buildProjection('hadamard', 8, 8);
    for (let k = 0; k < 8; k++)
      for (let c = 0; c < 8; c++) expect(p.matrix[k * 8 + c]).toBeCloseTo(sylvesterEntry(c, k) / Math.sqrt(8), 15);
  });
});

describe('orthogonal projection', () => {
  it.each([
    [64, 10],
    [37, 37],
    [300, 100],
  ])('has orthonormal columns for N = %i, C = %i', (n, c) => {
    const p = buildProjection('orthogonal', n, c, 7);
    expect(maxGramError(gram(p.matrix, n, c), c, identity)).toBeLessThan(1e-10);
  });

  it('is a pure function of its seed', () => {
    const a = buildProjection('orthogonal', 20, 5, 1).matrix;
    const b = buildProjection('orthogonal', 20, 5, 1).matrix;
    const c = buildProjection('orthogonal', 20, 5, 2).matrix;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('has unit-norm class vectors and warns when C > N', () => {
    const p = buildProjection('orthogonal', 8, 20, 3);
    const g = gram(p.matrix, 8, 20);
    for (let i = 0; i < 20; i++) expect(g[i * 20 + i]).toBeCloseTo(1, 12);
    expect(p.warning).toMatch(/cannot be orthogonal/);
  });
});

describe('regular polytopes', () => {
  it.each([
    [64, 10],
    [9, 10],
    [100, 100],
  ])('simplex: every pair at cos −1/(C−1) (N = %i, C = %i)', (n, c) => {
    const p = buildProjection('simplex', n, c);
    expect(maxGramError(gram(p.matrix, n, c), c, (i, j) => (i === j ? 1 : -1 / (c - 1)))).toBeLessThan(1e-12);
  });

  it.each([
    [64, 10],
    [5, 10],
    [16, 7],
  ])('orthoplex: classes 2i, 2i+1 opposite, all others orthogonal (N = %i, C = %i)', (n, c) => {
    const p = buildProjection('orthoplex', n, c);
    const target = (i: number, j: number) => (i === j ? 1 : i >> 1 === j >> 1 ? -1 : 0);
    expect(maxGramError(gram(p.matrix, n, c), c, target)).toBeLessThan(1e-12);
  });

  it.each([
    [64, 10],
    [4, 10],
    [10, 1000],
  ])('cube: cos = 1 − 2·hamming/d between vertices (N = %i, C = %i)', (n, c) => {
    const d = Math.ceil(Math.log2(c));
    const p = buildProjection('cube', n, c);
    const hamming = (a: number, b: number) => {
      let v = a ^ b;
      let h = 0;
      for (; v; v &= v - 1) h++;
      return h;
    };
    expect(maxGramError(gram(p.matrix, n, c), c, (i, j) => 1 - (2 * hamming(i, j)) / d)).toBeLessThan(1e-12);
  });

  it.each<[MatrixKind, number, number, RegExp]>([
    ['simplex', 10, 12, /simplex of 12 classes needs 11 dimensions \(units − 1\), but the input has only 10 features/],
    ['orthoplex', 4, 10, /orthoplex of 10 classes needs 5 dimensions .* only 4 features/],
    ['cube', 3, 10, /cube of 10 classes needs 4 dimensions .* only 3 features/],
  ])('%s that does not fit is refused with a clear error', (kind, n, c, message) => {
    expect(() => buildProjection(kind, n, c)).toThrow(message);
  });
});

describe('buildProjection arguments', () => {
  it('rejects an unknown matrix kind, naming the choices', () => {
    expect(() => buildProjection('random' as MatrixKind, 8, 2)).toThrow(
      "unknown matrix 'random'; expected one of hadamard, orthogonal, simplex, orthoplex, cube",
    );
  });
  it.each([
    [0, 2, /inputDim must be a positive integer, got 0/],
    [8, 2.5, /units must be a positive integer, got 2.5/],
  ])('rejects inputDim %p, units %p', (n, c, message) => {
    expect(() => buildProjection('hadamard', n, c)).toThrow(message);
  });
});
