/**
 * Learning-rate schedules as pure functions of training progress, evaluated every step, so a
 * resumed run computes exactly the rates an uninterrupted one would.
 */
export interface Progress {
  /** Completed epochs (0-based epoch index of the current step). */
  epoch: number;
  /** Step within the epoch (0-based). */
  step: number;
  stepsPerEpoch: number;
}

export type Schedule = (p: Progress) => number;

/** lr·γ^(number of milestones ≤ epoch): the paper's regimes (÷10 at fixed epochs). */
export function stepSchedule({ lr, milestones, gamma = 0.1 }: { lr: number; milestones: number[]; gamma?: number }): Schedule {
  return ({ epoch }) => lr * gamma ** milestones.filter((m) => epoch >= m).length;
}

/** Linear warm-up from 0 to lr over `warmupEpochs`, then half a cosine down to `minLr` at `epochs`. */
export function cosineSchedule({
  lr,
  epochs,
  warmupEpochs = 0,
  minLr = 0,
}: {
  lr: number;
  epochs: number;
  warmupEpochs?: number;
  minLr?: number;
}): Schedule {
  return (p) => {
    const t = p.epoch + p.step / p.stepsPerEpoch;
    if (t < warmupEpochs) return (lr * (t + 1 / p.stepsPerEpoch)) / warmupEpochs;
    const q = Math.min(1, (t - warmupEpochs) / Math.max(1e-12, epochs - warmupEpochs));
    return minLr + ((lr - minLr) * (1 + Math.cos(Math.PI * q))) / 2;
  };
}

/**
 * One-cycle (Smith & Topin), as PyTorch's OneCycleLR with cosine annealing: from maxLr/divFactor up
 * to maxLr over the first `pctStart` of the steps, then down to maxLr/(divFactor·finalDivFactor).
 */
export function oneCycleSchedule({
  maxLr,
  epochs,
  pctStart = 0.3,
  divFactor = 25,
  finalDivFactor = 1e4,
}: {
  maxLr: number;
  epochs: number;
  pctStart?: number;
  divFactor?: number;
  finalDivFactor?: number;
}): Schedule {
  const initial = maxLr / divFactor;
  const final = initial / finalDivFactor;
  const cos = (from: number, to: number, q: number) => to + ((from - to) * (1 + Math.cos(Math.PI * q))) / 2;
  return (p) => {
    const total = epochs * p.stepsPerEpoch;
    const step = p.epoch * p.stepsPerEpoch + p.step;
    const peak = pctStart * total - 1;
    if (step <= peak) return cos(initial, maxLr, peak > 0 ? step / peak : 1);
    return cos(maxLr, final, Math.min(1, (step - peak) / (total - 1 - peak)));
  };
}

/**
 * Milestones at fractions of `epochs`, rounded, and never before epoch 1: a milestone m applies
 * from epoch index m on, so one rounded down to 0 (81/164 of 1 epoch is 0.49) would cut the very
 * first epoch's rate tenfold. Clamping to 1 keeps epoch 0 at the regime's lr; milestones at or past
 * `epochs` never apply, as in an unscaled run that stops early.
 */
export function scaledMilestones(fractions: readonly number[], epochs: number): number[] {
  return fractions.map((f) => Math.max(1, Math.round(f * epochs)));
}

/** A training regime: the schedule and the hyper-parameters that go with it. */
export interface Regime {
  /** A RegimeName for the regimes `regime()` makes; anything for a regime of your own. */
  name: string;
  epochs: number;
  batchSize: number;
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
  schedule: Schedule;
  /** Human-readable summary for logs and reports. */
  description: string;
}

export type RegimeName = 'cifar' | 'imagenet' | 'cosine' | 'onecycle';
/** What a run may change in a regime's defaults. */
export type RegimeOverrides = {
  epochs?: number | undefined;
  lr?: number | undefined;
  batchSize?: number | undefined;
  weightDecay?: number | undefined;
};
export const REGIME_NAMES: readonly RegimeName[] = ['cifar', 'imagenet', 'cosine', 'onecycle'];

/** The paper's step regimes (SGD lr 0.1, momentum 0.9, wd 1e-4, ÷10 at fixed fractions of the epochs), from their defaults. */
function stepRegime(
  name: RegimeName,
  defaults: { epochs: number; batchSize: number; milestoneFractions: readonly number[] },
  overrides: RegimeOverrides,
): Regime {
  const epochs = overrides.epochs ?? defaults.epochs;
  const lr = overrides.lr ?? 0.1;
  const milestones = scaledMilestones(defaults.milestoneFractions, epochs);
  return {
    name,
    epochs,
    batchSize: overrides.batchSize ?? defaults.batchSize,
    momentum: 0.9,
    weightDecay: overrides.weightDecay ?? 1e-4,
    nesterov: false,
    schedule: stepSchedule({ lr, milestones }),
    description: `SGD lr ${lr} ÷10 at epochs ${milestones.join(', ')} of ${epochs}`,
  };
}

/**
 * The paper's regimes and two short ones. `epochs`, `lr` and `batchSize` override the defaults
 * (milestones of the step regimes scale with `epochs`).
 */
export function regime(name: RegimeName, overrides: RegimeOverrides = {}): Regime {
  switch (name) {
    // He et al. / the paper: lr 0.1, ÷10 at epochs 81 and 122 of 164, wd 1e-4, batch 128, momentum 0.9.
    case 'cifar':
      return stepRegime(name, { epochs: 164, batchSize: 128, milestoneFractions: [81 / 164, 122 / 164] }, overrides);
    case 'imagenet':
      return stepRegime(name, { epochs: 90, batchSize: 256, milestoneFractions: [1 / 3, 2 / 3] }, overrides);
    case 'cosine': {
      const epochs = overrides.epochs ?? 30;
      const lr = overrides.lr ?? 0.1;
      const warmupEpochs = Math.min(5, Math.max(1, Math.round(epochs / 20)));
      return {
        name,
        epochs,
        batchSize: overrides.batchSize ?? 128,
        momentum: 0.9,
        weightDecay: overrides.weightDecay ?? 5e-4,
        nesterov: true,
        schedule: cosineSchedule({ lr, epochs, warmupEpochs }),
        description: `SGD (Nesterov) lr ${lr}, ${warmupEpochs} warm-up epochs then cosine over ${epochs}`,
      };
    }
    case 'onecycle': {
      const epochs = overrides.epochs ?? 30;
      const lr = overrides.lr ?? 0.2;
      return {
        name,
        epochs,
        batchSize: overrides.batchSize ?? 128,
        momentum: 0.9,
        weightDecay: overrides.weightDecay ?? 5e-4,
        nesterov: true,
        schedule: oneCycleSchedule({ maxLr: lr, epochs }),
        description: `SGD (Nesterov) one-cycle, max lr ${lr} over ${epochs} epochs`,
      };
    }
    default:
      throw new Error(`Unknown regime '${String(name)}'; expected one of ${REGIME_NAMES.join(', ')}.`);
  }
}
