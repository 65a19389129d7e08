import * as path from 'node:path';
import { openDataset, type Preprocessing } from '@fixclf/datasets';
import '@fixclf/models'; // registers the custom layers a saved model may hold
import * as tf from '@tensorflow/tfjs-layers';
import { CHECKPOINT_DIR } from './checkpoint';
import { fileSystemHandler } from './io/file-handler';
import { readRun } from './run-dir';
import { evaluate } from './trainer';

export interface EvalResult {
  /** Top-1 and top-5 accuracy, percent. */
  top1: number;
  top5: number;
  /** Mean softmax cross-entropy. */
  loss: number;
  /** Images evaluated. */
  count: number;
}

/**
 * Evaluates a run's last checkpoint on any dataset source, with the run's own preprocessing
 * (image size, normalisation, evaluation transforms).
 */
export async function evaluateRun(
  runDir: string,
  options: { dataset?: string; split?: 'train' | 'test' | 'validation'; batchSize?: number; workers?: number } = {},
): Promise<EvalResult> {
  const config = await readRun(runDir);
  const model = await tf.loadLayersModel(fileSystemHandler(path.join(runDir, CHECKPOINT_DIR, 'model')));
  const source = options.dataset ?? config.dataset;
  const dataset = await openDataset(source, {
    split: options.split ?? 'test',
    preprocessing: config.preprocessing as Preprocessing,
    ...(options.workers != null ? { workers: options.workers } : {}),
  });
  try {
    if (dataset.numClasses !== config.numClasses) {
      throw new Error(`${source} has ${dataset.numClasses} classes; the run ${runDir} was trained on ${config.numClasses}.`);
    }
    const differing = dataset.classNames.findIndex((name, i) => name !== config.classNames[i]);
    if (differing >= 0) {
      throw new Error(`${source}: class ${differing} is '${dataset.classNames[differing]}', the run's is '${config.classNames[differing]}'; labels would not match.`);
    }
    return await evaluate(model, dataset, options.batchSize ?? 256);
  } finally {
    await dataset.close();
    model.dispose();
  }
}
