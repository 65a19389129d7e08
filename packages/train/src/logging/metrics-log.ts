import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** One line of a run's log: what happened in one epoch. */
export interface EpochRecord {
  epoch: number;
  lr: number;
  trainLoss: number;
  /** Training top-1 error, percent (on augmented batches, as they were trained). */
  trainError: number;
  valLoss: number | null;
  valTop1: number | null;
  valTop5: number | null;
  /** The fixed classifier's α at the end of the epoch (null for a learned head). */
  alpha: number | null;
  imagesPerSecond: number;
  seconds: number;
}

const COLUMNS: (keyof EpochRecord)[] = [
  'epoch', 'lr', 'trainLoss', 'trainError', 'valLoss', 'valTop1', 'valTop5', 'alpha', 'imagesPerSecond', 'seconds',
];

export const METRICS_JSONL = 'metrics.jsonl';
export const METRICS_CSV = 'metrics.csv';

/**
 * Appends epoch records to metrics.jsonl and metrics.csv in a run directory. On resume the logs are
 * cut back to the epochs the checkpoint holds, so they never show an epoch twice.
 */
export class MetricsLog {
  constructor(private readonly dir: string) {}

  async truncateTo(epochs: number): Promise<EpochRecord[]> {
    const kept = (await readMetrics(this.dir)).filter((r) => r.epoch <= epochs);
    await fs.writeFile(path.join(this.dir, METRICS_JSONL), kept.map((r) => JSON.stringify(r) + '\n').join(''));
    await fs.writeFile(path.join(this.dir, METRICS_CSV), [COLUMNS.join(','), ...kept.map(csvLine)].join('\n') + '\n');
    return kept;
  }

  async append(record: EpochRecord): Promise<void> {
    await fs.appendFile(path.join(this.dir, METRICS_JSONL), JSON.stringify(record) + '\n');
    const csv = path.join(this.dir, METRICS_CSV);
    let header = '';
    try {
      await fs.access(csv);
    } catch {
      header = COLUMNS.join(',') + '\n';
    }
    await fs.appendFile(csv, header + csvLine(record) + '\n');
  }
}

function csvLine(r: EpochRecord): string {
  return COLUMNS.map((c) => (r[c] == null ? '' : String(r[c]))).join(',');
}

export async function readMetrics(dir: string): Promise<EpochRecord[]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, METRICS_JSONL), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as EpochRecord;
      } catch {
        throw new Error(`${path.join(dir, METRICS_JSONL)}: line ${i + 1} is not JSON.`);
      }
    });
}
