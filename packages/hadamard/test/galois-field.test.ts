import {
  buildConstruction,
  GaloisField,
  irreduciblePolynomial,
  isPrime,
  isPrimePower,
  primePower,
  type HadamardConstruction,
} from '@fixclf/hadamard/constructions';

/** Coefficients (lowest first) of the element encoded as `value` in base p. */
function coefficients(value: number, p: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(value / p ** i) % p);
}

/** Product of two field elements by schoolbook polynomial multiplication and long division. */
function referenceMul(a: number, b: number, p: number, k: number, modulus: readonly number[]): number {
  const x = coefficients(a, p, k);
  const y = coefficients(b, p, k);
  const prod = new Array<number>(2 * k - 1).fill(0);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) prod[i + j] = (prod[i + j]! + x[i]! * y[j]!) % p;
  for (let d = prod.length - 1; d >= k; d--) {
    const c = prod[d]!;
    for (let j = 0; j <= k; j++) prod[d - k + j] = (((prod[d - k + j]! - c * modulus[j]!) % p) + p) % p;
  }
  return prod.slice(0, k).reduce((acc, c, i) => acc + c * p ** i, 0);
}

describe('primes and prime powers', () => {
  it('agrees with a sieve up to 2000', () => {
    const composite = new Uint8Array(2001);
    for (let i = 2; i * i <= 2000; i++) if (!composite[i]) for (let j = i * i; j <= 2000; j += i) composite[j] = 1;
    for (let n = 0; n <= 2000; n++) expect(isPrime(n)).toBe(n >= 2 && !composite[n]);
  });

  it('factors prime powers and rejects the rest', () => {
    expect(primePower(243)).toEqual({ p: 3, k: 5, q: 243 });
    expect(primePower(1024)).toEqual({ p: 2, k: 10, q: 1024 });
    expect(primePower(1999)).toEqual({ p: 1999, k: 1, q: 1999 });
    expect(primePower(1331)).toEqual({ p: 11, k: 3, q: 1331 });
    expect(primePower(12)).toBeNull();
    expect(primePower(1)).toBeNull();
    expect(isPrimePower(49)).toBe(true);
    expect(isPrimePower(45)).toBe(false);
  });
});

describe('irreduciblePolynomial', () => {
  it.each([
    [2, 2],
    [2, 3],
    [2, 4],
    [3, 2],
    [3, 3],
    [5, 2],
    [7, 2],
    [2, 6],
  ])('GF(%i) degree %i: monic and divisible by no lower-degree monic polynomial', (p, k) => {
    const f = irreduciblePolynomial(p, k);
    expect(f).toHaveLength(k + 1);
    expect(f[k]).toBe(1);
    // Irreducible iff it is not a product g·h of monic polynomials of degrees d and k − d.
    const products = new Set<string>();
    for (let d = 1; d <= k / 2; d++) {
      for (let g = 0; g < p ** d; g++) {
        for (let h = 0; h < p ** (k - d); h++) {
          const gc = [...coefficients(g, p, d), 1];
          const hc = [...coefficients(h, p, k - d), 1];
          const prod = new Array<number>(k + 1).fill(0);
          gc.forEach((x, i) => hc.forEach((y, j) => (prod[i + j] = (prod[i + j]! + x * y) % p)));
          products.add(prod.join(','));
        }
      }
    }
    expect(products.has(f.join(','))).toBe(false);
  });
});

describe('GaloisField', () => {
  it('refuses a field whose tables would not fit, naming q and the limit (not a typed-array length)', () => {
    expect(() => new GaloisField(2 ** 40)).toThrow(
      'GaloisField: the order q = 1099511627776 is too large (its log tables take 12·q bytes); q must be at most 16777216 (2^24)',
    );
  });

  it('buildConstruction names an unknown kind (a recipe read from JSON)', () => {
    expect(() => buildConstruction({ kind: 'nope', order: 4 } as unknown as HadamardConstruction)).toThrow(
      'buildConstruction: unknown kind "nope"; expected one of sylvester, paley-i,',
    );
  });

  it.each([2, 3, 4, 8, 9, 16, 25, 27, 49, 81, 121, 125, 243])('GF(%i) multiplies like polynomials mod the modulus', (q) => {
    const field = new GaloisField(q);
    const { p, k } = field;
    let wrongProducts = 0;
    let wrongSums = 0;
    for (let a = 0; a < q; a++) {
      for (let b = 0; b < q; b++) {
        if (field.mul(a, b) !== referenceMul(a, b, p, k, field.modulus)) wrongProducts++;
        const sum = coefficients(a, p, k).map((c, i) => (c + coefficients(b, p, k)[i]!) % p);
        if (field.add(a, b) !== sum.reduce((acc, c, i) => acc + c * p ** i, 0)) wrongSums++;
      }
    }
    expect([wrongProducts, wrongSums]).toEqual([0, 0]);
  });

  it.each([7, 9, 27, 169, 343, 729, 1331, 1849])('GF(%i): inverses, negation, a primitive element and (q−1)/2 squares', (q) => {
    const field = new GaloisField(q);
    const powers = new Set<number>();
    for (let i = 0; i < q - 1; i++) powers.add(field.exp(i));
    expect(powers.size).toBe(q - 1);
    let squares = 0;
    let failures = 0;
    for (let a = 1; a < q; a++) {
      if (field.mul(a, field.inv(a)) !== 1) failures++;
      if (field.add(a, field.neg(a)) !== 0) failures++;
      if (field.sub(a, a) !== 0) failures++;
      if (field.quadraticCharacter(a) === 1) squares++;
    }
    expect(failures).toBe(0);
    expect(squares).toBe((q - 1) / 2);
    // χ is multiplicative and χ(a²) = 1.
    for (let a = 1; a < q; a += 7) {
      if (field.quadraticCharacter(field.mul(a, a)) !== 1) failures++;
      for (let b = 1; b < q; b += 13) {
        if (field.quadraticCharacter(field.mul(a, b)) !== field.quadraticCharacter(a) * field.quadraticCharacter(b)) failures++;
      }
    }
    expect(failures).toBe(0);
    // χ(−1) = 1 exactly when q ≡ 1 (mod 4).
    expect(field.quadraticCharacter(field.neg(1))).toBe(q % 4 === 1 ? 1 : -1);
  });

  it('rejects orders that are not prime powers, and zero where it has no inverse', () => {
    expect(() => new GaloisField(12)).toThrow(/prime power, got 12/);
    expect(() => new GaloisField(9).inv(0)).toThrow(/zero has no inverse/);
    expect(() => irreduciblePolynomial(4, 2)).toThrow(/p must be prime/);
  });
});
