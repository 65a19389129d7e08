import { EpochMeter, topKHits } from '../src/metrics';

describe('topKHits', () => {
  it('counts rows whose label ranks among the k largest scores', () => {
    const logits = [
      0.1,
      0.9,
      0.0,
      0.5, // label 1: rank 1
      0.9,
      0.1,
      0.8,
      0.7, // label 3: rank 3
      0.2,
      0.3,
      0.4,
      0.1, // label 3: rank 4
    ];
    const labels = [1, 3, 3];
    expect(topKHits(logits, labels, 4, 1)).toBe(1);
    expect(topKHits(logits, labels, 4, 2)).toBe(1);
    expect(topKHits(logits, labels, 4, 3)).toBe(2);
    expect(topKHits(logits, labels, 4, 4)).toBe(3);
  });

  it('never counts a NaN score as a hit', () => {
    expect(topKHits([NaN, 0, 0], [0], 3, 3)).toBe(0);
  });
});

describe('EpochMeter', () => {
  it('weights each batch loss by its size and reports percentages', () => {
    const m = new EpochMeter();
    m.add(1, 10, 5, 9);
    m.add(4, 30, 30, 30);
    expect(m.summary()).toEqual({ loss: (10 + 120) / 40, top1: 87.5, top5: 97.5, count: 40 });
    expect(new EpochMeter(m.state()).summary()).toEqual(m.summary());
  });
});
