/**
 * Paley's constructions (R. E. A. C. Paley, "On orthogonal matrices", J. Math. Phys. 12, 1933)
 * from the quadratic character χ of GF(q), q an odd prime power:
 * - Paley I, q ≡ 3 (mod 4): a Hadamard matrix of order q + 1;
 * - Paley II, q ≡ 1 (mod 4): a Hadamard matrix of order 2(q + 1).
 */
import { hadamardFromSkewConference, hadamardFromSymmetricConference } from './conference';
import { GaloisField, primePower } from './galois-field';

function checkPaleyOrder(q: number, residue: 1 | 3, name: string): void {
  const pp = primePower(q);
  if (pp === null || pp.p === 2 || q % 4 !== residue) {
    throw new RangeError(`${name}: q must be a prime power ≡ ${residue} (mod 4), got ${String(q)}`);
  }
}

/** The Jacobsthal matrix of GF(q): Q[a][b] = χ(a − b), rows and columns indexed by element encoding. */
export function jacobsthalMatrix(field: GaloisField): Int8Array {
  const { q } = field;
  const chi = field.quadraticCharacters();
  const m = new Int8Array(q * q);
  if (field.k === 1) {
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) m[a * q + b] = chi[(a - b + q) % q]!;
  } else {
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) m[a * q + b] = chi[field.sub(a, b)]!;
  }
  return m;
}

/**
 * Paley's conference matrix of order q + 1 (q an odd prime power): bordered Jacobsthal matrix
 * [[0, 1ᵀ], [χ(−1)·1, Q]]. Symmetric for q ≡ 1 (mod 4), skew-symmetric for q ≡ 3 (mod 4).
 */
export function paleyConferenceMatrix(q: number): Int8Array {
  const pp = primePower(q);
  if (pp === null || pp.p === 2) throw new RangeError(`paleyConferenceMatrix: q must be an odd prime power, got ${String(q)}`);
  const field = new GaloisField(q);
  const jac = jacobsthalMatrix(field);
  const v = q + 1;
  const c = new Int8Array(v * v);
  const border = q % 4 === 1 ? 1 : -1;
  for (let j = 1; j < v; j++) {
    c[j] = 1;
    c[j * v] = border;
  }
  for (let a = 0; a < q; a++) c.set(jac.subarray(a * q, (a + 1) * q), (a + 1) * v + 1);
  return c;
}

/** Paley I: a (skew-type) Hadamard matrix of order q + 1 for a prime power q ≡ 3 (mod 4). */
export function paleyI(q: number): Int8Array {
  checkPaleyOrder(q, 3, 'paleyI');
  return hadamardFromSkewConference(paleyConferenceMatrix(q), q + 1);
}

/** Paley II: a Hadamard matrix of order 2(q + 1) for a prime power q ≡ 1 (mod 4). */
export function paleyII(q: number): Int8Array {
  checkPaleyOrder(q, 1, 'paleyII');
  return hadamardFromSymmetricConference(paleyConferenceMatrix(q), q + 1);
}
