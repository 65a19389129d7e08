import { cosineSchedule, oneCycleSchedule, regime, stepSchedule } from '../src/optim/schedules';

const at = (epoch: number, step = 0, stepsPerEpoch = 100) => ({ epoch, step, stepsPerEpoch });

describe('learning-rate schedules', () => {
  it("the paper's CIFAR regime: 0.1, ÷10 at epochs 81 and 122, 164 epochs, wd 1e-4, batch 128", () => {
    const r = regime('cifar');
    expect([r.epochs, r.batchSize, r.weightDecay, r.momentum]).toEqual([164, 128, 1e-4, 0.9]);
    expect(r.schedule(at(0))).toBeCloseTo(0.1, 12);
    expect(r.schedule(at(80, 99))).toBeCloseTo(0.1, 12);
    expect(r.schedule(at(81))).toBeCloseTo(0.01, 12);
    expect(r.schedule(at(121))).toBeCloseTo(0.01, 12);
    expect(r.schedule(at(122))).toBeCloseTo(0.001, 12);
  });

  it('the ImageNet regime: ÷10 at 30 and 60 of 90, batch 256', () => {
    const r = regime('imagenet');
    expect([r.epochs, r.batchSize]).toEqual([90, 256]);
    expect([29, 30, 59, 60].map((e) => r.schedule(at(e)))).toEqual([0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1]);
  });

  it('step milestones scale with a shorter run', () => {
    expect(regime('cifar', { epochs: 82 }).description).toContain('÷10 at epochs 41, 61 of 82');
  });

  it('stepSchedule counts the milestones passed', () => {
    const s = stepSchedule({ lr: 1, milestones: [2, 4], gamma: 0.5 });
    expect([0, 1, 2, 3, 4, 9].map((e) => s(at(e)))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
  });

  it('cosine: linear warm-up, then half a cosine to minLr', () => {
    const s = cosineSchedule({ lr: 1, epochs: 10, warmupEpochs: 2, minLr: 0 });
    expect(s(at(0, 49))).toBeCloseTo(0.25, 12); // (0.49 + 0.01) / 2
    expect(s(at(2))).toBeCloseTo(1, 12);
    expect(s(at(6))).toBeCloseTo(0.5, 12); // halfway through the cosine
    expect(s(at(10))).toBeCloseTo(0, 12);
  });

  it("one-cycle matches PyTorch OneCycleLR's endpoints: max/25 → max at 30 % → max/25/1e4", () => {
    const s = oneCycleSchedule({ maxLr: 0.2, epochs: 10 });
    const total = 10 * 100;
    const byStep = (i: number) => s(at(Math.floor(i / 100), i % 100));
    expect(byStep(0)).toBeCloseTo(0.2 / 25, 12);
    expect(byStep(0.3 * total - 1)).toBeCloseTo(0.2, 12);
    expect(byStep(total - 1)).toBeCloseTo(0.2 / 25 / 1e4, 12);
    // Halfway up the warm phase, the cosine is at the midpoint.
    expect(byStep((0.3 * total - 1) / 2)).toBeCloseTo((0.2 + 0.2 / 25) / 2, 10);
  });

  it('names the choices for an unknown regime', () => {
    expect(() => regime('linear' as 'cifar')).toThrow("Unknown regime 'linear'; expected one of cifar, imagenet, cosine, onecycle.");
  });
});
