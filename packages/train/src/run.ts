import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDataset, type Dataset } from '@fixclf/datasets';
import { findFixedClassifiers, MATRIX_KINDS } from '@fixclf/layers';
import { type ClassifierKind, classifierKinds, createModel, isClassifierKind, paramCounts } from '@fixclf/models';
import type { Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { findCheckpoint } from './checkpoint';
import { currentEnvironment, describeEnvironment, environmentChanges, type RunEnvironment } from './environment';
import { isHoldoutFraction, NUMBER_KINDS, type NumberKind } from './number-kinds';
import { writeFileAtomic } from './io/atomic';
import { interruptionPoint } from './io/test-hooks';
import type { EpochRecord } from './logging/metrics-log';
import { defaultProgress, type ProgressReporter } from './logging/progress';
import { regime as makeRegime, type Progress, type RegimeName } from './optim/schedules';
import { checkSameRun, lockRunDir, prepareRunDir, RUN_JSON, type RunConfig } from './run-dir';
import { checkCheckpointJson, checkOutEmpty, checkOutPath, readRunJson, recordDataset, runDataset, sameSource } from './run-files';
import { applyPrecision, type Precision, runPrecision } from './precision';
import { type BackendChoice, selectBackend } from './select-backend';
import { stepsInEpoch, train } from './trainer';

export interface TrainRunOptions {
  /** A name of @fixclf/models' registry, e.g. 'resnet20'. */
  model: string;
  /** 'cifar10', 'cifar100', 'synthetic', or a path (CIFAR directory, image folder, image-folder tar). */
  dataset: string;
  /** 'learned' or a FixedClassifier matrix ('hadamard', 'orthogonal', …). */
  classifier: ClassifierKind;
  /** Initial α of a fixed classifier (default: the layer's). */
  scale?: number | undefined;
  /**
   * Decay the fixed classifier's α with every other weight, as the paper does (default true). Over
   * 50 epochs of ResNet-20 on CIFAR-10 this gave 87.62 % against 86.64 % without decay (learned head:
   * 87.40 %); see examples/cifar/README.md for the runs behind this default.
   */
  decayScale?: boolean | undefined;
  regime?: RegimeName | undefined;
  epochs?: number | undefined;
  lr?: number | undefined;
  batchSize?: number | undefined;
  weightDecay?: number | undefined;
  seed?: number | undefined;
  /** 'test' (default for 'cifar10', 'cifar100' and 'synthetic'), a hold-out fraction of the training set (default 0.1 for a path), or 'none'. */
  validation?: 'test' | 'none' | number | undefined;
  /** Run directory; without it nothing is written. */
  out?: string | undefined;
  /**
   * Continue the run in `out` (the same model, dataset, classifier, seed and α options: the run's
   * identity). Regime options left out take the run's values; `epochs` (extending the run, or ending it
   * sooner, never before the epochs already completed), `lr`, `precision` and `onBadImage` may differ, and each change
   * is recorded in run.json's `history`. 'auto': continue the run in `out` if it has a checkpoint, else start it
   * (a script that runs until done across restarts: one call for the first start and every later one).
   */
  resume?: boolean | 'auto' | undefined;
  /** Image folders: leave unreadable files out ('skip') or fail ('error'); default the run's when resuming, else 'error'. */
  onBadImage?: 'skip' | 'error' | undefined;
  /**
   * Fix oneDNN's thread count (FIXCLF_ONEDNN_THREADS, else every core) for the rest of the process,
   * so sums are always taken in the same order and a run, or its resume, repeats bit for bit.
   * Refuses the tfjs-node backends. Default: the run's when resuming, else false.
   */
  deterministic?: boolean | undefined;
  /**
   * Convolutions and matrix products in 'fp32' or 'bf16' (bf16 inputs, float32 accumulation; onednn
   * only, and only where the CPU has AVX512-BF16 or AMX, else fp32 with a warning). Recorded in
   * run.json, as is a change on resume. Default: the run's when resuming, else 'fp32'.
   */
  precision?: Precision | undefined;
  backend?: BackendChoice | undefined;
  /** Decoding worker threads (datasets' default when left out). */
  workers?: number | undefined;
  /** Synthetic dataset: training images (default the dataset's). */
  syntheticSize?: number | undefined;
  progress?: ProgressReporter | undefined;
  signal?: AbortSignal | undefined;
  /** Informational lines (backend, data, model). Default: stdout. */
  log?: ((line: string) => void) | undefined;
}

export interface TrainRunResult {
  config: RunConfig;
  records: EpochRecord[];
  interrupted: boolean;
  model: LayersModel;
}

const HAS_TEST_SPLIT = new Set(['cifar10', 'cifar100', 'synthetic']);

/**
 * One training run from names to a finished run directory: picks the backend, opens the data,
 * builds the model, writes run.json, trains with checkpoints and logs. The `fixclf train`
 * command, the demo and the examples all go through here.
 */
export async function trainRun(options: TrainRunOptions): Promise<TrainRunResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  // Before a backend is chosen or any data opened (cifar10: perhaps downloaded).
  if (!isClassifierKind(options.classifier)) {
    throw new Error(`classifier must be one of ${classifierKinds.join(', ')}, got ${JSON.stringify(options.classifier)}.`);
  }
  if (options.scale != null && options.classifier === 'learned') {
    // Silently ignored before, yet saved in run.json as if it had been used.
    throw new Error(
      `--alpha ${options.scale} (scale) sets the α of a fixed classifier, but --classifier learned has none: ` +
        `drop --alpha, or choose a fixed classifier (${MATRIX_KINDS.join(', ')}).`,
    );
  }
  if (options.resume !== undefined && typeof options.resume !== 'boolean' && options.resume !== 'auto') {
    throw new Error(`resume (--resume) must be true, false or 'auto', got ${JSON.stringify(options.resume)}.`);
  }
  checkNumbers(options);
  if (options.out === '') throw new Error("--out is empty: give the run's directory.");
  const out = options.out ? path.resolve(options.out) : undefined;
  if (options.resume && !out) throw new Error('resume needs a run directory (out).');
  if (!out) return trainLocked(options, undefined, log);
  await checkOutPath(out);
  // One training process per run directory, from before its run.json is read (so what is read stays
  // true) to the end: a second `--resume` of a running run is refused at once, not after opening its
  // data (an ImageNet folder: minutes) and building its model.
  const lock = await lockRunDir(out, log);
  try {
    return await trainLocked(options, out, log);
  } finally {
    lock.release();
  }
}

/** trainRun once its run directory `out`, if any, is checked and locked. */
async function trainLocked(options: TrainRunOptions, out: string | undefined, log: (line: string) => void): Promise<TrainRunResult> {
  const seed = options.seed ?? 0;
  let decayScale = options.decayScale ?? true;
  // The run in --out is checked before a backend or any data is loaded.
  let saved: RunConfig | null = null;
  let completed = 0;
  let completedSteps = 0;
  let resuming = options.resume === true;
  if (out) {
    saved = await readRunJson(out);
    if (options.resume === true && !saved) throw new Error(`Cannot resume: ${out} holds no run (no ${RUN_JSON}).`);
    if (saved) {
      await checkCheckpointJson(out);
      const found = await findCheckpoint(out);
      completed = found?.state.epoch ?? 0;
      completedSteps = found?.state.step ?? 0;
      // 'auto' continues a run that has a checkpoint. One that stopped before its first is started
      // again as the command describes it, as without --resume: not under the dead run's settings.
      if (options.resume === 'auto') resuming = found != null;
      if (found && !resuming) {
        throw new Error(
          `${out} already holds a run (${saved.model} on ${saved.dataset}, ${saved.classifier} classifier, started ${saved.createdAt}). ` +
            'Pass --resume to continue it, or choose another --out.',
        );
      }
    } else {
      await checkOutEmpty(out);
    }
  }
  // A resumed run takes its recorded settings unless told otherwise; a new one ignores the old run.json.
  const resumed = resuming ? saved : null;
  // A learned head has no α: its run keeps the decayScale it recorded, whatever the flag now says.
  if (resumed?.classifier === 'learned' && options.classifier === 'learned' && typeof resumed.decayScale === 'boolean') {
    decayScale = resumed.decayScale;
  }
  // What makes another run is refused before a backend, the data or the model is loaded.
  if (resumed) {
    checkSameRun(out!, resumed, {
      model: options.model,
      ...(sameSource(runDataset(resumed, out!), options.dataset)
        ? { dataset: resumed.dataset, ...(resumed.datasetRelativeTo ? { datasetRelativeTo: resumed.datasetRelativeTo } : {}) }
        : recordDataset(options.dataset, out)),
      classifier: options.classifier,
      scale: options.scale ?? null,
      seed,
      decayScale,
    });
  }
  // May change on resume (recorded): a run that got this far under 'error' met no unreadable file, so
  // 'skip' trains on the same files and batches up to the one that stopped it, and leaves that file out;
  // under 'error' a run that skipped files fails naming the first. Nothing changes silently either way.
  const onBadImage = options.onBadImage ?? resumed?.onBadImage ?? 'error';
  const deterministic = options.deterministic ?? resumed?.deterministic ?? false;
  // A deterministic run resumed keeps its backend unless told otherwise: another sums in another order.
  const keep = resumed?.deterministic && (resumed.backend === 'onednn' || resumed.backend === 'cpu') ? resumed.backend : null;
  const backend = await selectBackend(options.backend ?? keep ?? 'auto', { deterministic });
  const threads = deterministic ? await fixThreads(backend.name, resumed?.deterministic ? resumed.threads : undefined) : null;
  // What runs: fp32 where the CPU has no bf16 (the backend warns). A resumed run asks for what it last ran.
  const requestedPrecision = options.precision ?? (resumed ? runPrecision(resumed) : 'fp32');
  const precision = await applyPrecision(requestedPrecision, { strict: true });
  log(
    `backend: ${backend.name} (${backend.reason})${deterministic ? `; deterministic: ${threads == null ? 'one thread' : `${threads} oneDNN threads, fixed`}` : ''}${precision === 'bf16' ? '; precision: bf16 (convolutions and matmuls on bf16 with fp32 accumulation, activations stored as bf16, as torch.autocast)' : ''}`,
  );
  const environment = await currentEnvironment(backend.name);
  log(`environment: ${describeEnvironment(environment)}`);

  // A resumed run keeps its validation and its synthetic set's size: a hold-out fraction or a size
  // decides the training set, 'none' or 'test' what the metrics measure.
  const validationReason = (given: string | number, recorded: string | number | undefined): string =>
    typeof given === 'number' || typeof recorded === 'number'
      ? 'a hold-out decides which images the run trains on'
      : 'its metrics would measure another thing from this epoch on';
  const validation = resumed
    ? resumedOption(out!, '--validation', options.validation, recordedValidation(resumed), validationReason)!
    : (options.validation ?? (HAS_TEST_SPLIT.has(options.dataset) ? 'test' : 0.1));
  const syntheticSize = resumed
    ? resumedOption(out!, '--synthetic-size', options.syntheticSize, resumed.syntheticSize, 'it decides the training set')
    : options.syntheticSize;
  const common = {
    onBadImage,
    ...(options.workers != null ? { workers: options.workers } : {}),
    ...(syntheticSize != null ? { synthetic: { size: syntheticSize } } : {}),
  };
  let trainSet: Dataset;
  let valSet: Dataset | undefined;
  const opened: Dataset[] = [];
  if (typeof validation === 'number') {
    const full = await openDataset(options.dataset, { split: 'train', ...common });
    opened.push(full);
    ({ train: trainSet, validation: valSet } = full.holdout({ fraction: validation, seed }));
    opened.push(trainSet, valSet);
  } else {
    trainSet = await openDataset(options.dataset, { split: 'train', ...common });
    opened.push(trainSet);
    if (validation === 'test') {
      valSet = await openDataset(options.dataset, {
        split: 'test',
        preprocessing: trainSet.preprocessing,
        onBadImage,
        workers: options.workers,
      });
      opened.push(valSet);
    }
  }

  interruptionPoint('data-opened');
  let untrained: (() => Promise<void>) | undefined;
  try {
    if (trainSet.numClasses < 2) {
      // One class "trains" to 100 % in no time and means the dataset is not what was meant.
      throw new Error(
        `--dataset ${options.dataset}: ${trainSet.description} has ${trainSet.numClasses} class${trainSet.numClasses === 1 ? '' : 'es'}` +
          `${trainSet.numClasses === 1 ? ` ('${trainSet.classNames[0]}')` : ''}; training a classifier needs at least two. ` +
          'An image folder needs one subdirectory per class.',
      );
    }
    if (validation === 'test' && valSet?.unsplit) {
      // A folder of classes without splits gives every split the same images: "test" would score the training set.
      throw new Error(
        `--validation test: ${options.dataset} has no test split (a folder of classes without train/ and test/ or val/ directories), ` +
          'so its test images would be its training images. Hold out part of it (--validation 0.1), or use a folder with train/ and val/ directories.',
      );
    }
    if (resumed) checkResumedRegime(resumed, options, out!);
    const epochs = options.epochs ?? resumed?.regime.epochs;
    // A checkpoint inside epoch completed + 1 needs that epoch finished: ending before it would never train again.
    const started = completed + (completedSteps > 0 ? 1 : 0);
    if (resumed && epochs != null && epochs < started) {
      throw new Error(
        completedSteps > 0
          ? `--epochs ${epochs}: the run in ${out} is ${completedSteps} steps into epoch ${started}; give --epochs ${started} or more (or leave it out) to resume it.`
          : `--epochs ${epochs}: the run in ${out} has already completed ${completed} epochs; give --epochs ${completed} or more (or leave it out) to resume it.`,
      );
    }
    const lr = options.lr ?? resumed?.regime.lr ?? undefined;
    // The paper's regimes: CIFAR's for small images, ImageNet's otherwise.
    const regimeName = options.regime ?? resumed?.regime.name ?? (trainSet.shape[0] <= 64 ? 'cifar' : 'imagenet');
    const r = makeRegime(regimeName, {
      epochs,
      lr,
      batchSize: options.batchSize ?? resumed?.regime.batchSize,
      weightDecay: options.weightDecay ?? resumed?.regime.weightDecay,
    });
    // Which recipe (and so which image size and regime) the data got, and why: a folder switched to 224×224 silently once.
    if (trainSet.preprocessing.reason) log(`data: ${trainSet.preprocessing.reason}`);
    log(
      `data: ${trainSet.description}: ${trainSet.size} training images, ${valSet ? `${valSet.size} validation images` : 'no validation'}, ${trainSet.numClasses} classes`,
    );
    const skipped = [...trainSet.skipped, ...(valSet && validation === 'test' ? valSet.skipped : [])];
    if (skipped.length > 0)
      log(
        `data: left out ${skipped.length} unreadable file${skipped.length === 1 ? '' : 's'} (--on-bad-image skip), first ${skipped[0]!.file}: ${skipped[0]!.reason}` +
          (out ? ` (all in ${SKIPPED_FILE})` : ''),
      );
    // Files that fail only when decoded are left out while batches are made: said after each epoch.
    const skips = skipReporter(opened, log, out);
    skips.skipSeen();

    const inputShape = trainSet.shape;
    const classifier =
      options.classifier === 'learned' || options.scale == null ? options.classifier : { matrix: options.classifier, scale: options.scale };
    const model = createModel(options.model, {
      numClasses: trainSet.numClasses,
      classifier,
      inputShape,
      seed,
    });
    const params = paramCounts(model);
    log(
      `model: ${options.model}, ${options.classifier} classifier, ${params.trainable.toLocaleString('en-US')} trainable parameters; ${r.description}, batch ${r.batchSize}`,
    );

    // The recorded form of a run's source stays as it is when this is the same source.
    const recorded =
      resumed && sameSource(runDataset(resumed, out!), options.dataset)
        ? { dataset: resumed.dataset, ...(resumed.datasetRelativeTo ? { datasetRelativeTo: resumed.datasetRelativeTo } : {}) }
        : recordDataset(options.dataset, out);
    let config: RunConfig = {
      format: 'fixclf-run/1',
      model: options.model,
      ...recorded,
      // The description names the source as run.json records it: no absolute path of this machine in a portable file.
      datasetDescription: recorded.datasetRelativeTo
        ? trainSet.description.split(path.resolve(options.dataset)).join(recorded.dataset)
        : trainSet.description,
      ...(syntheticSize != null ? { syntheticSize } : {}),
      numClasses: trainSet.numClasses,
      classNames: trainSet.classNames,
      datasetSize: opened[0]!.size, // the training split as opened, before any hold-out
      classifier: options.classifier,
      scale: options.scale ?? null,
      inputShape,
      regime: {
        name: regimeName,
        epochs: r.epochs,
        batchSize: r.batchSize,
        lr: lr ?? null,
        weightDecay: r.weightDecay,
        momentum: r.momentum,
        nesterov: r.nesterov,
        description: r.description,
      },
      seed,
      validation: typeof validation === 'number' ? { kind: 'holdout', fraction: validation, seed } : { kind: validation },
      decayScale,
      preprocessing: trainSet.preprocessing,
      params: { total: params.total, trainable: params.trainable, fixed: params.fixed },
      backend: backend.name,
      onBadImage,
      deterministic,
      threads,
      precision,
      environment,
      createdAt: new Date().toISOString(),
    };
    let resume = resuming;
    // Stopped while the data opened or the model was built: nothing is written (it trained one step
    // and saved a checkpoint of it before). A signal that came during the synchronous model build is
    // handled in the event loop's poll phase: one whole turn (two check phases around a poll) runs its
    // handler before the check.
    await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
    if (options.signal?.aborted) throw new StoppedBeforeTraining(out);
    if (out) {
      // A directory whose run stopped before its first checkpoint starts again from scratch.
      ({ resume } = await prepareRunDir(out, config, resume, log));
      if (resume && resumed) {
        const at = { epoch: completed, step: completedSteps, stepsPerEpoch: stepsInEpoch(trainSet.size, r.batchSize) };
        const before = await fs.readFile(path.join(out, RUN_JSON));
        config = await recordResumeChanges(out, resumed, config, at, requestedPrecision, log);
        if (completedSteps === 0 && completed >= config.regime.epochs) {
          // It exited 0 without a word before, as if it had trained.
          log(`resume: ${out} has already completed its ${config.regime.epochs} epochs; nothing to train (--epochs N trains it further).`);
        }
        // A resume that trains no step under its changes (a damaged checkpoint, a divergence in its first
        // step, a Ctrl-C at once) leaves run.json as it was: else the next plain --resume took them up.
        untrained = async () => {
          const found = await findCheckpoint(out);
          if (found && found.state.epoch === completed && found.state.step === completedSteps && config !== resumed) {
            await writeFileAtomic(path.join(out, RUN_JSON), before);
            config = resumed;
            log(`resume: no step was trained, so ${RUN_JSON} keeps the settings it had.`);
          }
        };
      }
    }

    const noDecay = decayScale ? undefined : fixedHeadVariables(model);
    let result: Awaited<ReturnType<typeof train>>;
    try {
      result = await train({
        model,
        train: trainSet,
        validation: valSet,
        regime: r,
        seed,
        runDir: out,
        resume,
        noWeightDecay: noDecay ? (name) => noDecay.has(name) : undefined,
        progress: options.progress ?? defaultProgress(),
        signal: options.signal,
        onEpoch: () => void skips.report(),
      });
      await skips.report();
    } catch (error) {
      await untrained?.().catch(() => undefined);
      throw error;
    }
    // Interrupted before its first step, or a finished run with nothing left to train.
    await untrained?.();
    return { config, records: result.records, interrupted: result.interrupted, model };
  } finally {
    await Promise.all(opened.map((d) => d.close()));
  }
}

/** trainRun's signal fired before training started: nothing was trained or written. */
export class StoppedBeforeTraining extends Error {
  constructor(out: string | undefined) {
    super(`stopped before training started; nothing was written${out ? ` to ${out}` : ''}.`);
    this.name = 'StoppedBeforeTraining';
  }
}

/** Every file a run left out as unreadable, with why: one per line, `file<TAB>reason`. */
export const SKIPPED_FILE = 'skipped.txt';

/**
 * Says which files the opened datasets left out since it last looked (a log line per file, up to ten)
 * and keeps run directory `out`'s SKIPPED_FILE holding every one (rewritten whole: a resume finds them
 * again as it decodes them). `skipSeen` marks what the opening already said, before the directory is ours.
 */
function skipReporter(opened: readonly Dataset[], log: (line: string) => void, out: string | undefined) {
  const lists = [...new Set(opened.map((d) => d.skipped))];
  let seen = 0;
  let written = 0;
  let writing: Promise<void> = Promise.resolve();
  return {
    skipSeen(): void {
      seen = lists.flat().length;
    },
    report(): Promise<void> {
      const all = lists.flat();
      const fresh = all.slice(seen);
      seen = all.length;
      if (fresh.length > 0) {
        log(`data: left out ${fresh.length} more unreadable file${fresh.length === 1 ? '' : 's'} while decoding (--on-bad-image skip):`);
        for (const f of fresh.slice(0, 10)) log(`  ${f.file}: ${f.reason}`);
        if (fresh.length > 10) log(`  … and ${fresh.length - 10} more${out ? `, all in ${path.join(out, SKIPPED_FILE)}` : ''}`);
      }
      if (out && all.length > written) {
        written = all.length;
        const file = path.join(out, SKIPPED_FILE);
        writing = writing.then(async () => {
          try {
            const before = await fs.readFile(file, 'utf8').catch(() => '');
            const lines = new Set(before.split('\n').filter(Boolean));
            for (const f of all) lines.add(`${f.file}\t${f.reason.replace(/\s+/g, ' ')}`);
            await writeFileAtomic(file, [...lines].join('\n') + '\n');
          } catch (error) {
            // The list is a courtesy: training goes on without it.
            log(`data: could not write ${file}: ${(error as Error).message}`);
          }
        });
      }
      return writing;
    },
  };
}

/**
 * The numeric options, checked before anything runs: the CLI parses its flags, but a script calling
 * trainRun with `epochs: NaN` trained nothing and wrote a run.json with `"epochs": null`.
 */
function checkNumbers(options: TrainRunOptions): void {
  const checks: [name: string, value: number | undefined, kind: NumberKind, alsoSafe?: boolean][] = [
    ['epochs', options.epochs, 'positiveInteger'],
    ['batchSize', options.batchSize, 'positiveInteger'],
    ['lr', options.lr, 'positiveNumber'],
    ['weightDecay', options.weightDecay, 'nonNegativeNumber'],
    ['seed', options.seed, 'nonNegativeInteger', true], // mixed into 32-bit seeds: beyond 2^53 it is not the integer given
    ['workers', options.workers, 'nonNegativeInteger'],
    ['syntheticSize', options.syntheticSize, 'positiveInteger'],
    ['scale', options.scale, 'positiveNumber'],
  ];
  for (const [name, value, kind, alsoSafe] of checks) {
    const { mustBe, accepts } = NUMBER_KINDS[kind];
    if (value !== undefined && (typeof value !== 'number' || !accepts(value) || (alsoSafe && !Number.isSafeInteger(value)))) {
      const flag = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      throw new Error(
        `${name} (--${name === 'scale' ? 'alpha' : flag}) must be ${mustBe}, got ${typeof value === 'string' ? `"${value}" (a string)` : String(value)}.`,
      );
    }
  }
  const v = options.validation;
  if (v !== undefined && v !== 'test' && v !== 'none' && !(typeof v === 'number' && isHoldoutFraction(v))) {
    throw new Error(
      `validation (--validation) must be 'test', 'none' or a fraction between 0 and 1, got ${typeof v === 'string' ? `'${v}'` : String(v)}.`,
    );
  }
}

/** The `--validation` a run was trained with, as the option would give it. */
function recordedValidation(saved: RunConfig): 'test' | 'none' | number {
  return saved.validation.kind === 'holdout' ? saved.validation.fraction : saved.validation.kind;
}

/**
 * An option that must keep its recorded value when a run is resumed: the recorded one when it is left
 * out, refused when it differs.
 */
function resumedOption<T extends string | number>(
  out: string,
  flag: string,
  given: T | undefined,
  recorded: T | undefined,
  reason: string | ((given: T, recorded: T | undefined) => string),
): T | undefined {
  if (given != null && given !== recorded) {
    const why = typeof reason === 'string' ? reason : reason(given, recorded);
    throw new Error(
      `Cannot resume ${out} with ${flag} ${given}: the run was trained with ${recorded == null ? `no ${flag}` : `${flag} ${recorded}`}, and ${why}. Leave ${flag} out.`,
    );
  }
  return recorded;
}

/**
 * Refuses regime options that differ from the resumed run's: they would change training midway
 * (a new batch size even the position in the epoch) while run.json kept the old values.
 */
function checkResumedRegime(saved: RunConfig, options: TrainRunOptions, out: string): void {
  const s = saved.regime;
  const clashes = [
    options.regime != null && options.regime !== s.name ? `--regime ${options.regime} (the run's: ${s.name})` : null,
    options.batchSize != null && options.batchSize !== s.batchSize ? `--batch-size ${options.batchSize} (the run's: ${s.batchSize})` : null,
    options.weightDecay != null && options.weightDecay !== s.weightDecay
      ? `--weight-decay ${options.weightDecay} (the run's: ${s.weightDecay})`
      : null,
  ].filter((c): c is string => c != null);
  if (clashes.length > 0) {
    throw new Error(
      `Cannot resume ${out} with ${clashes.join(', ')}: of the regime, only --epochs and --lr may change when a run is resumed. Leave these out to keep the run's values.`,
    );
  }
}

/** Where the run trained last: the newest history entry that records an environment, else its creation's. */
function lastEnvironment(config: RunConfig): RunEnvironment | undefined {
  const moves = (config.history ?? []).filter((h) => h.environment !== undefined);
  return moves.at(-1)?.environment ?? config.environment;
}

/**
 * Writes what a resume changed (the epochs of an extended run, a new learning rate, another backend,
 * determinism switched on, another precision, asked for or forced by a CPU without bf16) into the run's
 * run.json, with a history entry at the exact position, so run.json always describes the run as it was
 * trained. A new schedule takes effect where the run resumes; when that moves the rate there (a step
 * regime's drops move with --epochs, a one-cycle or cosine schedule stretches), the log says so.
 */
async function recordResumeChanges(
  out: string,
  saved: RunConfig,
  config: RunConfig,
  at: Progress,
  requestedPrecision: Precision,
  log: (line: string) => void,
): Promise<RunConfig> {
  const changes: string[] = [];
  if (config.regime.epochs !== saved.regime.epochs) changes.push(`epochs ${saved.regime.epochs} → ${config.regime.epochs}`);
  if (config.regime.lr !== saved.regime.lr) changes.push(`lr ${saved.regime.lr ?? "the regime's default"} → ${config.regime.lr}`);
  if (config.backend !== saved.backend) changes.push(`backend ${saved.backend} → ${config.backend}`);
  if (config.onBadImage !== (saved.onBadImage ?? 'error'))
    changes.push(`on-bad-image ${saved.onBadImage ?? 'error'} → ${config.onBadImage}`);
  if ((saved.deterministic ?? false) !== config.deterministic)
    changes.push(config.deterministic ? 'deterministic from here on' : 'no longer deterministic');
  else if (config.deterministic && saved.threads !== config.threads) changes.push(`threads ${saved.threads} → ${config.threads}`);
  // A run resumed on a CPU without bf16 trains on in fp32: run.json must say so, from where it happened.
  const savedPrecision = runPrecision(saved);
  if (config.precision !== savedPrecision) {
    const why = config.precision !== requestedPrecision ? ` (${requestedPrecision} asked for; it cannot run here)` : '';
    changes.push(`precision ${savedPrecision} → ${config.precision}${why}`);
  }
  // Another host or another version from here on: the entry keeps the new environment whole. Its text
  // leaves out the library when the backend changed, which says it already.
  const previous = lastEnvironment(saved);
  const now = config.environment;
  const moved = now === undefined ? [] : previous ? environmentChanges(previous, now) : ['environment first recorded'];
  const said = config.backend !== saved.backend ? moved.filter((m) => !m.startsWith('library ')) : moved;
  if (said.length > 0) changes.push(said.join(', '));
  if (changes.length === 0) return saved;
  const updated: RunConfig = {
    ...saved,
    regime: { ...saved.regime, epochs: config.regime.epochs, lr: config.regime.lr, description: config.regime.description },
    backend: config.backend,
    onBadImage: config.onBadImage,
    deterministic: config.deterministic,
    threads: config.threads,
    precision: config.precision,
    history: [
      ...(saved.history ?? []),
      {
        at: new Date().toISOString(),
        epoch: at.epoch,
        ...(at.step > 0 ? { step: at.step } : {}),
        change: changes.join('; '),
        ...(now !== undefined && moved.length > 0 ? { environment: now } : {}),
      },
    ],
  };
  await writeFileAtomic(path.join(out, RUN_JSON), JSON.stringify(updated, null, 2) + '\n');
  log(
    `resume: ${changes.join('; ')} ${at.step > 0 ? `at epoch ${at.epoch + 1}, step ${at.step}` : `after epoch ${at.epoch}`} (recorded in ${RUN_JSON})`,
  );
  const rate = (r: RunConfig['regime']) =>
    makeRegime(r.name, {
      epochs: r.epochs,
      lr: r.lr ?? undefined,
      batchSize: r.batchSize,
      weightDecay: r.weightDecay,
    }).schedule(at);
  const before = rate(saved.regime);
  const after = rate(updated.regime);
  if (before !== after) {
    log(
      `resume: the learning rate where the run resumes (epoch ${at.epoch + 1}, step ${at.step + 1}) is now ${after.toPrecision(3)}, ` +
        `where the run's schedule would have given ${before.toPrecision(3)} (${updated.regime.description}).`,
    );
  }
  return updated;
}

/**
 * Fixes oneDNN's thread count, so its reductions split work the same way every time (the default
 * follows machine load). The cpu backend is single-threaded: nothing to fix.
 */
async function fixThreads(backend: string, recorded: number | null | undefined): Promise<number | null> {
  if (backend !== 'onednn') return null;
  const onednn = await import('@fixclf/backend-onednn');
  const fromEnv = Number(process.env.FIXCLF_ONEDNN_THREADS);
  // A resumed run keeps its count: another count sums in another order.
  const threads = recorded ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : os.availableParallelism());
  onednn.setThreads(threads);
  return threads;
}

/** Variable names of the FixedClassifier's α (when trained). */
function fixedHeadVariables(model: LayersModel): Set<string> {
  const names = new Set<string>();
  for (const head of findFixedClassifiers(model)) {
    if (head.scaleVariable.trainable) names.add((head.scaleVariable.read() as Variable).name);
  }
  return names;
}
