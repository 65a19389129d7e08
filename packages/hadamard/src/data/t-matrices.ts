/**
 * T-matrices of order 67: first rows of four circulant {0, ±1} matrices X1…X4 with disjoint
 * supports covering every position and X1·X1ᵀ + … + X4·X4ᵀ = 67·I ('+' 1, '-' −1, '0' 0).
 * Source: K. Sawade, "A Hadamard matrix of order 268", Graphs and Combinatorics 1 (1985) 185–187.
 */
export const SAWADE_T_MATRICES_67: readonly [string, string, string, string] = [
  '+000-000-000---00-000000-0-0-0+-000000+000-000000-0000000000000000+',
  '0+00000-000-000++00000+0000000000000000-++00---00000-+0-00000000++0',
  '00000-+000+0000000++-00+0-0-00000000-+00000+0000-0000000+--0+000000',
  '00--00000+00000000000+0000000+00-+-+00000000000+00+-00-0000-0-++000',
];
