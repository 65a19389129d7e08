import { findFixedClassifier, fuseBatchNormTraining, fuseTrunkTraining, scaleOf } from '@fixclf/layers';
import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, model as tfModel } from '@tensorflow/tfjs-layers';
import type { TrainBatch, TrainDataset } from './dataset';
import { type Checkpoint, describePosition, loadCheckpoint, recoverCheckpoint, saveCheckpoint } from './checkpoint';
import { interruptionPoint } from './io/test-hooks';
import { type EpochRecord, MetricsLog } from './logging/metrics-log';
import type { ProgressReporter } from './logging/progress';
import { EpochMeter, topKHits, topKMask } from './metrics';
import { SGD } from './optim/sgd';
import type { Regime } from './optim/schedules';

export interface TrainerOptions {
  model: LayersModel;
  train: TrainDataset;
  /** Evaluated after every epoch, without augmentation. */
  validation?: TrainDataset | undefined;
  regime: Regime;
  /** Seed of the data order and augmentation. */
  seed: number;
  /** Where checkpoints and metrics go; without it nothing is written. */
  runDir?: string | undefined;
  /** Continue from the checkpoint in runDir. */
  resume?: boolean | undefined;
  /** Weights (by variable name) excluded from weight decay. Default none: the paper decays α too. */
  noWeightDecay?: ((name: string) => boolean) | undefined;
  progress?: ProgressReporter | undefined;
  /**
   * Aborting stops after the current step (or validation batch), saves a checkpoint of that exact
   * position and resolves with `interrupted`, also in the last epoch.
   */
  signal?: AbortSignal | undefined;
  /** Called after each epoch's record is written. */
  onEpoch?: ((record: EpochRecord) => void) | undefined;
}

export interface TrainResult {
  records: EpochRecord[];
  /** Stopped early by the signal (a checkpoint holds the exact position). */
  interrupted: boolean;
}

/**
 * Thrown when training stops producing finite numbers (the loss of a step, the weights or the
 * validation loss after an epoch). No checkpoint holding such weights is ever written; the message
 * says which checkpoint, if any, is left to continue from.
 */
export class DivergenceError extends Error {
  /**
   * Where training stood when it diverged, as a checkpoint's position: `epoch` epochs completed and
   * `step` steps into the next (a validation loss that is not finite: the epoch counts as completed, step 0).
   */
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
 * update. Every epoch: validation, the classifier's α, a check that the weights and the validation
 * loss are finite, an atomic checkpoint (model, optimizer, position, partial-epoch sums, the
 * records so far) and then a record in metrics.jsonl/csv, so a resumed run sees the same batches
 * and computes the same numbers as an uninterrupted one, and its logs hold every finished epoch
 * once whatever point a kill hit. The loop yields to the event loop after every step, so an abort
 * (Ctrl-C) is seen within one step. The model's BatchNormalization layers are made to train as one
 * op each (`fuseBatchNormTraining` of @fixclf/layers: the same outputs, moving averages and gradients),
 * and its convolutional trunk as one op where the backend has the kernels (`fuseTrunkTraining`: the
 * same numbers again).
 */
export async function train(options: TrainerOptions): Promise<TrainResult> {
  const { model, regime, seed, runDir, progress, signal } = options;
  // Each batch norm trains as one op (same numbers; a ResNet-56 step on onednn: 1,124 kernel calls, not 3,176).
  fuseBatchNormTraining(model);
  // The trunk as one op where the backend runs it (onednn): the same kernels without TF.js's per-call
  // bookkeeping in between; ResNet-56 batch 128 bf16 steps 7 % faster, ResNet-20 15 %.
  fuseTrunkTraining(model);
  const sgd = new SGD(model.trainableWeights, {
    momentum: regime.momentum,
    weightDecay: regime.weightDecay,
    nesterov: regime.nesterov,
    noWeightDecay: options.noWeightDecay,
  });
  const variables = [...sgd.variables];
  const log = runDir ? new MetricsLog(runDir) : null;
  const records: EpochRecord[] = [];

  let start: Pick<Checkpoint, 'epoch' | 'step' | 'meter' | 'seconds'> = { epoch: 0, step: 0, meter: null, seconds: 0 };
  /** The checkpoint that a failure leaves to continue from: what error messages may promise. */
  let saved: { epoch: number; step: number } | null = null;
  if (options.resume) {
    if (!runDir) throw new Error('train: resume needs a runDir.');
    await recoverCheckpoint(runDir, (line) => process.stderr.write(line + '\n'));
    const checkpoint = await loadCheckpoint(runDir, model, sgd);
    start = checkpoint;
    saved = { epoch: checkpoint.epoch, step: checkpoint.step };
    if (checkpoint.records) {
      await log!.repair(checkpoint.records);
      records.push(...checkpoint.records);
    } else {
      records.push(...(await log!.truncateTo(checkpoint.epoch)));
    }
  }

  const stepsPerEpoch = stepsInEpoch(options.train.size, regime.batchSize);
  if (stepsPerEpoch < 1) {
    throw new Error(`train: the training set has ${options.train.size} images, fewer than one batch of ${regime.batchSize}.`);
  }

  const whatIsKept = (): string => {
    if (!runDir) return 'Nothing was saved.';
    if (saved == null) {
      return `No checkpoint was saved (this happened before the first one), so the same command starts ${runDir} again from scratch.`;
    }
    return `The last good checkpoint (${describePosition(saved)}) is kept in ${runDir}; --resume continues from it.`;
  };
  /** A failed write (a full disk, a read-only mount) names what was written where, what is kept and what to do. */
  const writing = async (what: string, write: () => Promise<void>): Promise<void> => {
    try {
      await write();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code !== 'string' || !code.startsWith('E')) throw error;
      const fix =
        code === 'ENOSPC' || code === 'EDQUOT'
          ? 'Free some space'
          : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
            ? `Make ${runDir} writable`
            : 'Fix that';
      throw new Error(`Cannot write ${what} in ${runDir}: ${(error as Error).message}. ${whatIsKept()} ${fix}, then --resume.`, {
        cause: error,
      });
    }
  };
  const save = async (state: Checkpoint, lr: number): Promise<void> => {
    if (!runDir) return;
    // Weights that are no longer finite would make every resume diverge at once: never keep them.
    const bad = nonFiniteWeight(model);
    if (bad != null) {
      const where = state.step > 0 ? `at epoch ${state.epoch + 1}, step ${state.step}` : `after epoch ${state.epoch}`;
      throw new DivergenceError(
        `Training diverged: weight '${bad}' is not finite ${where} (lr ${lr}); that checkpoint was not saved. ${whatIsKept()} Try a lower learning rate.`,
        state.epoch,
        state.step,
      );
    }
    await writing('the checkpoint', () => saveCheckpoint(runDir, model, sgd, { ...state, records: [...records] }));
    saved = { epoch: state.epoch, step: state.step };
  };

  /**
   * `error` (the data's, its class and code kept for the advice callers add), saying what is kept once
   * `state`, the steps since the last checkpoint, is saved. A save that fails too (weights no longer
   * finite, a full disk) is told after it, not in its place: the data error names the file to mend.
   */
  const keepingSteps = async (error: unknown, state: Checkpoint | null, lr: number): Promise<unknown> => {
    let unsaved = '';
    try {
      if (state) await save(state, lr);
    } catch (saveError) {
      unsaved = ` The steps since could not be saved: ${(saveError as Error).message}`;
    }
    return withWhatIsKept(error, whatIsKept() + unsaved);
  };

  try {
    for (let epoch = start.epoch; epoch < regime.epochs; epoch++) {
      const resumedHere = epoch === start.epoch;
      const meter = new EpochMeter(resumedHere ? (start.meter ?? undefined) : undefined);
      const firstStep = resumedHere ? start.step : 0;
      const epochStart = performance.now();
      let seconds = resumedHere ? start.seconds : 0;
      const elapsed = () => seconds + (performance.now() - epochStart) / 1000;
      // The rate of the last step taken: a run resumed after its epoch's last step (stopped during
      // validation) takes no step and must log the same rate as an uninterrupted one.
      let lr = regime.schedule({ epoch, step: Math.max(0, firstStep - 1), stepsPerEpoch });
      progress?.startEpoch(epoch + 1, regime.epochs, stepsPerEpoch, firstStep);

      // Resuming mid-epoch starts at the first batch not yet trained on, in the same order.
      let step = firstStep;
      const batches = failuresTagged(
        options.train.batches({
          batchSize: regime.batchSize,
          shuffle: true,
          seed,
          epoch,
          augment: true,
          dropRemainder: true,
          startBatch: firstStep,
        }),
      );
      try {
        for await (const batch of batches) {
          // A left-out batch (only unreadable images, onBadImage 'skip') still counts as a step of the epoch.
          step = batch.index ?? step;
          lr = regime.schedule({ epoch, step, stepsPerEpoch });
          const { loss, top1, top5, size } = trainStep(
            model,
            variables,
            sgd,
            batch,
            lr,
            () =>
              new DivergenceError(
                `Training diverged: the loss is not finite at epoch ${epoch + 1}, step ${step + 1} (lr ${lr}). ${whatIsKept()} Try a lower learning rate.`,
                epoch,
                step,
              ),
          );
          meter.add(loss, size, top1, top5);
          step++;
          progress?.step(step, meter.summary().loss, meter.images / Math.max(1e-9, elapsed()));
          interruptionPoint('after-step');
          // Training is synchronous TF.js work: without this the SIGINT handler (and any other
          // callback) would only run at the epoch's end. One macrotask per step costs microseconds.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (signal?.aborted) break;
        }
      } catch (error) {
        if (!(error instanceof BatchFailure)) throw error;
        // The data failed (an unreadable image under onBadImage 'error', a read error): the steps
        // already taken are kept, as on Ctrl-C; else a bad file late in an ImageNet epoch cost hours.
        throw await keepingSteps(error.cause, step > firstStep ? { epoch, step, meter: meter.state(), seconds: elapsed() } : null, lr);
      }
      // The epoch's training time: validation is not counted, so images/s is training throughput.
      seconds = elapsed();
      if (signal?.aborted) {
        // Also after the epoch's last step: validation is skipped, and the resumed run does it.
        await save({ epoch, step, meter: meter.state(), seconds }, lr);
        return { records, interrupted: true };
      }
      let val: Awaited<ReturnType<typeof evaluate>> | null = null;
      try {
        if (options.validation) val = await evaluate(model, options.validation, regime.batchSize, { signal });
      } catch (error) {
        // The epoch's training is done: kept, and a resume validates it (a bad image in val/ too).
        throw await keepingSteps(error, { epoch, step, meter: meter.state(), seconds }, lr);
      }
      if (signal?.aborted) {
        await save({ epoch, step, meter: meter.state(), seconds }, lr);
        return { records, interrupted: true };
      }

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
        featureNorm: val?.featureNorm ?? null,
        imagesPerSecond: trainSummary.count / Math.max(1e-9, seconds),
        seconds,
      };
      if (val != null && !Number.isFinite(val.loss)) {
        throw new DivergenceError(
          `Training diverged: the validation loss after epoch ${epoch + 1} is ${val.loss} (lr ${lr}); that checkpoint was not saved. ${whatIsKept()} Try a lower learning rate.`,
          epoch + 1,
          0,
        );
      }
      records.push(record);
      if (runDir) {
        // Checkpoint first, with the record in it; a kill before the log line is appended is
        // repaired from it on resume.
        await save({ epoch: epoch + 1, step: 0, meter: null, seconds: 0 }, lr);
        interruptionPoint('after-checkpoint-before-metrics');
        // The checkpoint holds this record: a resume writes the line that a failed append left out.
        await writing('the metrics of this epoch', () => log!.append(record));
      } else {
        const bad = nonFiniteWeight(model);
        if (bad != null) {
          throw new DivergenceError(
            `Training diverged: weight '${bad}' is not finite after epoch ${epoch + 1} (lr ${lr}). Nothing was saved. Try a lower learning rate.`,
            epoch + 1,
            0,
          );
        }
      }
      progress?.endEpoch(record);
      options.onEpoch?.(record);
    }
  } finally {
    sgd.dispose();
    progress?.stop();
  }
  return { records, interrupted: false };
}

/** The name of the first weight (BN statistics included) holding NaN or ±Infinity, or null. */
function nonFiniteWeight(model: LayersModel): string | null {
  for (const w of model.weights) {
    // Read on the host: every backend can, and a checkpoint save reads the weights anyway.
    const values = w.read().dataSync();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) return w.name;
    }
  }
  return null;
}

function trainStep(
  model: LayersModel,
  variables: tf.Variable[],
  sgd: SGD,
  batch: TrainBatch,
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

/** What evaluate() gives. */
export interface EvaluateResult {
  /** Top-1 and top-5 accuracy, percent. */
  top1: number;
  top5: number;
  /** Mean softmax cross-entropy. */
  loss: number;
  /** Images evaluated. */
  count: number;
  /** Mean L2 norm of the features the classifier receives (null where it cannot be reached). */
  featureNorm: number | null;
  /** With `perImage`: 1 where the image's label ranks top-1, in the split's order. */
  correct?: Uint8Array;
  /** With `perClass`: each class's images and top-1 accuracy (percent; null for a class with none), by label. */
  perClass?: ClassAccuracy[];
}

/** One class's share of an evaluation. */
export interface ClassAccuracy {
  /** Images of the class. */
  count: number;
  /** Top-1 accuracy on them, percent; null where the class has no image. */
  top1: number | null;
}

/**
 * Loss, top-1 and top-5 (percent) of `model` over a dataset, in inference mode, and the mean L2 norm of
 * the features its classifier receives (null where the classifier's input cannot be reached). An aborted
 * `signal` stops it after the current batch, with the figures of the batches seen so far.
 */
export async function evaluate(
  model: LayersModel,
  dataset: TrainDataset,
  batchSize: number,
  options: {
    signal?: AbortSignal | undefined;
    /** Also return which images the model ranks top-1, in the dataset's order (a paired comparison's input). */
    perImage?: boolean | undefined;
    /** Also return each class's count and top-1 accuracy (where a gap between two heads lies). */
    perClass?: boolean | undefined;
  } = {},
): Promise<EvaluateResult> {
  const { signal, perImage = false, perClass = false } = options;
  const classCount = new Float64Array(dataset.numClasses);
  const classHits = new Float64Array(dataset.numClasses);
  const meter = new EpochMeter();
  const withFeatures = featuresAndLogits(model);
  let normSum = 0;
  const correct: Uint8Array[] = [];
  for await (const batch of dataset.batches({ batchSize, shuffle: false, augment: false, dropRemainder: false })) {
    if (signal?.aborted) {
      tf.dispose([batch.xs, batch.ys]);
      break;
    }
    const classes = batch.ys.shape[1]!;
    const [loss, scores, norms] = tf.tidy(() => {
      let logits: tf.Tensor;
      let norms = 0;
      if (withFeatures !== null) {
        const [features, out] = withFeatures.apply(batch.xs, { training: false }) as [tf.Tensor, tf.Tensor];
        logits = out;
        norms = tf.sum(tf.norm(tf.reshape(features, [features.shape[0]!, -1]), 'euclidean', 1)).dataSync()[0]!;
      } else {
        logits = model.apply(batch.xs, { training: false }) as tf.Tensor;
      }
      return [tf.losses.softmaxCrossEntropy(batch.ys, logits).dataSync()[0]!, logits.dataSync(), norms] as const;
    });
    const labels = labelsOf(batch.ys);
    const top1 = topKMask(scores, labels, classes, 1);
    if (perImage) correct.push(top1);
    if (perClass) {
      labels.forEach((label, r) => {
        classCount[label] = classCount[label]! + 1;
        classHits[label] = classHits[label]! + top1[r]!;
      });
    }
    meter.add(
      loss,
      labels.length,
      top1.reduce((a, b) => a + b, 0),
      topKHits(scores, labels, classes, 5),
    );
    normSum += norms;
    tf.dispose([batch.xs, batch.ys]);
    // Lets a Ctrl-C in, which a long validation would otherwise hold off.
    if (signal) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const summary = meter.summary();
  const featureNorm = withFeatures !== null && summary.count > 0 ? normSum / summary.count : null;
  const result: EvaluateResult = { ...summary, featureNorm };
  if (perImage) {
    const all = new Uint8Array(summary.count);
    let offset = 0;
    for (const part of correct) {
      all.set(part, offset);
      offset += part.length;
    }
    result.correct = all;
  }
  if (perClass) {
    result.perClass = Array.from(classCount, (count, c) => ({ count, top1: count > 0 ? (100 * classHits[c]!) / count : null }));
  }
  return result;
}

const featureModels = new WeakMap<LayersModel, LayersModel | null>();

/**
 * A model with the same layers whose outputs are [the classifier's input, the logits]: the fixed
 * classifier where there is one, else the layer that makes the model's output. Null for a model with
 * several outputs, or whose classifier is shared or nested out of reach.
 */
function featuresAndLogits(model: LayersModel): LayersModel | null {
  if (featureModels.has(model)) return featureModels.get(model)!;
  let result: LayersModel | null = null;
  try {
    const head = findFixedClassifier(model) ?? (model.outputs.length === 1 ? model.outputs[0]!.sourceLayer : undefined);
    const features = head?.input;
    if (features !== undefined && !Array.isArray(features) && model.outputs.length === 1) {
      result = tfModel({ inputs: model.inputs, outputs: [features, model.outputs[0]!] });
    }
  } catch {
    result = null; // a layer called more than once has no single input
  }
  featureModels.set(model, result);
  return result;
}

/** Integer labels from one-hot rows. */
function labelsOf(ys: tf.Tensor): Int32Array {
  return tf.tidy(() => tf.argMax(ys, 1).dataSync() as Int32Array);
}

/** α of the model's FixedClassifier, if it has one: `scaleOf` of @fixclf/layers. */
export function classifierScale(model: LayersModel): number | null {
  return scaleOf(model);
}

/** Steps in one epoch: whole batches only (the last, partial batch is dropped: `dropRemainder` below). */
export function stepsInEpoch(trainingImages: number, batchSize: number): number {
  return Math.floor(trainingImages / batchSize);
}

/** An error of the training batches' source, told apart from one of the training step. */
class BatchFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('the training batches failed', { cause });
  }
}

async function* failuresTagged<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  try {
    yield* source;
  } catch (error) {
    throw new BatchFailure(error);
  }
}

/** The data's own error (its code and class kept, for the advice callers add), saying what is kept. */
function withWhatIsKept(error: unknown, kept: string): unknown {
  if (!(error instanceof Error)) return error;
  error.message = `${error.message.replace(/\.?$/, '.')} ${kept}`;
  return error;
}
