/**
 * Supplementary difference sets 4-{v; k1, k2, k3, k4; λ} in the cyclic group Z_v with
 * k1 + k2 + k3 + k4 = v + λ, in the compact form Đoković publishes them: a multiplicative
 * subgroup H of the units of Z_v, coset representatives a_i (or, written as a list, a coset
 * given element by element), the cosets α_2i = a_i·H and α_2i+1 = −α_2i, and for each of the
 * four sets the indices of the cosets it is the union of (index −1 stands for {0}).
 * The ±1 sequences with −1 on each set are the first rows of four circulant matrices with
 * A·Aᵀ + B·Bᵀ + C·Cᵀ + D·Dᵀ = 4v·I, the input of the Goethals–Seidel array.
 *
 * Sources (as tabulated in SageMath's difference_family.py):
 * - Đoković 1992a: "Construction of some new Hadamard matrices", Bull. Austral. Math. Soc. 45 (1992) 327–332.
 * - Đoković 1992b: "Skew Hadamard matrices of order 4·37 and 4·43", J. Combin. Theory A 61 (1992) 319–321.
 * - Đoković 1992c: "Ten new orders for Hadamard matrices of skew type", Publ. Elektrotehn. Fak. Ser. Mat. 2 (1992) 47–59.
 * - Đoković 1994a: "Five new orders for Hadamard matrices of skew type", Australas. J. Combin. 10 (1994) 259–264.
 * - Đoković 1994b: "Two Hadamard matrices of order 956 of Goethals–Seidel type", Combinatorica 14 (1994) 375–377.
 * - Đoković 2008a: "Skew-Hadamard matrices of orders 188 and 388 exist", Int. Math. Forum 3 (2008) 1063–1068.
 * - Đoković 2008b: "Skew-Hadamard matrices of orders 436, 580 and 988 exist", J. Combin. Des. 16 (2008) 493–498
 *   (its α2 for v = 247 contains 223, printed as 233).
 * - Đoković 2008c: "Hadamard matrices of order 764 exist", Combinatorica 28 (2008) 487–489.
 * - Đoković, Golubitsky & Kotsireas 2014: "Some new orders of Hadamard and skew-Hadamard matrices",
 *   J. Combin. Des. 22 (2014) 270–277.
 * - Đoković & Kotsireas 2016: "A class of cyclic (v; k1, k2, k3; λ) difference families with
 *   v ≡ 3 (mod 4) a prime", Special Matrices 4 (2016) 317–325.
 */

/** One supplementary difference set family in compact (cyclotomic) form. */
export interface CompactDifferenceSets {
  /** The group order: the sets live in Z_v. */
  readonly v: number;
  /** True when the first set is skew (S ∩ −S = ∅, S ∪ −S = Z_v minus {0}): the matrix is then skew-Hadamard. */
  readonly skew: boolean;
  readonly source: string;
  /** The multiplicative subgroup H of the units of Z_v. */
  readonly subgroup: readonly number[];
  /** a_i (coset a_i·H) or an explicit coset. */
  readonly cosetRepresentatives: readonly (number | readonly number[])[];
  /** For each of the four sets, the indices of the cosets α_j it unites; −1 adds {0}. */
  readonly blocks: readonly [readonly number[], readonly number[], readonly number[], readonly number[]];
}

export const SUPPLEMENTARY_DIFFERENCE_SETS: readonly CompactDifferenceSets[] = [
  {
    v: 37,
    skew: true,
    source: 'Đoković 1992b',
    subgroup: [1, 10, 26],
    cosetRepresentatives: [1, 2, 3, 5, 6, 9],
    blocks: [
      [0, 3, 5, 7, 9, 10],
      [0, 5, 6, 7, 8],
      [1, 2, 6, 7, 9],
      [2, 6, 8, 9, 10],
    ],
  },
  {
    v: 39,
    skew: true,
    source: 'Đoković 1992c',
    subgroup: [1, 16, 22],
    cosetRepresentatives: [1, 2, 3, 4, 6, 8, [13]],
    blocks: [
      [1, 3, 5, 6, 8, 10, 12],
      [0, 1, 5, 8, 12, 13],
      [1, 3, 4, 7, 9, 12, 13],
      [0, 1, 2, 3, 7, 8],
    ],
  },
  {
    v: 43,
    skew: true,
    source: 'Đoković 1992b',
    subgroup: [1, 4, 11, 16, 21, 41, 35],
    cosetRepresentatives: [1, 3, 7],
    blocks: [
      [1, 2, 4],
      [1, 2, 4],
      [0, 2, 3],
      [3, 4, -1],
    ],
  },
  {
    v: 49,
    skew: true,
    source: 'Đoković 1992c',
    subgroup: [1, 18, 30],
    cosetRepresentatives: [1, 2, 3, 4, 6, 7, 9, 12],
    blocks: [
      [1, 2, 5, 7, 8, 10, 13, 14],
      [4, 5, 6, 7, 10, 11],
      [0, 1, 2, 4, 6, 7, 12, 14],
      [1, 2, 3, 5, 6, 10, 12, 13, 14],
    ],
  },
  {
    v: 65,
    skew: true,
    source: 'Đoković 1992c',
    subgroup: [1, 16, 61],
    cosetRepresentatives: [1, 2, 3, 5, 6, 7, 9, 10, 11, [13], 22, [26]],
    blocks: [
      [1, 3, 5, 6, 8, 10, 13, 14, 17, 18, 20, 22],
      [0, 3, 7, 10, 16, 17, 18, 20, 21],
      [2, 4, 6, 8, 9, 10, 14, 15, 16, 17, 18, 20],
      [5, 7, 8, 9, 11, 12, 13, 14, 16, 18, 19, 20, 21],
    ],
  },
  {
    v: 67,
    skew: true,
    source: 'Đoković 1992a',
    subgroup: [1, 29, 37],
    cosetRepresentatives: [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 17],
    blocks: [
      [0, 3, 5, 6, 9, 10, 13, 14, 17, 18, 20],
      [0, 2, 4, 9, 11, 12, 13, 16, 19, 21],
      [1, 3, 6, 10, 11, 13, 14, 16, 20, 21],
      [2, 4, 6, 8, 9, 11, 14, 17, 19],
    ],
  },
  {
    v: 73,
    skew: true,
    source: 'Đoković 2023 (communication, via SageMath)',
    subgroup: [1, 2, 4, 8, 16, 32, 64, 55, 37],
    cosetRepresentatives: [1, 3, 5, 9, 11, 13, 17, 25],
    blocks: [
      [4, 6, 8, 14],
      [8, 10, 12, 14],
      [4, 6, 10, 12],
      [-1, 0, 2, 10],
    ],
  },
  {
    v: 93,
    skew: true,
    source: 'Đoković 1992c',
    subgroup: [1, 4, 16, 64, 70],
    cosetRepresentatives: [1, 2, 3, 5, 7, 9, 10, 14, 15, [31]],
    blocks: [
      [0, 3, 4, 6, 9, 10, 12, 14, 17, 18],
      [2, 3, 4, 5, 9, 13, 15, 18, 19],
      [1, 2, 3, 4, 5, 6, 7, 8, 16],
      [1, 4, 6, 11, 12, 13, 15, 16, 17, 18],
    ],
  },
  {
    v: 97,
    skew: true,
    source: 'Đoković 2008a',
    subgroup: [1, 35, 61],
    cosetRepresentatives: [1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13, 15, 18, 20, 23, 26],
    blocks: [
      [1, 2, 4, 6, 9, 11, 13, 14, 17, 18, 21, 23, 25, 27, 29, 30],
      [1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 23, 27, 29],
      [0, 1, 2, 5, 6, 12, 13, 15, 16, 20, 24, 25, 26, 29, 30, 31],
      [0, 2, 3, 4, 7, 8, 9, 11, 12, 13, 15, 16, 17, 18, 23, 28, 29],
    ],
  },
  {
    v: 103,
    skew: true,
    source: 'Đoković 1994a',
    subgroup: [1, 46, 56],
    cosetRepresentatives: [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 15, 17, 19, 21, 23, 30],
    blocks: [
      [1, 3, 4, 6, 8, 11, 12, 14, 17, 18, 20, 22, 25, 27, 28, 30, 32],
      [2, 9, 10, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 26, 28, 29, 30],
      [0, 1, 2, 3, 4, 11, 12, 13, 16, 17, 19, 20, 21, 24, 25, 26, 28, 30, 31],
      [0, 1, 2, 3, 4, 5, 6, 13, 15, 18, 19, 20, 23, 24, 25, 26, 27, 28, 29, 31],
    ],
  },
  {
    v: 109,
    skew: true,
    source: 'Đoković 2008b',
    subgroup: [1, 45, 63],
    cosetRepresentatives: [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 13, 15, 16, 18, 20, 23, 25, 30],
    blocks: [
      [0, 2, 5, 7, 8, 10, 12, 15, 16, 19, 20, 23, 24, 26, 29, 30, 33, 34],
      [4, 5, 6, 7, 11, 15, 18, 19, 20, 22, 25, 30, 32, 33, 35],
      [0, 1, 5, 6, 9, 10, 11, 14, 17, 20, 24, 26, 27, 28, 29, 31, 32],
      [0, 3, 4, 6, 7, 9, 10, 12, 13, 22, 24, 25, 26, 27, 28, 29, 31, 33, 35],
    ],
  },
  {
    v: 113,
    skew: true,
    source: 'Đoković 1992a',
    subgroup: [1, 16, 28, 30, 49, 106, 109],
    cosetRepresentatives: [1, 2, 3, 5, 6, 9, 10, 13],
    blocks: [
      [0, 3, 4, 6, 8, 10, 13, 14],
      [1, 3, 8, 9, 10, 11, 12, 13],
      [0, 2, 3, 5, 6, 7, 12],
      [1, 2, 3, 5, 8, 9, 15],
    ],
  },
  {
    v: 121,
    skew: true,
    source: 'Đoković 1992c',
    subgroup: [1, 3, 9, 27, 81],
    cosetRepresentatives: [1, 2, 4, 5, 7, 8, 10, 11, 16, 17, 19, 20],
    blocks: [
      [0, 2, 4, 7, 8, 11, 13, 14, 16, 19, 20, 22],
      [0, 1, 4, 5, 8, 9, 10, 15, 17, 20, 23],
      [1, 2, 3, 7, 9, 16, 18, 19, 20, 21, 22, 23],
      [0, 2, 9, 10, 11, 12, 13, 14, 15, 17, 18, 21, 22, 23],
    ],
  },
  {
    v: 127,
    skew: true,
    source: 'Đoković 1992a',
    subgroup: [1, 2, 4, 8, 16, 32, 64],
    cosetRepresentatives: [1, 3, 5, 7, 9, 11, 13, 19, 21],
    blocks: [
      [0, 3, 5, 7, 8, 10, 12, 14, 16],
      [0, 1, 3, 6, 7, 9, 10, 12, 14, 15],
      [0, 1, 3, 4, 5, 7, 8, 9, 15, 16],
      [1, 4, 5, 6, 9, 10, 13, 14, 15, 16],
    ],
  },
  {
    v: 129,
    skew: true,
    source: 'Đoković 1992c',
    subgroup: [1, 4, 16, 64, 97, 121, 127],
    cosetRepresentatives: [1, 3, 5, 7, 9, 11, 13, 19, 21, [43]],
    blocks: [
      [1, 2, 4, 7, 9, 11, 12, 14, 16, 18],
      [0, 1, 2, 3, 9, 11, 14, 15, 19],
      [0, 1, 3, 6, 8, 10, 12, 16, 18, 19],
      [0, 3, 7, 8, 9, 10, 12, 14, 15, 17],
    ],
  },
  {
    v: 133,
    skew: true,
    source: 'Đoković 1992c',
    subgroup: [1, 4, 16, 25, 64, 93, 100, 106, 123],
    cosetRepresentatives: [1, 2, 3, 6, 7, 9, 18, [19, 38, 76]],
    blocks: [
      [1, 2, 5, 6, 9, 11, 12, 14],
      [1, 4, 7, 9, 10, 12, 13, 15],
      [0, 5, 6, 8, 11, 12, 13, 15],
      [0, 1, 2, 5, 7, 8, 9, 13, 14, 15],
    ],
  },
  {
    v: 145,
    skew: true,
    source: 'Đoković 2008b',
    subgroup: [1, 16, 36, 81, 111, 136, 141],
    cosetRepresentatives: [1, [2, 17, 32, 72, 77, 127, 137], [3, 43, 48, 98, 108, 118, 133], [6, 51, 71, 86, 91, 96, 121], [7, 52, 82, 107, 112, 117, 132], [11, 21, 31, 46, 61, 101, 106], [14, 19, 69, 79, 89, 104, 119], [22, 42, 57, 62, 67, 92, 122], [5, 35, 80, 100, 115, 120, 125], [10, 15, 55, 70, 85, 95, 105], [29], [58]],
    blocks: [
      [1, 2, 4, 7, 9, 10, 13, 14, 16, 19, 20, 22],
      [0, 2, 4, 7, 10, 11, 14, 18, 19, 20, 21, 22],
      [1, 3, 6, 9, 12, 13, 14, 17, 19, 20, 21, 22, 23],
      [2, 3, 5, 6, 7, 9, 12, 13, 15, 16, 19, 20, 21, 22, 23],
    ],
  },
  {
    v: 151,
    skew: true,
    source: 'Đoković 1994a',
    subgroup: [1, 8, 19, 59, 64],
    cosetRepresentatives: [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 15, 22, 27, 29, 30],
    blocks: [
      [0, 3, 5, 6, 8, 11, 13, 14, 16, 19, 21, 23, 25, 27, 28],
      [2, 3, 6, 13, 16, 17, 20, 23, 25, 26, 27, 28, 29],
      [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 23, 24, 27, 28],
      [1, 4, 5, 10, 11, 12, 13, 14, 16, 18, 19, 22, 25, 26, 27, 28],
    ],
  },
  {
    v: 157,
    skew: true,
    source: 'Đoković 1992a',
    subgroup: [1, 14, 16, 39, 46, 67, 75, 93, 99, 101, 108, 130, 153],
    cosetRepresentatives: [1, 2, 3, 5, 9, 15],
    blocks: [
      [0, 2, 5, 7, 8, 11],
      [0, 4, 5, 6, 9, 11],
      [6, 7, 8, 9, 10, 11],
      [0, 5, 6, 7, 8, 10, 11],
    ],
  },
  {
    v: 163,
    skew: true,
    source: 'Đoković 1992a',
    subgroup: [1, 38, 40, 53, 58, 85, 104, 133, 140],
    cosetRepresentatives: [1, 2, 3, 5, 6, 9, 10, 15, 18],
    blocks: [
      [0, 2, 5, 6, 9, 10, 13, 14, 17],
      [0, 1, 7, 10, 12, 15, 16, 17],
      [0, 1, 3, 5, 8, 13, 15, 16, 17],
      [3, 6, 7, 8, 11, 12, 13, 14, 16, 17],
    ],
  },
  {
    v: 181,
    skew: true,
    source: 'Đoković 1992a',
    subgroup: [1, 39, 43, 48, 62, 65, 73, 80, 132],
    cosetRepresentatives: [1, 2, 3, 4, 6, 7, 8, 12, 13, 24],
    blocks: [
      [0, 3, 5, 6, 8, 10, 13, 15, 16, 19],
      [4, 5, 7, 8, 11, 14, 15, 16, 18, 19],
      [0, 4, 10, 11, 13, 15, 16, 18, 19],
      [2, 4, 5, 7, 11, 13, 15, 17, 19],
    ],
  },
  {
    v: 213,
    skew: true,
    source: 'Đoković, Golubitsky & Kotsireas 2014',
    subgroup: [1, 37, 91, 103, 172, 187, 190],
    cosetRepresentatives: [1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 15, 20, 22, 30, 43, 71],
    blocks: [
      [1, 2, 5, 6, 9, 11, 12, 14, 16, 19, 20, 23, 24, 26, 29, 30],
      [3, 6, 8, 12, 13, 14, 15, 17, 20, 22, 23, 25, 26, 27, 28, 31],
      [2, 3, 5, 7, 9, 13, 16, 17, 19, 21, 23, 24, 27, 28, 29],
      [0, 5, 6, 9, 11, 13, 14, 17, 20, 22, 23, 26, 29, 31],
    ],
  },
  {
    v: 217,
    skew: true,
    source: 'Đoković 1992c',
    subgroup: [1, 8, 9, 25, 51, 64, 72, 78, 81, 142, 190, 191, 193, 200, 214],
    cosetRepresentatives: [1, 2, 4, 5, 7, 10, 19, [31, 62, 124]],
    blocks: [
      [0, 3, 5, 7, 8, 11, 12, 14],
      [1, 3, 4, 7, 9, 11, 12, 15],
      [3, 4, 5, 6, 7, 9, 10, 14, 15],
      [1, 3, 4, 5, 7, 8, 11, 13, 14],
    ],
  },
  {
    v: 219,
    skew: true,
    source: 'Đoković 1992c',
    subgroup: [1, 4, 16, 37, 55, 64, 148, 154, 178],
    cosetRepresentatives: [1, 2, 3, 5, 7, 9, 11, 15, 19, 22, 23, 33, [73]],
    blocks: [
      [1, 3, 5, 6, 8, 11, 12, 15, 17, 18, 21, 22, 24],
      [2, 6, 8, 10, 11, 12, 13, 16, 19, 22, 23, 24],
      [0, 1, 5, 6, 10, 11, 13, 14, 17, 20, 21, 24, 25],
      [0, 2, 3, 4, 5, 6, 7, 11, 12, 13, 16, 20, 23],
    ],
  },
  {
    v: 241,
    skew: true,
    source: 'Đoković 1992a',
    subgroup: [1, 15, 24, 54, 87, 91, 94, 98, 100, 119, 160, 183, 205, 225, 231],
    cosetRepresentatives: [1, 2, 4, 5, 7, 13, 19, 35],
    blocks: [
      [0, 2, 4, 6, 8, 11, 12, 14],
      [1, 3, 4, 6, 7, 13, 14, 15],
      [6, 8, 9, 10, 12, 13, 14, 15],
      [3, 4, 5, 9, 10, 13, 14],
    ],
  },
  {
    v: 247,
    skew: true,
    source: 'Đoković 2008b',
    subgroup: [1, 9, 16, 55, 61, 81, 139, 144, 235],
    cosetRepresentatives: [1, [2, 18, 31, 32, 41, 110, 122, 162, 223], [3, 27, 48, 165, 170, 183, 185, 211, 243], [5, 28, 45, 58, 80, 158, 187, 201, 226], [6, 54, 83, 93, 96, 119, 123, 175, 239], [7, 20, 63, 73, 112, 138, 163, 180, 232], [10, 56, 69, 90, 116, 127, 155, 160, 205], [11, 47, 99, 102, 111, 115, 150, 176, 177], [13, 52, 65, 78, 91, 117, 143, 208, 221], [14, 29, 40, 79, 113, 126, 146, 217, 224], [17, 25, 43, 49, 140, 142, 153, 194, 225], [19, 57, 171], [33, 34, 37, 50, 59, 86, 98, 141, 203], [35, 66, 68, 74, 100, 118, 159, 172, 196], [38, 95, 114]],
    blocks: [
      [0, 2, 4, 7, 8, 10, 12, 15, 16, 18, 20, 23, 25, 27, 29],
      [0, 2, 7, 9, 11, 12, 14, 15, 16, 18, 20, 22, 26],
      [2, 3, 4, 12, 13, 14, 15, 16, 18, 20, 23, 24, 26, 27, 29],
      [0, 3, 4, 6, 10, 11, 12, 14, 18, 19, 20, 22, 25, 29],
    ],
  },
  {
    v: 267,
    skew: true,
    source: 'Đoković 1992c',
    subgroup: [1, 4, 16, 64, 67, 91, 97, 121, 217, 223, 256],
    cosetRepresentatives: [1, 2, 3, 5, 7, 9, 10, 13, 14, 15, 19, 39, [89]],
    blocks: [
      [0, 3, 4, 7, 8, 11, 13, 15, 16, 19, 21, 22, 25],
      [0, 1, 4, 5, 6, 8, 14, 15, 18, 21, 23],
      [0, 2, 4, 5, 7, 9, 10, 11, 14, 15, 16, 17, 25],
      [0, 1, 3, 4, 6, 14, 15, 16, 17, 18, 20, 22, 23, 25],
    ],
  },
  {
    v: 331,
    skew: true,
    source: 'Đoković & Kotsireas 2016',
    subgroup: [1, 74, 80, 85, 111, 120, 167, 180, 270, 274, 293],
    cosetRepresentatives: [1, 2, 4, 5, 7, 8, 10, 13, 14, 16, 19, 20, 28, 32, 56],
    blocks: [
      [1, 2, 4, 7, 9, 10, 12, 15, 16, 18, 21, 22, 24, 26, 28],
      [-1, 0, 2, 6, 9, 11, 12, 14, 15, 17, 20, 21, 24, 25, 28],
      [-1, 0, 1, 5, 6, 7, 8, 9, 10, 12, 15, 18, 23, 28, 29],
      [-1, 0, 3, 7, 8, 10, 11, 12, 14, 16, 19, 20, 21, 26, 29],
    ],
  },
  {
    v: 631,
    skew: true,
    source: 'Đoković, Golubitsky & Kotsireas 2014',
    subgroup: [1, 8, 43, 64, 79, 188, 228, 242, 279, 310, 339, 344, 512, 562, 587],
    cosetRepresentatives: [1, 2, 3, 4, 5, 6, 7, 9, 12, 14, 17, 18, 19, 21, 23, 27, 31, 35, 38, 42, 62],
    blocks: [
      [0, 2, 4, 6, 9, 10, 12, 15, 16, 18, 20, 23, 24, 26, 29, 30, 32, 35, 36, 38, 40],
      [0, 1, 2, 4, 6, 8, 9, 10, 11, 12, 13, 14, 16, 20, 23, 28, 29, 30, 32, 36, 38, 41],
      [0, 2, 3, 4, 6, 9, 10, 12, 14, 15, 16, 17, 18, 19, 20, 22, 24, 25, 26, 29, 34, 40],
      [0, 2, 4, 5, 6, 7, 8, 10, 15, 16, 18, 22, 23, 24, 26, 30, 31, 33, 35, 36, 37, 38],
    ],
  },
  {
    v: 191,
    skew: false,
    source: 'Đoković 2008c',
    subgroup: [1, 39, 184, 109, 49],
    cosetRepresentatives: [1, 2, 3, 4, 6, 8, 9, 11, 12, 13, 16, 17, 18, 19, 22, 32, 36, 38, 41],
    blocks: [
      [1, 7, 9, 10, 11, 13, 17, 18, 25, 26, 30, 31, 33, 34, 35, 36, 37],
      [1, 4, 7, 9, 11, 12, 13, 14, 19, 21, 22, 23, 24, 25, 26, 29, 36, 37],
      [0, 3, 4, 5, 7, 8, 9, 16, 17, 19, 24, 25, 29, 30, 31, 33, 35, 37],
      [1, 3, 4, 5, 8, 11, 14, 18, 19, 20, 21, 23, 24, 25, 28, 29, 30, 32, 34, 35],
    ],
  },
  {
    v: 239,
    skew: false,
    source: 'Đoković 1994b',
    subgroup: [1, 10, 24, 44, 98, 100, 201],
    cosetRepresentatives: [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 18, 21, 28, 35, 42],
    blocks: [
      [0, 1, 2, 3, 4, 5, 6, 7, 14, 18, 19, 21, 24, 25, 29, 30],
      [0, 1, 3, 7, 9, 12, 15, 18, 20, 22, 26, 28, 29, 30, 31, 32, 33],
      [2, 3, 4, 5, 8, 9, 10, 11, 13, 17, 19, 21, 22, 24, 27, 31, 32],
      [0, 1, 2, 3, 6, 7, 8, 11, 13, 15, 17, 18, 19, 22, 25, 26, 27, 32, 33],
    ],
  },
  {
    v: 251,
    skew: false,
    source: 'Đoković, Golubitsky & Kotsireas 2014',
    subgroup: [1, 20, 113, 149, 219],
    cosetRepresentatives: [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 14, 15, 17, 18, 19, 21, 28, 30, 33, 34, 35, 41, 43, 45, 68],
    blocks: [
      [2, 6, 8, 10, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 27, 28, 35, 36, 39, 41, 43, 44, 47, 48],
      [2, 5, 10, 11, 17, 18, 21, 23, 24, 25, 26, 28, 29, 30, 34, 35, 38, 39, 40, 41, 42, 43, 44, 49],
      [0, 2, 6, 7, 10, 11, 14, 15, 16, 18, 21, 22, 24, 26, 30, 35, 37, 38, 45, 46, 47, 48, 49],
      [1, 2, 3, 4, 8, 9, 12, 17, 21, 22, 27, 28, 29, 30, 33, 34, 39, 41, 42, 43, 46, 47, 48],
    ],
  },
];
