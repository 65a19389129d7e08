import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BAD_IMAGE_POLICIES } from '@fixclf/datasets';
import { type ClassifierKind, classifierKinds, listModels } from '@fixclf/models';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CHECKPOINT_DIR } from '../checkpoint';
import { isHoldoutFraction } from '../number-kinds';
import { REGIME_NAMES, type RegimeName } from '../optim/schedules';
import { type Precision, PRECISIONS } from '../precision';
import { StoppedBeforeTraining, trainRun } from '../run';
import { BACKEND_CHOICES, type BackendChoice } from '../select-backend';
import { forCommandLine, nonNegativeInteger, nonNegativeNumber, oneOf, positiveInteger, positiveNumber } from './options';

interface TrainFlags {
  model: string;
  dataset: string;
  classifier: ClassifierKind;
  out: string;
  regime?: RegimeName;
  epochs?: number;
  lr?: number;
  batchSize?: number;
  weightDecay?: number;
  seed: number;
  validation?: 'test' | 'none' | number;
  alpha?: number;
  alphaDecay: boolean;
  resume: boolean | 'auto';
  backend?: BackendChoice;
  workers?: number;
  syntheticSize?: number;
  onBadImage?: 'skip' | 'error';
  deterministic?: boolean;
  precision?: Precision;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('Train a network with a learned or a fixed classifier; writes checkpoints, metrics.jsonl/csv and run.json to --out.')
    .requiredOption('--model <name>', `network: ${listModels().join(', ')}`, oneOf('--model', listModels()))
    .option(
      '--dataset <source>',
      'cifar10, cifar100, synthetic, or a path to a CIFAR directory, an image folder or an image-folder .tar/.tar.gz, with at least two classes (a path beside or below --out is recorded relative to it)',
      'synthetic',
    )
    .option('--classifier <kind>', `classifier head: ${classifierKinds.join(', ')}`, oneOf('--classifier', classifierKinds), 'hadamard')
    .requiredOption(
      '--out <dir>',
      'run directory (must be new or empty, unless --resume; one whose run stopped before its first checkpoint starts again)',
    )
    .addOption(
      new Option('--regime <name>', 'learning-rate regime (default: cifar for images ≤ 64 px, else imagenet)').choices(REGIME_NAMES),
    )
    .option(
      '--epochs <n>',
      "epochs (default: the regime's: cifar 164, imagenet 90, cosine/onecycle 30); with --resume, a new total extends or shortens the run, not before the epoch it is in (recorded in run.json)",
      positiveInteger('--epochs'),
    )
    .option('--lr <rate>', "(peak) learning rate (default: the regime's)", positiveNumber('--lr'))
    .option('--batch-size <n>', "images per step (default: the regime's: 128, imagenet 256)", positiveInteger('--batch-size'))
    .option('--weight-decay <wd>', "weight decay, PyTorch semantics (default: the regime's)", nonNegativeNumber('--weight-decay'))
    .option('--seed <n>', 'seed of weights, data order and augmentation', nonNegativeInteger('--seed'), 0)
    .option(
      '--validation <what>',
      "'test' (the source's test split), a hold-out fraction such as 0.1, 'none', or 'auto' (the default: test for cifar10/cifar100/synthetic, else 0.1)",
      parseValidation,
    )
    .option(
      '--alpha <value>',
      "initial α of a fixed classifier (default: the layer's); refused with --classifier learned",
      positiveNumber('--alpha'),
    )
    .option('--alpha-decay', 'decay the fixed classifier’s α with the other weights, as the paper does', true)
    .option('--no-alpha-decay', 'exclude the fixed classifier’s α from weight decay')
    .option(
      '--resume [auto]',
      "continue the run in --out from its newest complete checkpoint, at the exact step; '--resume auto': continue it if --out holds one with a checkpoint, else start it (one command for every restart)",
      resumeMode,
      false,
    )
    .addOption(
      new Option('--backend <name>', 'TF.js backend (default: auto; a resumed --deterministic run keeps its own)').choices(BACKEND_CHOICES),
    )
    .option('--workers <n>', 'decoding worker threads', nonNegativeInteger('--workers'))
    .option('--synthetic-size <n>', 'synthetic dataset: number of training images', positiveInteger('--synthetic-size'))
    .option(
      '--on-bad-image <policy>',
      "image folders: 'error' stops at an unreadable or non-image file, 'skip' leaves such files out and counts them (default: error; recorded in run.json for --resume and eval)",
      oneOf('--on-bad-image', BAD_IMAGE_POLICIES),
    )
    .option(
      '--deterministic',
      'bit-identical numbers run to run and across Ctrl-C + --resume: a fixed oneDNN thread count (see below); recorded in run.json and kept by --resume',
    )
    .addOption(
      new Option(
        '--precision <p>',
        'convolutions and matmuls in fp32, or in bf16 with fp32 accumulation and bf16 activations, as torch.autocast (weights and optimizer stay fp32); bf16 needs the onednn backend and runs fp32, with a warning, on a CPU without AVX512-BF16 or AMX. Default: fp32 (over FIXCLF_ONEDNN_PRECISION); recorded in run.json, kept by --resume (or changed, recorded in its history) and by eval',
      ).choices(PRECISIONS),
    )
    .addHelpText(
      'after',
      `
Resuming:
  --resume takes the run's epochs, regime, batch size, lr, weight decay, --validation,
  --synthetic-size, --on-bad-image, --deterministic and --precision from its run.json when they are
  left out. Of these only --epochs, --lr, --precision, --on-bad-image and --deterministic (switched
  on) may be given new values (recorded in run.json's history; not fewer epochs than done); the new
  schedule applies from where the run resumes, and the log says when that moves the rate. The others
  are refused when they differ. A bf16 run resumed on a CPU without bf16 goes on in fp32, recorded the
  same way; --precision bf16 on a later resume takes it back. Step milestones scale with --epochs and
  never fall on epoch 0: the first epoch always trains at the regime's lr.

Reproducibility:
  By default oneDNN's thread count follows the machine's load, so sums are split differently from
  run to run: the same command gives the same numbers to about 4 digits, and a Ctrl-C + --resume
  lands within ~1e-3 of an uninterrupted run. --deterministic fixes the count (FIXCLF_ONEDNN_THREADS,
  else every core; a resumed run keeps its recorded count), so on the same machine and backend
  repeated runs and interrupted-and-resumed runs give bit-identical metrics. The cpu backend is
  single-threaded and always deterministic; the tfjs-node backends cannot be, and are refused.`,
    )
    .addHelpText(
      'after',
      `
Interruptions:
  Ctrl-C stops within one training step (or validation batch), saves a checkpoint of that exact
  position and exits with status 130; the same command with --resume continues with the remaining
  batches. SIGTERM (docker stop, a scheduler's preemption) and SIGHUP do the same (status 143, 129).
  A second one quits at once without saving (the previous checkpoint stays).
  A kill (even kill -9) at any point leaves a directory that --resume continues and eval reads:
  every finished epoch is in metrics.jsonl/csv exactly once after the resume. One process at a time
  trains a directory (lock file .fixclf.lock, taken over when its process is dead).`,
    )
    .action(async (flags: TrainFlags) => {
      const controller = new AbortController();
      // SIGTERM (docker stop, Slurm preemption, timeout) and SIGHUP (a closed terminal) save as Ctrl-C does:
      // left to Node's default they ended the process with no checkpoint and the lock file behind.
      let stoppedBy: NodeJS.Signals = 'SIGINT';
      const onSignal = (signal: NodeJS.Signals) => {
        if (controller.signal.aborted) {
          // process.exit still runs the 'exit' handlers: the run directory's lock is released.
          const kept = existsSync(path.join(flags.out, CHECKPOINT_DIR, 'state.json'))
            ? `the last checkpoint in ${flags.out} stays`
            : `no checkpoint was saved yet, so the same command starts ${flags.out} again`;
          process.stderr.write(`\nfixclf: quitting without saving this step; ${kept}.\n`);
          process.exit(exitStatus(signal));
        }
        stoppedBy = signal;
        const again = signal === 'SIGINT' ? 'Ctrl-C again' : `${signal} again`;
        process.stderr.write(`\nfixclf: ${signal}: stopping after this step and saving a checkpoint (${again} to quit without saving)…\n`);
        controller.abort();
      };
      for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
      try {
        const result = await trainRun({
          model: flags.model,
          dataset: flags.dataset,
          classifier: flags.classifier,
          scale: flags.alpha,
          decayScale: flags.alphaDecay,
          regime: flags.regime,
          epochs: flags.epochs,
          lr: flags.lr,
          batchSize: flags.batchSize,
          weightDecay: flags.weightDecay,
          seed: flags.seed,
          validation: flags.validation,
          out: flags.out,
          resume: flags.resume,
          backend: flags.backend,
          workers: flags.workers,
          syntheticSize: flags.syntheticSize,
          onBadImage: flags.onBadImage,
          deterministic: flags.deterministic,
          precision: flags.precision,
          signal: controller.signal,
        });
        if (result.interrupted) {
          process.stderr.write(`fixclf: interrupted; checkpoint saved in ${flags.out}. Continue with the same command and --resume.\n`);
          process.exitCode = exitStatus(stoppedBy);
        }
      } catch (error) {
        if (error instanceof StoppedBeforeTraining) {
          process.stderr.write(`fixclf: ${error.message}\n`);
          process.exitCode = exitStatus(stoppedBy);
          return;
        }
        throw forCommandLine(error);
      } finally {
        for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      }
    });
}

/** The signals that stop a training with a checkpoint. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** 128 + the signal's number, as a shell reports a process the signal ended: 130, 143, 129. */
function exitStatus(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 2);
}

/**
 * Commander's parser of --validation ('auto' is the default, left to trainRun): a bad value is a usage
 * error (status 2), as other options' are.
 */
function parseValidation(value: string): 'test' | 'none' | number | undefined {
  if (value === 'auto') return undefined;
  if (value === 'test' || value === 'none') return value;
  const f = Number(value);
  if (!isHoldoutFraction(f)) {
    throw new InvalidArgumentError(`--validation must be 'test', 'none', 'auto' or a fraction in (0, 1), got '${value}'.`);
  }
  return f;
}

/** `--resume` alone is true; its one value is 'auto'. */
function resumeMode(value: string, _previous: boolean | 'auto'): boolean | 'auto' {
  if (value !== 'auto') throw new InvalidArgumentError(`--resume takes no value, or 'auto', got '${value}'.`);
  return value;
}
