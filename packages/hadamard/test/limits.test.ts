import {
  HADAMARD_MAX_MATRIX_ORDER,
  HADAMARD_MAX_ORDER,
  HADAMARD_ORDERS_MAX,
  describeHadamardOrder,
  fwht,
  hadamard,
  hadamardOrders,
  hadamardTransform,
  isConstructibleOrder,
  splitHadamardOrder,
  whyNoHadamard,
} from '@fixclf/hadamard';

/** Runs `call`, which must throw; returns the message and how long the call took. */
function timedThrow(call: () => unknown): { message: string; ms: number } {
  const start = performance.now();
  try {
    call();
  } catch (error) {
    return { message: (error as Error).message, ms: performance.now() - start };
  }
  throw new Error('expected the call to throw');
}

// Each of these used to loop forever (or for hours) before failing.
const HUGE = [2 ** 53, 1e20, 1e308, 2 ** 31, HADAMARD_MAX_ORDER + 4];

describe('size limits: oversized arguments fail at once with the value and the limit', () => {
  it.each(HUGE)('hadamard(%d) throws within a second, naming n and the limit 46340', (n) => {
    const { message, ms } = timedThrow(() => hadamard(n));
    expect(ms).toBeLessThan(1000);
    expect(message).toContain(`hadamard(${n})`);
    expect(message).toContain(`${n}×${n} matrix is too large to allocate`);
    expect(message).toContain(`n must be at most ${HADAMARD_MAX_MATRIX_ORDER}`);
  });

  it('hadamard of an order just above the matrix limit points to hadamardTransform', () => {
    // 46340² < 2^31 ≤ 46344²: the limit is the largest multiple of 4 whose matrix stays under 2 GiB.
    expect(HADAMARD_MAX_MATRIX_ORDER ** 2).toBeLessThan(2 ** 31);
    expect((HADAMARD_MAX_MATRIX_ORDER + 4) ** 2).toBeGreaterThan(2 ** 31);
    const { message } = timedThrow(() => hadamard(HADAMARD_MAX_MATRIX_ORDER + 4));
    expect(message).toContain('use hadamardTransform(46344)');
  });

  it('the nearest orders a refusal suggests are ones the same call accepts', () => {
    // hadamard(46340) used to suggest 46344, which hadamard refuses (too large to allocate).
    const suggested = (message: string): number[] =>
      message
        .match(/nearest orders? built here: (\d+)(?: and (\d+))?/)!
        .slice(1)
        .filter(Boolean)
        .map(Number);
    const nearMatrixLimit = suggested(timedThrow(() => hadamard(46340)).message);
    expect(nearMatrixLimit).toEqual([46336]);
    expect(isConstructibleOrder(46336)).toBe(true);
    // hadamardTransform stores its core densely: 400012's neighbours with a core over 46340 used to be suggested.
    const transformed = suggested(timedThrow(() => hadamardTransform(400012)).message);
    expect(transformed).toHaveLength(2);
    for (const n of transformed) {
      expect(splitHadamardOrder(n)!.m).toBeLessThanOrEqual(HADAMARD_MAX_MATRIX_ORDER);
      expect(isConstructibleOrder(n)).toBe(true);
    }
    expect(transformed[0]).toBeLessThan(400012);
    expect(transformed[1]).toBeGreaterThan(400012);
  });

  it.each(HUGE)('whyNoHadamard, describeHadamardOrder and hadamardTransform(%d) answer within a second', (n) => {
    const start = performance.now();
    const why = whyNoHadamard(n);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(why).toContain(`the order ${n} exceeds ${HADAMARD_MAX_ORDER} (2^30)`);
    expect(isConstructibleOrder(n)).toBe(false);
    for (const call of [() => describeHadamardOrder(n), () => hadamardTransform(n)]) {
      const { message, ms } = timedThrow(call);
      expect(ms).toBeLessThan(1000);
      expect(message).toContain(`exceeds ${HADAMARD_MAX_ORDER}`);
    }
  });

  it('orders near the planning limit are planned within a second', () => {
    for (let n = HADAMARD_MAX_ORDER - 40; n <= HADAMARD_MAX_ORDER; n += 4) {
      const start = performance.now();
      whyNoHadamard(n);
      expect(performance.now() - start).toBeLessThan(1000);
    }
    expect(whyNoHadamard(HADAMARD_MAX_ORDER)).toBeNull();
  });

  it.each([1e9, Infinity, HADAMARD_ORDERS_MAX + 1])('hadamardOrders(%d) throws within a second, naming max and the limit', (max) => {
    const { message, ms } = timedThrow(() => hadamardOrders(max));
    expect(ms).toBeLessThan(1000);
    expect(message).toContain('hadamardOrders(max): max must be at most 262144');
    expect(message).toContain(`got ${max}`);
    expect(HADAMARD_ORDERS_MAX).toBe(262144);
  });

  it('hadamardOrders at its limit still lists the orders', () => {
    const orders = hadamardOrders(HADAMARD_ORDERS_MAX);
    expect(orders[orders.length - 1]).toBe(HADAMARD_ORDERS_MAX); // 2^18, Sylvester
  });

  it('hadamardTransform(1e9) names its dense core and the core limit instead of an invalid typed-array length', () => {
    // 1e9 = 2^9·5^9: the largest power of two leaving a multiple-of-4 core is 2^7, core 4·5^9.
    const core = 4 * 5 ** 9;
    expect(core * 2 ** 7).toBe(1e9);
    const { message, ms } = timedThrow(() => hadamardTransform(1e9));
    expect(ms).toBeLessThan(1000);
    expect(message).toContain(`hadamardTransform(1000000000): n = ${core}·2^7 has a dense core of order ${core}`);
    expect(message).toContain(`only up to order ${HADAMARD_MAX_MATRIX_ORDER}`);
    expect(message).not.toMatch(/typed array length/i);
  });

  it('fwht names the 2^30 limit for larger powers of two', () => {
    expect(() => fwht(new Float32Array(0), 2 ** 31)).toThrow('fwht: n must be at most 2^30 = 1073741824, got 2^31 = 2147483648');
  });
});

describe('argument types are named in messages', () => {
  const eight = '8' as unknown as number;

  it('hadamard("8") says it got the string "8", of type string', () => {
    expect(() => hadamard(eight)).toThrow('hadamard(n): the order must be a positive integer, got the string "8" (type string)');
    expect(whyNoHadamard(eight)).toBe('the order must be a positive integer, got the string "8" (type string)');
  });

  it('hadamardTransform, hadamardOrders and fwht name the string type too', () => {
    expect(() => hadamardTransform(eight)).toThrow('got the string "8" (type string)');
    expect(() => hadamardOrders(eight)).toThrow('hadamardOrders(max): max must be a number, got the string "8" (type string)');
    expect(() => fwht(new Float32Array(8), eight)).toThrow('fwht: n must be a power of two, got the string "8" (type string)');
  });

  it('numbers are still shown plainly', () => {
    expect(() => hadamard(2.5)).toThrow('hadamard(2.5): the order must be a positive integer, got 2.5');
  });
});
