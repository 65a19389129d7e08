import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { exists, writeFileAtomic } from '../io/atomic';
import { interruptionPoint } from '../io/test-hooks';

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
  /**
   * Mean L2 norm of the features the classifier receives (its input, before the fixed head normalises
   * them), over the validation images in inference mode; null without validation, absent in runs logged
   * before it was recorded.
   */
  featureNorm?: number | null;
  /** Training images per second of the epoch's training (validation not counted). */
  imagesPerSecond: number;
  /**
   * Seconds the epoch's training took, summed over interruptions; validation not counted (runs logged
   * by earlier builds of this package counted it too: a few seconds more an epoch).
   */
  seconds: number;
}

const COLUMNS: (keyof EpochRecord)[] = [
  'epoch',
  'lr',
  'trainLoss',
  'trainError',
  'valLoss',
  'valTop1',
  'valTop5',
  'alpha',
  'featureNorm',
  'imagesPerSecond',
  'seconds',
];

export const METRICS_JSONL = 'metrics.jsonl';
export const METRICS_CSV = 'metrics.csv';

/**
 * Appends epoch records to metrics.jsonl and metrics.csv in a run directory. The checkpoint is the
 * reference: it holds every finished epoch's record and is saved before the line is appended, so
 * on resume `repair` makes both logs hold exactly the checkpoint's epochs (appending what a kill cut
 * off, dropping what lies beyond). Logs are never rewritten in place: a rewrite goes to a temporary
 * file renamed over the log, so a kill leaves the old log or the new one, each whole.
 */
export class MetricsLog {
  constructor(private readonly dir: string) {}

  /** Makes both logs hold exactly `records`, one line each; leaves a log that already does untouched. */
  async repair(records: EpochRecord[]): Promise<void> {
    const jsonl = renderJsonl(records);
    const csv = renderCsv(records);
    const jsonlFile = path.join(this.dir, METRICS_JSONL);
    const csvFile = path.join(this.dir, METRICS_CSV);
    if ((await readText(jsonlFile)) !== jsonl) {
      await writeFileAtomic(jsonlFile, jsonl);
      interruptionPoint('during-log-rewrite');
    }
    if ((await readText(csvFile)) !== csv) await writeFileAtomic(csvFile, csv);
  }

  /**
   * For checkpoints of older versions, which hold no records: keeps the logged epochs up to
   * `epochs` (each once) and returns them.
   */
  async truncateTo(epochs: number): Promise<EpochRecord[]> {
    const kept: EpochRecord[] = [];
    for (const r of await readMetrics(this.dir)) {
      if (r.epoch <= epochs && !kept.some((k) => k.epoch === r.epoch)) kept.push(r);
    }
    await this.repair(kept);
    return kept;
  }

  async append(record: EpochRecord): Promise<void> {
    await fs.appendFile(path.join(this.dir, METRICS_JSONL), JSON.stringify(record) + '\n');
    interruptionPoint('between-metrics-files');
    const csv = path.join(this.dir, METRICS_CSV);
    const header = (await exists(csv)) ? '' : COLUMNS.join(',') + '\n';
    await fs.appendFile(csv, header + csvLine(record) + '\n');
  }
}

function renderJsonl(records: EpochRecord[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}

function renderCsv(records: EpochRecord[]): string {
  return [COLUMNS.join(','), ...records.map(csvLine)].join('\n') + '\n';
}

async function readText(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
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
