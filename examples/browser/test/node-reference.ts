import path from 'node:path';
import { openDataset, type Preprocessing } from '@fixclf/datasets';
import { evaluateRun, fileSystemHandler, readRun, selectBackend, type EvalResult } from '@fixclf/train';
import * as tf from '@tensorflow/tfjs';

export interface ReferencePrediction {
  /** Path relative to the image folder, '/'-separated: 'cat/0000.jpg'. */
  file: string;
  label: number;
  probabilities: number[];
}

/**
 * What the Node side of fixclf says about an image folder with a run's checkpoint, on the pure-JS cpu
 * backend: per-image softmax probabilities through @fixclf/datasets with the run's own preprocessing
 * (exactly the batches `fixclf eval` evaluates) and the checkpoint loaded as evaluateRun loads it, plus
 * evaluateRun's own summary (what `fixclf eval --run <run> --dataset <folder>` prints).
 */
export async function nodeReference(
  runDir: string,
  imagesDir: string,
): Promise<{ predictions: ReferencePrediction[]; evaluation: EvalResult; backend: string }> {
  const backend = await selectBackend('cpu');
  tf.env().set('PROD', true); // no "install tfjs-node" banner in the test log
  const config = await readRun(runDir);
  const model = await tf.loadLayersModel(fileSystemHandler(path.join(runDir, 'checkpoint', 'model')));
  const dataset = await openDataset(imagesDir, { split: 'test', preprocessing: config.preprocessing as Preprocessing, workers: 0 });
  const predictions: ReferencePrediction[] = [];
  try {
    for await (const batch of dataset.arrays({ batchSize: 256, shuffle: false, augment: false })) {
      const rows = tf.tidy(
        () => tf.softmax(model.apply(tf.tensor4d(batch.x, batch.shape), { training: false }) as tf.Tensor2D).arraySync() as number[][],
      );
      for (let i = 0; i < rows.length; i++) {
        const image = await dataset.readImage(batch.positions[i]!);
        predictions.push({
          file: path.relative(imagesDir, image.file).split(path.sep).join('/'),
          label: batch.labels[i]!,
          probabilities: rows[i]!,
        });
      }
    }
  } finally {
    await dataset.close();
    model.dispose();
  }
  const evaluation = await evaluateRun(runDir, { dataset: imagesDir, workers: 0 });
  return { predictions, evaluation, backend: backend.name };
}
