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
 * silent that long looks hung.
 */
export class LineProgress implements ProgressReporter {
  private epoch = '';
  private steps = 0;
  private last = 0;
  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
    private readonly label = '',
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}
  startEpoch(epoch: number, epochs: number, steps: number, _firstStep?: number): void {
    this.epoch = `epoch ${epoch}/${epochs}`;
    this.steps = steps;
    this.last = this.now();
  }
  step(step: number, loss: number, imagesPerSecond: number): void {
    const now = this.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    this.write(`${this.label}${this.epoch}: step ${step}/${this.steps} | loss ${loss.toFixed(3)} | ${imagesPerSecond.toFixed(0)} img/s`);
  }
  endEpoch(r: EpochRecord): void {
    this.write(`${this.label}${formatRecord(r)}`);
  }
  stop(): void {}
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
