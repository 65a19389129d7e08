import { openDataset, type Dataset } from '@fixclf/datasets';
import '@fixclf/models'; // registers the custom layers a saved model may hold
import { loadCheckpointModelAt } from './checkpoint';
import { applyPrecision, runPrecision } from './precision';
import { readRun } from './run-dir';
import { checkCheckpointJson, runDataset, sameSource } from './run-files';
import { evaluate, type ClassAccuracy, type EvaluateResult } from './trainer';

/** What evaluateRun gives: evaluate()'s figures and the checkpoint they are of. */
export interface EvalResult extends EvaluateResult {
  /**
   * Where in training the evaluated checkpoint was saved: `epoch` epochs completed, `step` steps into the
   * next. A step other than 0 means an interrupted run's mid-epoch weights, which no epoch's logged
   * figures describe.
   */
  checkpoint: { epoch: number; step: number };
  /** With `perClass`: each class's images and top-1 accuracy, in label order, named as in run.json. */
  perClass?: (ClassAccuracy & { name: string })[];
}

/** The note for an evaluation of mid-epoch weights: which step they are from, and why no logged epoch matches them. */
export function midEpochNote(runDir: string, at: { epoch: number; step: number }): string {
  return (
    `note: ${runDir} was interrupted in epoch ${at.epoch + 1}: its checkpoint holds the weights after step ${at.step} of that epoch, ` +
    'which no epoch in its metrics describes. --resume the run to finish the epoch.'
  );
}

/**
 * Evaluates a run's last checkpoint on any dataset source, with the run's own preprocessing
 * (image size, normalisation, evaluation transforms) and precision (run.json's `precision`, on onednn;
 * other backends evaluate in fp32).
 */
export async function evaluateRun(
  runDir: string,
  options: {
    dataset?: string | undefined;
    split?: 'train' | 'test' | 'validation' | undefined;
    batchSize?: number | undefined;
    workers?: number | undefined;
    /** Image folders: default the run's own policy (run.json's onBadImage), else 'error'. */
    onBadImage?: 'skip' | 'error' | undefined;
    /** Also return which images the model gets right (EvalResult.correct). */
    perImage?: boolean | undefined;
    /** Also return each class's count and top-1 accuracy (EvalResult.perClass). */
    perClass?: boolean | undefined;
  } = {},
): Promise<EvalResult> {
  const config = await readRun(runDir);
  await checkCheckpointJson(runDir, 'evaluated'); // a torn state.json read as "no checkpoint yet" before
  await applyPrecision(runPrecision(config), { strict: false });
  // The newest complete checkpoint, also when a kill left it under a temporary name.
  const { model, epoch, step } = await loadCheckpointModelAt(runDir);
  const source = options.dataset ?? runDataset(config, runDir);
  const split = options.split ?? 'test';
  const opened: Dataset[] = [];
  const common = {
    preprocessing: config.preprocessing,
    onBadImage: options.onBadImage ?? config.onBadImage ?? 'error',
    ...(options.workers != null ? { workers: options.workers } : {}),
  };
  // The run's own synthetic training set had its own size; the test split always has the default.
  const synthetic = source === 'synthetic' && config.syntheticSize != null ? { synthetic: { size: config.syntheticSize } } : {};
  try {
    let dataset: Dataset;
    // The run's own source: a folder of classes is its training set whatever the split is called.
    const ownSource = sameSource(source, runDataset(config, runDir));
    const v = config.validation;
    if (split === 'validation' || (split === 'train' && v.kind === 'holdout' && ownSource)) {
      // The run's own hold-out (the same fraction and seed of the same training split), or what the run
      // trained on: that split without the hold-out (the whole split mixed the two).
      if (v.kind !== 'holdout') {
        throw new Error(
          `${runDir} was validated on ${v.kind === 'test' ? "its source's test split: use --split test" : 'nothing (--validation none)'}; it has no hold-out to evaluate.`,
        );
      }
      const full = await openDataset(source, { split: 'train', ...common, ...synthetic });
      const parts = full.holdout({ fraction: v.fraction, seed: v.seed });
      opened.push(full, parts.train, parts.validation);
      dataset = split === 'validation' ? parts.validation : parts.train;
    } else {
      dataset = await openDataset(source, { split, ...common, ...(split === 'train' ? synthetic : {}) }).catch((error: unknown) => {
        if (split === 'test' && v.kind === 'holdout' && ownSource && isMissingSplit(error)) {
          // The datasets' advice names train's --validation; for eval the run's hold-out is the answer.
          throw new Error(
            `--split test: ${source} has no test split, and ${runDir} held out ${v.fraction * 100} % of it: ` +
              '--split validation scores those images; --dataset <a test set> scores others.',
            { cause: error },
          );
        }
        throw error;
      });
      opened.push(dataset);
      if (split === 'test' && dataset.unsplit && ownSource) {
        // The run's own folder of classes gives every split the same images: its "test" would score the
        // training set. Another folder given with --dataset is a test set of its own.
        throw new Error(
          `--split test: ${source} has no test split (a folder of classes without train/ and test/ or val/ directories), so its test images ` +
            `would be the images ${runDir} trained on.${v.kind === 'holdout' ? ' Use --split validation, the run’s own hold-out.' : ''}`,
        );
      }
    }
    if (dataset.numClasses !== config.numClasses) {
      throw new Error(`${source} has ${dataset.numClasses} classes; the run ${runDir} was trained on ${config.numClasses}.`);
    }
    const differing = dataset.classNames.findIndex((name, i) => name !== config.classNames[i]);
    if (differing >= 0) {
      throw new Error(
        `${source}: class ${differing} is '${dataset.classNames[differing]}', the run's is '${config.classNames[differing]}'; labels would not match.`,
      );
    }
    const { perClass, ...result } = await evaluate(model, dataset, options.batchSize ?? 256, {
      perImage: options.perImage ?? false,
      perClass: options.perClass ?? false,
    });
    const named = perClass?.map((entry, c) => ({ name: config.classNames[c]!, ...entry }));
    return { ...result, ...(named ? { perClass: named } : {}), checkpoint: { epoch, step } };
  } finally {
    for (const d of opened.reverse()) await d.close();
    model.dispose();
  }
}

/** The datasets' "no such split" error (NOT_FOUND naming a split). */
function isMissingSplit(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'NOT_FOUND' && /has no test split/.test((error as Error).message);
}
