import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Batch, TrainDataset } from './dataset';
import { type Checkpoint, loadCheckpoint, saveCheckpoint } from './checkpoint';
import { type EpochRecord, MetricsLog } from './logging/metrics-log';
import type { ProgressReporter } from './logging/progress';
import { EpochMeter, topKHits } from './metrics';
import { SGD } from './optim/sgd';
import type { Regime } from './optim/schedules';

export interface TrainerOptions {
  model: LayersModel;
  train: TrainDataset;
  /** Evaluated after every epoch, without augmentation. */
  validation?: TrainDataset;
  regime: Regime;
  /** Seed of the data order and augmentation. */
  seed: number;
  /** Where checkpoints and metrics go; without it nothing is written. */
  runDir?: string;
  /** Continue from the checkpoint in runDir. */
  resume?: boolean;
  /** Weights (by variable name) excluded from weight decay. Default none: the paper decays α too. */
  noWeightDecay?: (name: string) => boolean;
  progress?: ProgressReporter;
  /** Aborting stops after the current step, saves a checkpoint and resolves with `interrupted`. */
  signal?: AbortSignal;
  /** Called after each epoch's record is written. */
  onEpoch?: (record: EpochRecord) => void;
}

export interface TrainResult {
  records: EpochRecord[];
  /** Stopped early by the signal (a checkpoint holds the exact position). */
  interrupted: boolean;
}

/** Thrown when the loss stops being a finite number; the last good checkpoint stays in place. */
export class DivergenceError extends Error {
  constructor(
    message: string,
    readonly epoch: number,
    readonly step: number,
  ) {
    super(message);
    this.name = 'DivergenceError';
  }
}

/**
 * Trains `model` with SGD in PyTorch semantics under `regime`. Every step: forward in training
 * mode, softmax cross-entropy, gradients of every trainable weight, a finite-loss check, the
 * update. Every epoch: validation, the classifier's α, a record in metrics.jsonl/csv and an atomic
 * checkpoint (model, optimizer, position, partial-epoch sums), so a resumed run sees the same
 * batches and computes the same numbers as an uninterrupted one.
 */
export async function train(options: TrainerOptions): Promise<TrainResult> {
  const { model, regime, seed, runDir, progress, signal } = options;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const sgd = new SGD(variables, {
    momentum: regime.momentum,
    weightDecay: regime.weightDecay,
    nesterov: regime.nesterov,
    noWeightDecay: options.noWeightDecay,
  });
  const log = runDir ? new MetricsLog(runDir) : null;
  const records: EpochRecord[] = [];

  let start: Pick<Checkpoint, 'epoch' | 'step' | 'meter' | 'seconds'> = { epoch: 0, step: 0, meter: null, seconds: 0 };
  if (options.resume) {
    if (!runDir) throw new Error('train: resume needs a runDir.');
    const checkpoint = await loadCheckpoint(runDir, model, sgd);
    start = checkpoint;
    records.push(...(await log!.truncateTo(checkpoint.epoch)));
  }

  const stepsPerEpoch = Math.floor(options.train.size / regime.batchSize);
  if (stepsPerEpoch < 1) {
    throw new Error(`train: the training set has ${options.train.size} images, fewer than one batch of ${regime.batchSize}.`);
  }

  try {
    for (let epoch = start.epoch; epoch < regime.epochs; epoch++) {
      const resumedHere = epoch === start.epoch;
      const meter = new EpochMeter(resumedHere ? (start.meter ?? undefined) : undefined);
      const firstStep = resumedHere ? start.step : 0;
      const epochStart = performance.now();
      let seconds = resumedHere ? start.seconds : 0;
      let lr = regime.schedule({ epoch, step: firstStep, stepsPerEpoch });
      progress?.startEpoch(epoch + 1, regime.epochs, stepsPerEpoch, firstStep);

      // Resuming mid-epoch starts at the first batch not yet trained on, in the same order.
      let step = firstStep;
      const batches = options.train.batches({
        batchSize: regime.batchSize, shuffle: true, seed, epoch, augment: true, dropRemainder: true, startBatch: firstStep,
      });
      for await (const batch of batches) {
        lr = regime.schedule({ epoch, step, stepsPerEpoch });
        const { loss, top1, top5, size } = trainStep(model, variables, sgd, batch, lr, () => new DivergenceError(
          `Training diverged: the loss is not finite at epoch ${epoch + 1}, step ${step + 1} (lr ${lr}). ` +
            (runDir ? `The last good checkpoint is kept in ${runDir}.` : 'Nothing was saved.') +
            ' Try a lower learning rate.',
          epoch,
          step,
        ));
        meter.add(loss, size, top1, top5);
        step++;
        progress?.step(step, meter.summary().loss, meter.images / Math.max(1e-9, seconds + (performance.now() - epochStart) / 1000));
        if (signal?.aborted && step < stepsPerEpoch) {
          if (runDir) {
            await saveCheckpoint(runDir, model, sgd, { epoch, step, meter: meter.state(), seconds: seconds + (performance.now() - epochStart) / 1000 });
          }
          progress?.stop();
          return { records, interrupted: true };
        }
      }
      seconds += (performance.now() - epochStart) / 1000;

      const val = options.validation ? await evaluate(model, options.validation, regime.batchSize) : null;
      const trainSummary = meter.summary();
      const record: EpochRecord = {
        epoch: epoch + 1,
        lr,
        trainLoss: trainSummary.loss,
        trainError: 100 - trainSummary.top1,
        valLoss: val?.loss ?? null,
        valTop1: val?.top1 ?? null,
        valTop5: val?.top5 ?? null,
        alpha: classifierScale(model),
        imagesPerSecond: trainSummary.count / Math.max(1e-9, seconds),
        seconds,
      };
      records.push(record);
      if (runDir) {
        await saveCheckpoint(runDir, model, sgd, { epoch: epoch + 1, step: 0, meter: null, seconds: 0 });
        await log!.append(record);
      }
      progress?.endEpoch(record);
      options.onEpoch?.(record);
      if (signal?.aborted) return { records, interrupted: epoch + 1 < regime.epochs };
    }
  } finally {
    sgd.dispose();
    progress?.stop();
  }
  return { records, interrupted: false };
}

function trainStep(
  model: LayersModel,
  variables: tf.Variable[],
  sgd: SGD,
  batch: Batch,
  lr: number,
  diverged: () => Error,
): { loss: number; top1: number; top5: number; size: number } {
  const size = batch.xs.shape[0]!;
  const classes = batch.ys.shape[1]!;
  let logits: tf.Tensor | null = null;
  try {
    const { value, grads } = tf.variableGrads(() => {
      const out = model.apply(batch.xs, { training: true }) as tf.Tensor;
      logits = tf.keep(out);
      return tf.losses.softmaxCrossEntropy(batch.ys, out) as tf.Scalar;
    }, variables);
    const loss = value.dataSync()[0]!;
    value.dispose();
    if (!Number.isFinite(loss)) {
      tf.dispose(grads);
      throw diverged();
    }
    sgd.step(grads, lr);
    tf.dispose(grads);
    const labels = labelsOf(batch.ys);
    const scores = (logits as unknown as tf.Tensor).dataSync();
    return { loss, top1: topKHits(scores, labels, classes, 1), top5: topKHits(scores, labels, classes, 5), size };
  } finally {
    if (logits) (logits as tf.Tensor).dispose();
    tf.dispose([batch.xs, batch.ys]);
  }
}

/** Loss, top-1 and top-5 (percent) of `model` over a dataset, in inference mode. */
export async function evaluate(
  model: LayersModel,
  dataset: TrainDataset,
  batchSize: number,
): Promise<{ loss: number; top1: number; top5: number; count: number }> {
  const meter = new EpochMeter();
  for await (const batch of dataset.batches({ batchSize, shuffle: false, augment: false, dropRemainder: false })) {
    const classes = batch.ys.shape[1]!;
    const [loss, scores] = tf.tidy(() => {
      const logits = model.apply(batch.xs, { training: false }) as tf.Tensor;
      return [tf.losses.softmaxCrossEntropy(batch.ys, logits).dataSync()[0]!, logits.dataSync()] as const;
    });
    const labels = labelsOf(batch.ys);
    meter.add(loss, labels.length, topKHits(scores, labels, classes, 1), topKHits(scores, labels, classes, 5));
    tf.dispose([batch.xs, batch.ys]);
  }
  return meter.summary();
}

/** Integer labels from one-hot rows. */
function labelsOf(ys: tf.Tensor): Int32Array {
  return tf.tidy(() => tf.argMax(ys, 1).dataSync() as Int32Array);
}

/** α of the model's FixedClassifier, if it has one. */
export function classifierScale(model: LayersModel): number | null {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'FixedClassifier') continue;
    const i = layer.weights.findIndex((w) => w.originalName.split('/').pop() === 'scale');
    if (i >= 0) return layer.getWeights()[i]!.dataSync()[0]!;
  }
  return null;
}
