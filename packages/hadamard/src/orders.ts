/**
 * Which orders this library can build, and how: the planner behind `hadamard`,
 * `hadamardOrders` and `hadamardTransform`. Planning is pure arithmetic on orders.
 *
 * Every order n is split as n = m·2^k with k as large as possible such that the "core" m
 * has a direct construction (or m = 1); the matrix is then hadamard(m) ⊗ Sylvester(2^k),
 * which is also exactly what the fast transform multiplies by.
 */
import type { HadamardConstruction } from './construction';
import { hasSupplementaryDifferenceSets } from './difference-sets';
import { primePower } from './galois-field';
import { HADAMARD_MAX_ORDER, HADAMARD_ORDERS_MAX, describeValue } from './limits';
import { isMiyamotoParameter } from './miyamoto';
import { hasTMatrices } from './t-matrices';
import { hasWilliamsonMatrices, williamsonOrders } from './williamson';

/**
 * The multiples of 4 up to 2000 for which no Hadamard matrix is known (the Hadamard
 * conjecture says one exists for every multiple of 4). Sources: R. Craigen & H. Kharaghani,
 * "Hadamard matrices and Hadamard designs", Handbook of Combinatorial Designs (2nd ed., 2007),
 * V.1, lists these thirteen with 764; D. Ž. Đoković, "Hadamard matrices of order 764 exist",
 * Combinatorica 28 (2008), removed 764; the twelve are still open in Đoković, Golubitsky &
 * Kotsireas, "Some new orders of Hadamard and skew-Hadamard matrices", J. Combin. Des. 22 (2014).
 */
export const OPEN_HADAMARD_ORDERS: readonly number[] = Object.freeze([668, 716, 892, 1132, 1244, 1388, 1436, 1676, 1772, 1916, 1948, 1964]);

/** The bound up to which {@link OPEN_HADAMARD_ORDERS} is complete. */
export const OPEN_HADAMARD_ORDERS_BOUND = 2000;

/** The number of orders n ≤ 2000, n ≡ 0 (mod 4), for which a Hadamard matrix is known. */
export const KNOWN_HADAMARD_ORDERS_UP_TO_2000 = 500 - OPEN_HADAMARD_ORDERS.length;

/** The factorisation n = m·2^k the library uses for order n (see the module comment). */
export interface HadamardSplit {
  readonly n: number;
  /** The core order: 1, or an order ≥ 4 built directly (not by doubling). */
  readonly m: number;
  /** The exponent of the Sylvester factor 2^k. */
  readonly k: number;
}

/** Planned direct constructions of core orders; small objects, bounded below. */
const coreCache = new Map<number, HadamardConstruction | null>();
const CORE_CACHE_LIMIT = 1 << 16;

function sylvesterConstruction(order: number): HadamardConstruction {
  return { kind: 'sylvester', order };
}

function largestPowerOfTwoExponent(n: number): number {
  let k = 0;
  while (n % 2 ** (k + 1) === 0) k++;
  return k;
}

/** True when n is 1, 2 or a multiple of 4: the only possible orders of a Hadamard matrix. */
export function isPossibleHadamardOrder(n: number): boolean {
  return Number.isInteger(n) && (n === 1 || n === 2 || (n >= 4 && n % 4 === 0));
}

/**
 * The factorisation n = m·2^k with the largest k whose core m this library can build,
 * or null when it cannot build order n (also for n above HADAMARD_MAX_ORDER = 2^30).
 */
export function splitHadamardOrder(n: number): HadamardSplit | null {
  // Beyond the limit the search for a core could run for minutes.
  if (!isPossibleHadamardOrder(n) || n > HADAMARD_MAX_ORDER) return null;
  for (let k = largestPowerOfTwoExponent(n); k >= 0; k--) {
    const m = n / 2 ** k;
    if (m === 1) return { n, m, k };
    if (m % 4 === 0 && coreConstruction(m) !== null) return { n, m, k };
  }
  return null;
}

/** True when this library can build a Hadamard matrix of order n. */
export function isConstructibleOrder(n: number): boolean {
  return splitHadamardOrder(n) !== null;
}

/** The full recipe for hadamard(n), or null when this library cannot build order n. */
export function hadamardConstruction(n: number): HadamardConstruction | null {
  const split = splitHadamardOrder(n);
  if (split === null) return null;
  if (split.m === 1) return sylvesterConstruction(n);
  const core = coreConstruction(split.m)!;
  return split.k === 0 ? core : { kind: 'kronecker', order: n, left: core, right: sylvesterConstruction(2 ** split.k) };
}

/**
 * Every order ≤ max that this library constructs, ascending (1 and 2 included).
 * @throws RangeError when max is not a number or exceeds HADAMARD_ORDERS_MAX (2^18).
 */
export function hadamardOrders(max: number): number[] {
  if (typeof max !== 'number' || Number.isNaN(max)) {
    throw new RangeError(`hadamardOrders(max): max must be a number, got ${describeValue(max)}`);
  }
  // The search plans every multiple of 4 up to max: checked first, so a huge max fails at once.
  if (max > HADAMARD_ORDERS_MAX) {
    throw new RangeError(
      `hadamardOrders(max): max must be at most ${HADAMARD_ORDERS_MAX} (2^18, the largest bound the order search supports), ` +
        `got ${max}; check single orders up to 2^30 with isConstructibleOrder(n) or splitHadamardOrder(n)`,
    );
  }
  const orders: number[] = [];
  if (max >= 1) orders.push(1);
  if (max >= 2) orders.push(2);
  for (let n = 4; n <= max; n += 4) if (isConstructibleOrder(n)) orders.push(n);
  return orders;
}

/**
 * A direct construction of the core order m (a multiple of 4), trying the constructions in
 * order of simplicity; null when none applies. Results are memoised (a few bytes per order).
 */
export function coreConstruction(m: number): HadamardConstruction | null {
  const cached = coreCache.get(m);
  if (cached !== undefined) return cached;
  if (coreCache.size >= CORE_CACHE_LIMIT) coreCache.clear();
  const found =
    paleyI(m) ??
    paleyII(m) ??
    williamson(m) ??
    differenceSets(m) ??
    baumertHall(m) ??
    miyamotoConstruction(m) ??
    kroneckerProduct(m) ??
    halfProduct(m);
  coreCache.set(m, found);
  return found;
}

function paleyI(m: number): HadamardConstruction | null {
  const q = m - 1;
  return q % 4 === 3 && primePower(q) !== null ? { kind: 'paley-i', order: m, q } : null;
}

function paleyII(m: number): HadamardConstruction | null {
  if (m % 8 !== 4) return null;
  const q = m / 2 - 1;
  return q % 4 === 1 && primePower(q) !== null ? { kind: 'paley-ii', order: m, q } : null;
}

function williamson(m: number): HadamardConstruction | null {
  return hasWilliamsonMatrices(m / 4) ? { kind: 'williamson', order: m, w: m / 4 } : null;
}

function differenceSets(m: number): HadamardConstruction | null {
  return hasSupplementaryDifferenceSets(m / 4) ? { kind: 'difference-sets', order: m, v: m / 4 } : null;
}

/**
 * m = 4·t·w with T-matrices of order t and Williamson matrices of order w (w = 1 allowed:
 * then it is the Goethals–Seidel array of the T-matrices); the smallest tabulated w first.
 */
function baumertHall(m: number): HadamardConstruction | null {
  const tw = m / 4;
  for (const w of williamsonOrders()) {
    if (w > tw / 2) break;
    if (tw % w === 0 && hasTMatrices(tw / w)) return { kind: 'baumert-hall', order: m, t: tw / w, w };
  }
  return null;
}

/** m = 4q, q a prime power ≡ 1 (mod 4), with a Hadamard matrix of order q − 1. */
function miyamotoConstruction(m: number): HadamardConstruction | null {
  const q = m / 4;
  if (!isMiyamotoParameter(q)) return null;
  const inner = hadamardConstruction(q - 1);
  return inner === null ? null : { kind: 'miyamoto', order: m, q, inner };
}

/** m = a·b with both factors constructible orders ≥ 4; the most balanced split wins. */
function kroneckerProduct(m: number): HadamardConstruction | null {
  for (let a = Math.floor(Math.sqrt(m) / 4) * 4; a >= 4; a -= 4) {
    if (m % a !== 0) continue;
    const b = m / a;
    const left = hadamardConstruction(a);
    const right = b % 4 === 0 ? hadamardConstruction(b) : null;
    if (left !== null && right !== null) return { kind: 'kronecker', order: m, left, right };
  }
  return null;
}

/** m = a·b/2 with both factors constructible orders ≥ 4 (Agaian / Craigen–Seberry–Zhang). */
function halfProduct(m: number): HadamardConstruction | null {
  const product = 2 * m;
  for (let a = Math.floor(Math.sqrt(product) / 4) * 4; a >= 4; a -= 4) {
    if (product % a !== 0) continue;
    const b = product / a;
    if (b % 4 !== 0) continue;
    const left = hadamardConstruction(a);
    const right = left === null ? null : hadamardConstruction(b);
    if (left !== null && right !== null) return { kind: 'half-product', order: m, left, right };
  }
  return null;
}
