/**
 * Miyamoto's construction (M. Miyamoto, "A construction of Hadamard matrices", J. Combin.
 * Theory A 57, 1991): for a prime power q ≡ 1 (mod 4) and any Hadamard matrix K of order q − 1,
 * a Hadamard matrix of order 4q.
 *
 * Let m = (q − 1)/2. Take Paley's symmetric conference matrix C of order q + 1 (first row and
 * column 0, 1, …, 1) and order the indices 2…q so that row 1 reads +1 on the first m of them and
 * −1 on the last m. With C1 = −C[2‥m+1, 2‥m+1], C2 = C[2‥m+1, m+2‥2m+1], C4 = C[m+2‥, m+2‥],
 * and K cut into m×m blocks K1, K2 (top), −K3, K4 (bottom), form the m×m block matrices
 *   U = [[C1, C2, 0, 0], [C2ᵀ, C4, 0, 0], [0, 0, C1, C2], [0, 0, C2ᵀ, C4]],
 *   V = [[I, 0, K1, K2], [0, I, K3, K4], [K1ᵀ, K3ᵀ, I, 0], [K2ᵀ, K4ᵀ, 0, I]]
 * (U is zero exactly where V is not), T(i, j) = [[U_ij + V_ij, U_ij − V_ij], [U_ij − V_ij, U_ij + V_ij]],
 * and border them with ±1 and ±e (e the all-ones row of length 2m) in Miyamoto's sign pattern.
 */
import { primePower } from './galois-field';
import { paleyConferenceMatrix } from './paley';

/** Signs of the 8×8 block pattern: rows/columns alternate a 1-wide border and a 2m-wide T block. */
const SIGNS = ['+-++++++', '-+++++++', '--+-++--', '---+++--', '----+-++', '-----+++', '--++--+-', '--++---+'] as const;

/** True when Miyamoto's construction applies to q (given a Hadamard matrix of order q − 1). */
export function isMiyamotoParameter(q: number): boolean {
  const pp = primePower(q);
  return pp !== null && pp.p !== 2 && q % 4 === 1;
}

/**
 * Miyamoto's Hadamard matrix of order 4q from a Hadamard matrix `k` of order q − 1. `k` is taken as
 * given: checking it (`isHadamard`, about q³/64 word operations) would cost more than the construction.
 */
export function miyamoto(q: number, k: Int8Array): Int8Array {
  if (!isMiyamotoParameter(q)) throw new RangeError(`miyamoto: q must be a prime power ≡ 1 (mod 4), got ${String(q)}`);
  if (k.length !== (q - 1) * (q - 1)) throw new RangeError(`miyamoto: k must be a ${q - 1}×${q - 1} Hadamard matrix`);
  const m = (q - 1) / 2;
  const v = q + 1;
  const c = paleyConferenceMatrix(q);
  const plus: number[] = [];
  const minus: number[] = [];
  for (let j = 2; j < v; j++) (c[v + j]! > 0 ? plus : minus).push(j);
  const order = [...plus, ...minus]; // indices 2…q, regrouped by the sign of row 1
  const conf = (i: number, j: number) => c[order[i]! * v + order[j]!]!; // i, j in [0, 2m)
  const kk = (i: number, j: number) => k[i * (q - 1) + j]!;

  // U_ab and V_ab entry (r, s), r, s in [0, m), for block indices a, b in [0, 4).
  const u = (a: number, b: number, r: number, s: number): number => {
    if (a < 2 !== b < 2) return 0;
    const top = a % 2 === 0;
    const left = b % 2 === 0;
    if (top && left) return -conf(r, s); // C1
    if (top && !left) return conf(r, m + s); // C2
    if (!top && left) return conf(m + r, s); // C2ᵀ (C is symmetric)
    return conf(m + r, m + s); // C4
  };
  const vv = (a: number, b: number, r: number, s: number): number => {
    if (a === b) return r === s ? 1 : 0;
    if (a < 2 === b < 2) return 0;
    // K blocks: K1 = K[0‥m, 0‥m], K2 = K[0‥m, m‥], K3 = −K[m‥, 0‥m], K4 = K[m‥, m‥].
    const kBlock = (which: number, i: number, j: number): number => {
      switch (which) {
        case 1:
          return kk(i, j);
        case 2:
          return kk(i, m + j);
        case 3:
          return -kk(m + i, j);
        default:
          return kk(m + i, m + j);
      }
    };
    if (a < 2) return kBlock(a === 0 ? (b === 2 ? 1 : 2) : b === 2 ? 3 : 4, r, s);
    // Lower-left: transposes, [[K1ᵀ, K3ᵀ], [K2ᵀ, K4ᵀ]].
    return kBlock(a === 2 ? (b === 0 ? 1 : 3) : b === 0 ? 2 : 4, s, r);
  };
  const t = (a: number, b: number, r: number, s: number): number => {
    const rr = r % m;
    const ss = s % m;
    const same = r < m === s < m;
    return same ? u(a, b, rr, ss) + vv(a, b, rr, ss) : u(a, b, rr, ss) - vv(a, b, rr, ss);
  };

  const n = 4 * q;
  const w = 2 * m + 1; // one border row plus one T block
  const h = new Int8Array(n * n);
  for (let i = 0; i < n; i++) {
    const bi = 2 * Math.floor(i / w) + (i % w === 0 ? 0 : 1);
    const r = (i % w) - 1;
    for (let j = 0; j < n; j++) {
      const bj = 2 * Math.floor(j / w) + (j % w === 0 ? 0 : 1);
      const s = (j % w) - 1;
      const sign = SIGNS[bi]![bj] === '+' ? 1 : -1;
      // Border blocks are all-ones (1, e, eᵀ); T blocks come from U and V.
      const value = bi % 2 === 1 && bj % 2 === 1 ? t(bi >> 1, bj >> 1, r, s) : 1;
      h[i * n + j] = sign * value;
    }
  }
  return h;
}
