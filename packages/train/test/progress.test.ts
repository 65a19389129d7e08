import { type EpochRecord, formatRecord, LineProgress } from '../src';

describe('LineProgress (output that is not a terminal)', () => {
  const record = (epoch: number): EpochRecord => ({
    epoch,
    lr: 0.1,
    trainLoss: 1.5,
    trainError: 50,
    valLoss: null,
    valTop1: null,
    valTop5: null,
    alpha: null,
    featureNorm: null,
    imagesPerSecond: 128,
    seconds: 351,
  });

  /** A LineProgress on a clock the test moves, writing into `lines`. */
  const clocked = () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = new LineProgress(
      (line) => lines.push(line),
      '',
      60_000,
      () => clock,
    );
    return { lines, progress, advance: (ms: number) => void (clock += ms) };
  };

  it('writes a step line once per interval within an epoch, with the time the epoch has left, and the epoch line at its end', () => {
    // Piped output said nothing until an epoch ended: minutes on CIFAR here, hours on ImageNet.
    const { lines, progress, advance } = clocked();
    progress.startEpoch(3, 164, 351, 0);
    for (let step = 1; step <= 351; step++) {
      advance(1_000); // a step a second
      progress.step(step, 1.5, 128);
    }
    progress.endEpoch(record(3));
    // A step a second: (351 − step) seconds left. 291 s = 4m 51s, …, 51 s.
    expect(lines).toEqual([
      ...[
        [60, '4m 51s'],
        [120, '3m 51s'],
        [180, '2m 51s'],
        [240, '1m 51s'],
        [300, '51s'],
      ].map(([step, left]) => `epoch 3/164: step ${step}/351 | loss 1.500 | 128 img/s | left: epoch ${left}`),
      formatRecord(record(3)),
    ]);
  });

  it('once an epoch ran whole (validation included), adds what the run has left and the validation to the epoch; a resumed epoch counts from where it resumed', () => {
    const { lines, progress, advance } = clocked();
    // Resumed at step 200 of epoch 3, two steps a second: the epoch's pace is measured from there, and a
    // part-epoch gives no whole-epoch time.
    progress.startEpoch(3, 10, 351, 200);
    for (let step = 201; step <= 351; step++) {
      advance(500);
      progress.step(step, 1.5, 256);
    }
    progress.endEpoch(record(3));
    expect(lines[0]).toBe('epoch 3/10: step 320/351 | loss 1.500 | 256 img/s | left: epoch 16s'); // 31 steps × 0.5 s = 15.5 s
    // Epoch 4 whole: 351 steps of 1 s, then 9 s of validation: 360 s an epoch.
    progress.startEpoch(4, 10, 351, 0);
    for (let step = 1; step <= 351; step++) {
      advance(1_000);
      progress.step(step, 1.5, 128);
    }
    advance(9_000);
    progress.endEpoch(record(4));
    lines.length = 0;
    progress.startEpoch(5, 10, 351, 0);
    for (let step = 1; step <= 60; step++) {
      advance(1_000);
      progress.step(step, 1.5, 128);
    }
    // 291 s of epoch 5's steps and the last validation's 9 s, then epochs 6–10 at 360 s: 300 + 5 × 360 =
    // 2,100 s = 35m 0s. (Without the validation, the epoch's figure reached 0 s while 9 s were left.)
    expect(lines).toEqual(['epoch 5/10: step 60/351 | loss 1.500 | 128 img/s | left: epoch 5m 0s, run 35m 0s']);
  });
});
