import { buildProjection } from '../src';

describe('simplex with too few classes', () => {
  it('1 unit: says a simplex needs at least 2 classes, not "0 dimensions"', () => {
    let message = '';
    try {
      buildProjection('simplex', 8, 1);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('a simplex needs at least 2 classes');
    expect(message).toContain('got units = 1');
    expect(message).toContain("matrix 'hadamard'");
    expect(message).not.toContain('0 dimensions');
    // The advice holds: both suggested matrices take a single class.
    expect(buildProjection('hadamard', 8, 1).matrix).toHaveLength(8);
    expect(buildProjection('orthogonal', 8, 1).matrix).toHaveLength(8);
  });

  it('2 units still build: two opposite unit vectors', () => {
    const p = buildProjection('simplex', 8, 2);
    // Columns 0 and 1 of the 8×2 matrix: cos = −1/(C − 1) = −1.
    let dot = 0;
    let n0 = 0;
    let n1 = 0;
    for (let k = 0; k < 8; k++) {
      const a = p.matrix[k * 2]!;
      const b = p.matrix[k * 2 + 1]!;
      dot += a * b;
      n0 += a * a;
      n1 += b * b;
    }
    expect(dot / Math.sqrt(n0 * n1)).toBeCloseTo(-1, 12);
  });
});
