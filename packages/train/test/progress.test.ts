import { LineProgress } from '../src';

describe('LineProgress (output that is not a terminal)', () => {
  it('writes a step line once per interval within an epoch, and the epoch line at its end', () => {
    // Piped output said nothing until an epoch ended: minutes on CIFAR here, hours on ImageNet.
    const lines: string[] = [];
    let clock = 0;
    const progress = new LineProgress(
      (line) => lines.push(line),
      '',
      60_000,
      () => clock,
    );
    progress.startEpoch(3, 164, 351, 0);
    for (let step = 1; step <= 351; step++) {
      clock += 1_000; // a step a second
      progress.step(step, 1.5, 128);
    }
    expect(lines).toEqual([60, 120, 180, 240, 300].map((step) => `epoch 3/164: step ${step}/351 | loss 1.500 | 128 img/s`));
  });
});
