import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { exists, writeFileAtomic } from './io/atomic';

export const RUN_JSON = 'run.json';

/** Everything that defines a training run, saved as run.json in its directory. */
export interface RunConfig {
  format: 'fixclf-run/1';
  model: string;
  /** The dataset source as given: 'cifar10', 'synthetic', a path. */
  dataset: string;
  /** What that source turned out to be. */
  datasetDescription: string;
  /** Training images of a 'synthetic' source when not its default (so eval can rebuild a hold-out). */
  syntheticSize?: number;
  numClasses: number;
  classNames: string[];
  /** 'learned' or a FixedClassifier matrix kind. */
  classifier: string;
  /** Initial α of a fixed classifier when set explicitly. */
  scale: number | null;
  inputShape: [number, number, number];
  regime: { name: string; epochs: number; batchSize: number; lr: number | null; weightDecay: number; momentum: number; nesterov: boolean; description: string };
  /** Seed of the weights, data order and augmentation. */
  seed: number;
  /** 'test' (the dataset's test split), or a seeded hold-out of the training set, or none. */
  validation: { kind: 'test' } | { kind: 'holdout'; fraction: number; seed: number } | { kind: 'none' };
  /** Weight decay also on α and the bias of the fixed classifier (the paper: yes). */
  decayScale: boolean;
  /** The dataset's preprocessing (@fixclf/datasets), so eval uses exactly what training used. */
  preprocessing: unknown;
  params: { total: number; trainable: number; fixed: number };
  backend: string;
  createdAt: string;
}

/** The fields that must agree for `--resume` to continue a run rather than start another. */
const IDENTITY: (keyof RunConfig)[] = ['model', 'dataset', 'classifier', 'scale', 'numClasses', 'seed', 'inputShape', 'decayScale'];

export async function readRun(dir: string): Promise<RunConfig> {
  const file = path.join(dir, RUN_JSON);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new Error(`${dir} is not a fixclf run directory: it has no ${RUN_JSON}.`);
  }
  const config = JSON.parse(text) as RunConfig;
  if (config.format !== 'fixclf-run/1') throw new Error(`${file}: unknown format '${String(config.format)}'.`);
  return config;
}

/**
 * Creates the run directory for `config`, or checks that it is the same run when resuming.
 * A directory that already holds another run is never overwritten.
 */
export async function prepareRunDir(dir: string, config: RunConfig, resume: boolean): Promise<void> {
  const hasRun = await exists(path.join(dir, RUN_JSON));
  if (resume) {
    if (!hasRun) throw new Error(`Cannot resume: ${dir} holds no run (no ${RUN_JSON}).`);
    const saved = await readRun(dir);
    const different = IDENTITY.filter((k) => JSON.stringify(saved[k]) !== JSON.stringify(config[k]));
    if (different.length > 0) {
      throw new Error(
        `Cannot resume ${dir}: it holds a different run (${different.map((k) => `${k} ${JSON.stringify(saved[k])} ≠ ${JSON.stringify(config[k])}`).join(', ')}).`,
      );
    }
    return;
  }
  if (hasRun) {
    const saved = await readRun(dir);
    throw new Error(
      `${dir} already holds a run (${saved.model} on ${saved.dataset}, ${saved.classifier} classifier, started ${saved.createdAt}). ` +
        'Pass --resume to continue it, or choose another --out.',
    );
  }
  await fs.mkdir(dir, { recursive: true });
  const leftovers = (await fs.readdir(dir)).filter((f) => !f.startsWith('.'));
  if (leftovers.length > 0) {
    throw new Error(`${dir} is not empty (${leftovers.slice(0, 3).join(', ')}${leftovers.length > 3 ? ', …' : ''}); choose an empty or new --out.`);
  }
  await writeFileAtomic(path.join(dir, RUN_JSON), JSON.stringify(config, null, 2) + '\n');
}
