/**
 * Finite fields GF(p^k) for the prime powers Paley-type constructions need.
 *
 * An element is encoded as an integer in [0, q): its base-p digits are the coefficients
 * c0, c1, …, c(k-1) of the polynomial c0 + c1·x + … reduced modulo a monic irreducible
 * polynomial of degree k over GF(p). Multiplication goes through logarithm tables built
 * from a primitive element, so every operation after construction is O(k) or O(1).
 */

/** A prime power q = p^k. */
export interface PrimePower {
  readonly p: number;
  readonly k: number;
  readonly q: number;
}

/** True when `n` is a prime number (trial division; fine for the sizes used here). */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/** Writes `q` as p^k with p prime, or returns null when `q` is not a prime power. */
export function primePower(q: number): PrimePower | null {
  if (!Number.isInteger(q) || q < 2) return null;
  let p = 0;
  for (let d = 2; d * d <= q; d++) {
    if (q % d === 0) {
      p = d;
      break;
    }
  }
  if (p === 0) return { p: q, k: 1, q };
  let rest = q;
  let k = 0;
  while (rest % p === 0) {
    rest /= p;
    k++;
  }
  return rest === 1 ? { p, k, q } : null;
}

/** True when `q` is a prime power p^k (k ≥ 1). */
export function isPrimePower(q: number): boolean {
  return primePower(q) !== null;
}

// ---- polynomials over GF(p) as coefficient arrays, lowest degree first ----

function trim(a: number[]): number[] {
  let len = a.length;
  while (len > 0 && a[len - 1] === 0) len--;
  return a.slice(0, len);
}

/** Remainder of a modulo the monic polynomial m, coefficients mod p. */
function polyMod(a: readonly number[], m: readonly number[], p: number): number[] {
  const r = a.slice();
  const dm = m.length - 1;
  for (let i = r.length - 1; i >= dm; i--) {
    const c = r[i]!;
    if (c === 0) continue;
    for (let j = 0; j <= dm; j++) {
      r[i - dm + j] = (((r[i - dm + j]! - c * m[j]!) % p) + p) % p;
    }
  }
  return trim(r.slice(0, dm));
}

function polyMul(a: readonly number[], b: readonly number[], p: number): number[] {
  if (a.length === 0 || b.length === 0) return [];
  const r = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) r[i + j] = (r[i + j]! + a[i]! * b[j]!) % p;
  }
  return r;
}

function digits(value: number, p: number, k: number): number[] {
  const d: number[] = [];
  let v = value;
  for (let i = 0; i < k; i++) {
    d.push(v % p);
    v = Math.floor(v / p);
  }
  return d;
}

function encode(poly: readonly number[], p: number): number {
  let v = 0;
  for (let i = poly.length - 1; i >= 0; i--) v = v * p + poly[i]!;
  return v;
}

/** Monic polynomial of degree `degree` whose lower coefficients are the base-p digits of `code`. */
function monic(code: number, p: number, degree: number): number[] {
  return [...digits(code, p, degree), 1];
}

/**
 * The first monic irreducible polynomial of degree `k` over GF(p), in the order of the
 * base-p encoding of its lower coefficients (found by trial division by every monic
 * polynomial of degree ≤ k/2). Returned lowest degree first, leading 1 included.
 */
export function irreduciblePolynomial(p: number, k: number): number[] {
  if (!isPrime(p)) throw new RangeError(`irreduciblePolynomial: p must be prime, got ${p}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`irreduciblePolynomial: k must be a positive integer, got ${k}`);
  if (k === 1) return [0, 1];
  const candidates = p ** k;
  for (let code = 0; code < candidates; code++) {
    const f = monic(code, p, k);
    if (f[0] === 0) continue; // divisible by x
    let reducible = false;
    for (let d = 1; d <= k >> 1 && !reducible; d++) {
      const divisors = p ** d;
      for (let g = 0; g < divisors; g++) {
        if (polyMod(f, monic(g, p, d), p).length === 0) {
          reducible = true;
          break;
        }
      }
    }
    if (!reducible) return f;
  }
  throw new Error(`no irreducible polynomial of degree ${k} over GF(${p}) found`); // unreachable: one always exists
}

/** The largest field GaloisField builds. */
export const GALOIS_FIELD_MAX_ORDER = 2 ** 24;

/** The finite field with q = p^k elements. */
export class GaloisField {
  readonly p: number;
  readonly k: number;
  readonly q: number;
  /** The monic irreducible polynomial defining the field, lowest degree first. */
  readonly modulus: readonly number[];
  /** exp[i] = g^i for the primitive element g, i in [0, 2(q-1)) so products of logs need no reduction. */
  private readonly expTable: Int32Array;
  /** log[a] for a ≠ 0; log[0] is unused. */
  private readonly logTable: Int32Array;

  constructor(q: number) {
    // The log tables take 12·q bytes: 200 MB at the limit, far above any order a Hadamard matrix here needs.
    if (q > GALOIS_FIELD_MAX_ORDER) {
      throw new RangeError(
        `GaloisField: the order q = ${q} is too large (its log tables take 12·q bytes); q must be at most ${GALOIS_FIELD_MAX_ORDER} (2^24)`,
      );
    }
    const pp = primePower(q);
    if (pp === null) throw new RangeError(`GaloisField: the order q must be a prime power, got ${String(q)}`);
    this.p = pp.p;
    this.k = pp.k;
    this.q = q;
    this.modulus = irreduciblePolynomial(pp.p, pp.k);
    this.expTable = new Int32Array(2 * (q - 1));
    this.logTable = new Int32Array(q);
    this.buildLogTables();
  }

  /** Multiplication by polynomial arithmetic; used only while the log tables are built. */
  private slowMul(a: number, b: number): number {
    const { p, k } = this;
    if (k === 1) return (a * b) % p;
    return encode(polyMod(polyMul(digits(a, p, k), digits(b, p, k), p), this.modulus, p), p);
  }

  private buildLogTables(): void {
    const { q } = this;
    if (q === 2) {
      this.expTable.fill(1);
      this.logTable[1] = 0;
      return;
    }
    for (let g = 2; g < q; g++) {
      // g is primitive when its powers g^0 … g^(q-2) are all distinct (order exactly q-1).
      let x = 1;
      let order = 0;
      do {
        this.expTable[order] = x;
        x = this.slowMul(x, g);
        order++;
      } while (x !== 1 && order < q);
      if (order === q - 1) {
        for (let i = 0; i < q - 1; i++) {
          this.logTable[this.expTable[i]!] = i;
          this.expTable[i + q - 1] = this.expTable[i]!;
        }
        return;
      }
    }
    throw new Error(`GaloisField(${q}): no primitive element found`); // unreachable: GF(q)* is cyclic
  }

  /** The primitive element g used for the logarithm tables. */
  get primitiveElement(): number {
    return this.q === 2 ? 1 : this.expTable[1]!;
  }

  add(a: number, b: number): number {
    const { p, k } = this;
    if (k === 1) return (a + b) % p;
    if (p === 2) return a ^ b;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < k; i++) {
      result += (((a % p) + (b % p)) % p) * scale;
      a = Math.floor(a / p);
      b = Math.floor(b / p);
      scale *= p;
    }
    return result;
  }

  neg(a: number): number {
    const { p, k } = this;
    if (k === 1) return (p - a) % p;
    if (p === 2) return a;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < k; i++) {
      result += ((p - (a % p)) % p) * scale;
      a = Math.floor(a / p);
      scale *= p;
    }
    return result;
  }

  sub(a: number, b: number): number {
    return this.add(a, this.neg(b));
  }

  mul(a: number, b: number): number {
    if (a === 0 || b === 0) return 0;
    return this.expTable[this.logTable[a]! + this.logTable[b]!]!;
  }

  inv(a: number): number {
    if (a === 0) throw new RangeError('GaloisField.inv: zero has no inverse');
    return this.expTable[(this.q - 1 - this.logTable[a]!) % (this.q - 1)]!;
  }

  /** g^i for the primitive element g (any integer i). */
  exp(i: number): number {
    const n = this.q - 1;
    return this.expTable[((i % n) + n) % n]!;
  }

  /** The discrete logarithm of a ≠ 0 to the base of the primitive element. */
  log(a: number): number {
    if (a === 0) throw new RangeError('GaloisField.log: zero has no logarithm');
    return this.logTable[a]!;
  }

  /** The quadratic character: 0 for 0, 1 for a non-zero square, -1 otherwise (q odd). */
  quadraticCharacter(a: number): -1 | 0 | 1 {
    if (a === 0) return 0;
    if (this.p === 2) return 1;
    return (this.logTable[a]! & 1) === 0 ? 1 : -1;
  }

  /** The quadratic character of every element, indexed by the element's encoding. */
  quadraticCharacters(): Int8Array {
    const chi = new Int8Array(this.q);
    for (let a = 1; a < this.q; a++) chi[a] = this.quadraticCharacter(a);
    return chi;
  }
}
