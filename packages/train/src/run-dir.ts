import { promises as fs, rmdirSync } from 'node:fs';
import * as path from 'node:path';
import { BAD_IMAGE_POLICIES, type BadImagePolicy, type Preprocessing } from '@fixclf/datasets';
import { type ClassifierKind, classifierKinds, type InputShape } from '@fixclf/models';
import { CHECKPOINT_DIR, findCheckpoint } from './checkpoint';
import type { RunEnvironment } from './environment';
import { exists, writeFileAtomic } from './io/atomic';
import { parseJsonFile } from './io/json-file';
import { acquireLock, type HeldLock } from './io/lock';
import { METRICS_CSV, METRICS_JSONL } from './logging/metrics-log';
import { REGIME_NAMES, type RegimeName } from './optim/schedules';
import { type Precision, PRECISIONS } from './precision';

export const RUN_JSON = 'run.json';

/** Everything that defines a training run, saved as run.json in its directory. */
export interface RunConfig {
  format: 'fixclf-run/1';
  model: string;
  /**
   * The dataset source: 'cifar10', 'synthetic', or a path: relative to the run directory when
   * `datasetRelativeTo` is 'run' (data beside or below the run), else absolute (or, in run.json
   * files written before, as it was given).
   */
  dataset: string;
  datasetRelativeTo?: 'run' | undefined;
  /** Image folders: leave unreadable files out ('skip') or fail ('error', also when absent). */
  onBadImage?: BadImagePolicy | undefined;
  /** Trained with a fixed thread count (`--deterministic`); absent in older runs: false. */
  deterministic?: boolean | undefined;
  /** oneDNN threads fixed by `deterministic` (null on the single-threaded cpu backend). */
  threads?: number | null | undefined;
  /**
   * Convolutions and matmuls in float32 or bf16 (`--precision`): what runs now, and what `--resume` asks
   * for; a change midway is in `history`. Absent in older runs: fp32.
   */
  precision?: Precision | undefined;
  /**
   * What `--resume` changed, such as the epochs of an extended run, from where: after `epoch` epochs
   * and `step` steps into the next (absent: 0). `environment`: where the run trained from there on,
   * when the resume moved it (another host, another version of fixclf).
   */
  history?: { at: string; epoch: number; step?: number; change: string; environment?: RunEnvironment }[] | undefined;
  /** Where the run was created: software and host. Absent in older runs. */
  environment?: RunEnvironment | undefined;
  /** What that source turned out to be. */
  datasetDescription: string;
  /** Training images of a 'synthetic' source when not its default (so eval can rebuild a hold-out). */
  syntheticSize?: number | undefined;
  numClasses: number;
  classNames: readonly string[];
  /**
   * Images of the dataset's training split before any hold-out (unreadable ones left out): a resume on
   * data changed at the same path is refused, since it would re-draw the hold-out. Absent in older runs.
   */
  datasetSize?: number | undefined;
  /** 'learned' or a FixedClassifier matrix kind. */
  classifier: ClassifierKind;
  /** Initial α of a fixed classifier when set explicitly. */
  scale: number | null;
  inputShape: InputShape;
  regime: {
    name: RegimeName;
    epochs: number;
    batchSize: number;
    lr: number | null;
    weightDecay: number;
    momentum: number;
    nesterov: boolean;
    description: string;
  };
  /** Seed of the weights, data order and augmentation. */
  seed: number;
  /** 'test' (the dataset's test split), or a seeded hold-out of the training set, or none. */
  validation: { kind: 'test' } | { kind: 'holdout'; fraction: number; seed: number } | { kind: 'none' };
  /** Weight decay also on α of the fixed classifier (the paper: yes); its bias is decayed either way. */
  decayScale: boolean;
  /** The dataset's preprocessing (@fixclf/datasets), so eval uses exactly what training used. */
  preprocessing: Preprocessing;
  params: { total: number; trainable: number; fixed: number };
  backend: string;
  createdAt: string;
}

/** The fields that must agree for `--resume` to continue a run rather than start another. */
const IDENTITY: (keyof RunConfig)[] = [
  'model',
  'dataset',
  'classifier',
  'scale',
  'numClasses',
  'classNames',
  'datasetSize',
  'seed',
  'inputShape',
  'decayScale',
];

/** How the command line sets each identity field, for messages (run.json's names where they differ). */
const IDENTITY_FLAGS: Partial<Record<keyof RunConfig, string>> = {
  model: '--model',
  dataset: '--dataset',
  classifier: '--classifier',
  seed: '--seed',
  scale: '--alpha (scale)',
  decayScale: '--alpha-decay (decayScale)',
  numClasses: 'the classes of --dataset (numClasses)',
  classNames: 'the class names of --dataset (classNames)',
  datasetSize: 'the images of --dataset (datasetSize; the data at that path changed)',
  inputShape: 'the image size of --dataset (inputShape)',
};

/**
 * Refuses a `--resume` whose identity options (model, dataset, classifier, α, seed) differ from the
 * run's: called with what the command line gives before any data or model is loaded, and again by
 * prepareRunDir with the whole config (classes, image size).
 */
export function checkSameRun(dir: string, saved: RunConfig, given: Partial<RunConfig>): void {
  const differences = identityDifferences(dir, saved, given);
  if (differences !== null) throw differentRun(dir, differences);
}

function differentRun(dir: string, differences: string): Error {
  return new Error(
    `Cannot resume ${dir}: it holds a different run (${differences}). Give the run's own values, or another --out for a new run.`,
  );
}

/**
 * "flag: the run's A, given B" for each identity field `given` has and the run differs in (datasets as
 * paths that work from here); null when none does.
 */
function identityDifferences(dir: string, saved: RunConfig, given: Partial<RunConfig>): string | null {
  // A field the run does not record (written by an older version) is not compared; nor is decayScale
  // for a learned head, which has no α to decay.
  const learned = saved.classifier === 'learned' && (given.classifier ?? 'learned') === 'learned';
  const different = IDENTITY.filter(
    (k) => k in given && k in saved && !(learned && k === 'decayScale') && JSON.stringify(saved[k]) !== JSON.stringify(given[k]),
  );
  if (different.length === 0) return null;
  const shown = (config: Partial<RunConfig>, k: keyof RunConfig) =>
    JSON.stringify(k === 'dataset' && config.datasetRelativeTo === 'run' ? path.resolve(dir, ...config.dataset!.split('/')) : config[k]);
  return different.map((k) => `${IDENTITY_FLAGS[k] ?? k}: the run's ${shown(saved, k)}, given ${shown(given, k)}`).join('; ');
}

export async function readRun(dir: string): Promise<RunConfig> {
  const file = path.join(dir, RUN_JSON);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    if ((await fs.stat(dir).catch(() => null))?.isFile()) {
      const parent = path.basename(dir) === RUN_JSON ? `: ${path.dirname(dir)}` : '';
      throw new Error(`${dir} is a file; give the run directory that holds run.json${parent}.`);
    }
    throw new Error(`${dir} is not a fixclf run directory: it has no ${RUN_JSON}.`);
  }
  const parsed = parseJsonFile<unknown>(
    file,
    text,
    "it holds the run's configuration, which --resume and fixclf eval need. Restore it from a backup or version control, " +
      'or train again into a new --out.',
  );
  const format = typeof parsed === 'object' && parsed !== null ? (parsed as { format?: unknown }).format : undefined;
  if (format !== 'fixclf-run/1') {
    // A foreign or newer file: said here, not as a TypeError in whatever step first reads a field.
    throw new Error(
      `${file} is not a run this fixclf reads: its format is ${JSON.stringify(format) ?? 'missing'}, not "fixclf-run/1"` +
        (typeof format === 'string' && format.startsWith('fixclf-run/')
          ? ' (written by another version of fixclf: read it with that version).'
          : '; is this the directory of a `fixclf train` run?'),
    );
  }
  const config = parsed as RunConfig;
  // The fields typed as names: an edited or foreign run.json fails here, naming the field, not in a later step.
  const names: [string, unknown, readonly unknown[], boolean][] = [
    ['classifier', config.classifier, classifierKinds, true],
    ['regime.name', config.regime?.name, REGIME_NAMES, true],
    ['precision', config.precision, PRECISIONS, false],
    ['onBadImage', config.onBadImage, BAD_IMAGE_POLICIES, false],
  ];
  for (const [field, value, allowed, required] of names) {
    if ((value !== undefined || required) && !allowed.includes(value)) {
      throw new Error(`${file}: ${field} is ${JSON.stringify(value)}; expected one of ${allowed.join(', ')}.`);
    }
  }
  return config;
}

/** The run's lock file: hidden, so that it never makes a new directory look used. */
export const LOCK_FILE = '.fixclf.lock';

/**
 * Locks run directory `dir` (creating it if needed) for one training process: a second `fixclf
 * train` on it, e.g. two `--resume` at once, fails with a message naming the process that holds
 * it. A lock left by a killed process on this host is taken over. Release it when done (it is also
 * released when the process exits); releasing removes the directories this call created that
 * stayed empty.
 */
export async function lockRunDir(
  dir: string,
  log: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Promise<HeldLock> {
  // The first directory mkdir made, if any: the lock is taken before any data opens, so a run that
  // fails there leaves no trace of --out a/b/c, parents included.
  const firstMade = await fs.mkdir(dir, { recursive: true });
  const removeMade = (): void => {
    if (firstMade === undefined) return;
    for (let d = dir; ; d = path.dirname(d)) {
      try {
        rmdirSync(d); // fails, as it should, unless the directory is empty
      } catch {
        return; // not empty: it holds the run
      }
      if (d === firstMade || path.dirname(d) === d) return;
    }
  };
  let lock: HeldLock;
  try {
    lock = await acquireLock(path.join(dir, LOCK_FILE), `run directory ${dir}`, log);
  } catch (error) {
    removeMade();
    throw error;
  }
  // Also at an exit without release (a second Ctrl-C quits at once): after the lock's own exit handler.
  const release = (): void => {
    process.off('exit', release);
    lock.release();
    removeMade();
  };
  process.on('exit', release);
  return { file: lock.file, owner: lock.owner, release };
}

/**
 * Creates the run directory for `config`, or checks that it is the same run when resuming. Call it
 * holding the directory's lock (lockRunDir). Returns whether training continues from a checkpoint.
 *
 * - A directory with a checkpoint (complete, wherever an interrupted save left it) is never
 *   overwritten: without `resume` it is an error; with it, the run continues.
 * - A directory with run.json and no checkpoint, left by a run that stopped before its first
 *   checkpoint (a kill, a divergence, a bad image in epoch 1), holds nothing worth keeping: with the
 *   same run identity it is started again from scratch, with or without `resume`, and `log` says so.
 */
export async function prepareRunDir(
  dir: string,
  config: RunConfig,
  resume: boolean,
  log: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Promise<{ resume: boolean }> {
  const hasRun = await exists(path.join(dir, RUN_JSON));
  if (hasRun) {
    const saved = await readRun(dir);
    const differences = identityDifferences(dir, saved, config);
    if (resume && differences !== null) throw differentRun(dir, differences);
    const checkpoint = await findCheckpoint(dir);
    if (checkpoint != null) {
      if (resume) return { resume: true };
      throw new Error(
        `${dir} already holds a run (${saved.model} on ${saved.dataset}, ${saved.classifier} classifier, started ${saved.createdAt}). ` +
          'Pass --resume to continue it, or choose another --out.',
      );
    }
    if (differences !== null) {
      throw new Error(
        `${dir} holds a run that stopped before its first checkpoint, with other options (${differences}). ` +
          'Run it again with its own options to start it over, or choose another --out.',
      );
    }
    log(`fixclf: ${dir} holds a run that stopped before its first checkpoint; starting it again from scratch.`);
    await clearRun(dir);
  } else {
    if (resume) throw new Error(`Cannot resume: ${dir} holds no run (no ${RUN_JSON}).`);
    await fs.mkdir(dir, { recursive: true });
    const leftovers = (await fs.readdir(dir)).filter((f) => !f.startsWith('.'));
    if (leftovers.length > 0) {
      throw new Error(
        `${dir} is not empty (${leftovers.slice(0, 3).join(', ')}${leftovers.length > 3 ? ', …' : ''}); choose an empty or new --out.`,
      );
    }
  }
  await writeFileAtomic(path.join(dir, RUN_JSON), JSON.stringify(config, null, 2) + '\n');
  return { resume: false };
}

/** What a run without a checkpoint may have left: logs, checkpoint fragments, temporary files. */
async function clearRun(dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    const leftover =
      name === METRICS_JSONL ||
      name === METRICS_CSV ||
      name === CHECKPOINT_DIR ||
      name.startsWith(`${CHECKPOINT_DIR}.old-`) ||
      name.startsWith(`.${CHECKPOINT_DIR}.tmp-`) ||
      /^\.(metrics\.(jsonl|csv)|run\.json)\..*\.tmp$/.test(name);
    if (leftover) await fs.rm(path.join(dir, name), { recursive: true, force: true });
  }
}
