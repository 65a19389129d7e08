import cliProgress from 'cli-progress';
import type { EpochRecord } from './metrics-log';

/** What the trainer tells the user while it runs. */
export interface ProgressReporter {
  startEpoch(epoch: number, epochs: number, steps: number, firstStep: number): void;
  step(step: number, loss: number, imagesPerSecond: number): void;
  endEpoch(record: EpochRecord): void;
  stop(): void;
}

/**
 * One line per epoch, what a log file or CI wants, and within an epoch a line every `intervalMs`
 * (default a minute): a CIFAR epoch takes minutes here, an ImageNet one hours, and a log that stays
 * silent that long looks hung. Each says how long the epoch has left at its pace so far (plus the
 * last epoch's validation, once one ran here: a CIFAR epoch's ~7 %) and, once an epoch has run whole
 * in this process, how long the run has left.
 */
export class LineProgress implements ProgressReporter {
  private epoch = 0;
  private epochs = 0;
  private steps = 0;
  private firstStep = 0;
  private started = 0;
  private last = 0;
  /** The last whole epoch's wall time, training and validation; null until one ran whole here. */
  private epochMs: number | null = null;
  /** When the last step of this epoch ended (null before its first step here). */
  private lastStepAt: number | null = null;
  /** The time from an epoch's last step to its end (validation), as last measured; null until then. */
  private tailMs: number | null = null;
  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
    private readonly label = '',
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}
  startEpoch(epoch: number, epochs: number, steps: number, firstStep = 0): void {
    this.epoch = epoch;
    this.epochs = epochs;
    this.steps = steps;
    this.firstStep = firstStep;
    this.started = this.last = this.now();
    this.lastStepAt = null;
  }
  step(step: number, loss: number, imagesPerSecond: number): void {
    const now = this.now();
    this.lastStepAt = now;
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    const done = step - this.firstStep;
    const epochLeft = done > 0 ? ((now - this.started) / done) * (this.steps - step) + (this.tailMs ?? 0) : null;
    const left =
      epochLeft === null
        ? ''
        : ` | left: epoch ${formatDuration(epochLeft)}` +
          (this.epochMs === null ? '' : `, run ${formatDuration(epochLeft + (this.epochs - this.epoch) * this.epochMs)}`);
    this.write(
      `${this.label}epoch ${this.epoch}/${this.epochs}: step ${step}/${this.steps} | loss ${loss.toFixed(3)} | ${imagesPerSecond.toFixed(0)} img/s${left}`,
    );
  }
  endEpoch(r: EpochRecord): void {
    const now = this.now();
    if (this.firstStep === 0) this.epochMs = now - this.started;
    if (this.lastStepAt !== null) this.tailMs = now - this.lastStepAt;
    this.write(`${this.label}${formatRecord(r)}`);
  }
  stop(): void {}
}

/** 45s, 4m 51s, 16h 4m. */
function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** A progress bar with ETA and images/s on a terminal (cli-progress), plus the epoch lines. */
export class BarProgress implements ProgressReporter {
  private bar: cliProgress.SingleBar | null = null;
  constructor(private readonly label = '') {}

  startEpoch(epoch: number, epochs: number, steps: number, firstStep: number): void {
    this.bar?.stop();
    this.bar = new cliProgress.SingleBar(
      {
        format: `${this.label}epoch ${epoch}/${epochs} [{bar}] {percentage}% | {value}/{total} steps | {ips} img/s | loss {loss} | ETA {eta_formatted}`,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(steps, firstStep, { ips: '-', loss: '-' });
  }
  step(step: number, loss: number, imagesPerSecond: number): void {
    this.bar?.update(step, { ips: imagesPerSecond.toFixed(0), loss: loss.toFixed(3) });
  }
  endEpoch(r: EpochRecord): void {
    this.bar?.stop();
    this.bar = null;
    process.stdout.write(`${this.label}${formatRecord(r)}\n`);
  }
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** A bar on a terminal, lines otherwise. */
export function defaultProgress(label = ''): ProgressReporter {
  return process.stdout.isTTY ? new BarProgress(label) : new LineProgress(undefined, label);
}

export function formatRecord(r: EpochRecord): string {
  const val =
    r.valTop1 == null ? '' : ` | val loss ${r.valLoss!.toFixed(4)} top-1 ${r.valTop1.toFixed(2)} % top-5 ${r.valTop5!.toFixed(2)} %`;
  const alpha = r.alpha == null ? '' : ` | α ${r.alpha.toFixed(3)}`;
  const features = r.featureNorm == null ? '' : ` | ‖features‖ ${r.featureNorm.toFixed(3)}`;
  return (
    `epoch ${String(r.epoch).padStart(3)} | lr ${r.lr.toPrecision(3)} | train loss ${r.trainLoss.toFixed(4)} error ${r.trainError.toFixed(2)} %` +
    `${val}${alpha}${features} | ${r.imagesPerSecond.toFixed(0)} img/s | ${r.seconds.toFixed(1)} s`
  );
}
