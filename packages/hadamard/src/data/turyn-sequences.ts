/**
 * Sequences with zero aperiodic autocorrelation sum, the raw material of T-sequences.
 */

/**
 * Turyn sequences: base sequences X, U, Y, V of lengths l, l, l − 1, l − 1 ('+' is 1, '-' is −1)
 * whose non-periodic autocorrelations sum to zero at every non-zero shift.
 * Source: J. Seberry, Orthogonal Designs, Springer 2017, and G. Cohen, D. Rubie, J. Seberry,
 * C. Koukouvinos, S. Kounias & M. Yamada, "A survey of base sequences, disjoint complementary
 * sequences and OD(4t; t, t, t, t)", JCMCC 5 (1989) 69–104.
 */
export const TURYN_SEQUENCES: Readonly<Record<number, readonly [string, string, string, string]>> = {
  2: ['+-', '++', '+', '+'],
  3: ['+++', '++-', '+-', '+-'],
  4: ['++--', '++-+', '+++', '+-+'],
  5: ['++-++', '++++-', '++--', '+-+-'],
  6: ['+++---', '++-+-+', '++-++', '++-++'],
  7: ['+++-+++', '++---+-', '++-+--', '++-+--'],
  8: ['++-+-+--', '++++---+', '+++-+++', '+--+--+'],
  13: ['++++-+-+-++++', '+++--+-+--++-', '+++-++--+---', '+++--+-++---'],
  15: ['++-+++-+-+++-++', '+++-++---++-++-', '++++--+-++----', '+----+-+-++++-'],
};

/**
 * Turyn-type sequences TT(n): X, Y, Z, W of lengths n, n, n, n − 1 with zero non-periodic
 * autocorrelation sum, in the compact hexadecimal form of Best, Đoković, Kharaghani & Ramp:
 * each of the first n − 1 hex digits holds bit j (most significant first) = 1 where sequence j
 * has −1 at that position; the last digit holds the last entries of X, Y, Z in three bits.
 * Sources: D. Best, D. Ž. Đoković, H. Kharaghani & H. Ramp, "Turyn-type sequences:
 * classification, enumeration and construction", J. Combin. Des. 21 (2013) 24–35 (n ≤ 32);
 * H. Kharaghani & B. Tayfeh-Rezaie, "A Hadamard matrix of order 428", J. Combin. Des. 13
 * (2005) 435–440 (n = 36).
 */
export const TURYN_TYPE_SEQUENCES: Readonly<Record<number, string>> = {
  2: '01',
  4: '0161',
  6: '006d61',
  8: '06e5c4d1',
  10: '0001f4a961',
  12: '0004f90bc961',
  14: '00036ac71c7651',
  16: '0000778e52de5561',
  18: '00006758b30d1e9a51',
  20: '000038e2739c7a0b6951',
  22: '00000f702c71a9ad565961',
  24: '00000b7c2cb2bc4b6cd9a961',
  26: '000000ff0f846f1ca5a5aa9551',
  28: '0000067cde3e50639ab46135aa51',
  30: '000000f70b106f9d427a25e9a96951',
  32: '00000138f64f1c1e77844f26d95a5961',
  36: '060989975b685d8fc80750b21c0212eceb26',
};
