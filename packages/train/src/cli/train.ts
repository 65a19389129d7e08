import { listModels } from '@fixclf/models';
import { MATRIX_KINDS } from '@fixclf/layers';
import { type Command, Option } from 'commander';
import { REGIME_NAMES, type RegimeName } from '../optim/schedules';
import { trainRun } from '../run';
import { BACKEND_CHOICES, type BackendChoice } from '../select-backend';
import { nonNegativeInteger, nonNegativeNumber, oneOf, positiveInteger, positiveNumber } from './options';

const CLASSIFIERS = ['learned', ...MATRIX_KINDS] as const;

interface TrainFlags {
  model: string;
  dataset: string;
  classifier: string;
  out: string;
  regime?: RegimeName;
  epochs?: number;
  lr?: number;
  batchSize?: number;
  weightDecay?: number;
  seed: number;
  validation?: string;
  alpha?: number;
  alphaDecay: boolean;
  resume: boolean;
  backend: BackendChoice;
  workers?: number;
  syntheticSize?: number;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('Train a network with a learned or a fixed classifier; writes checkpoints, metrics.jsonl/csv and run.json to --out.')
    .requiredOption('--model <name>', `network: ${listModels().join(', ')}`, oneOf('--model', listModels()))
    .option('--dataset <source>', "cifar10, cifar100, synthetic, or a path to a CIFAR directory, an image folder or an image-folder .tar/.tar.gz", 'synthetic')
    .option('--classifier <kind>', `classifier head: ${CLASSIFIERS.join(', ')}`, oneOf('--classifier', CLASSIFIERS), 'hadamard')
    .requiredOption('--out <dir>', 'run directory (must be new or empty, unless --resume)')
    .addOption(new Option('--regime <name>', 'learning-rate regime (default: cifar for images ≤ 64 px, else imagenet)').choices(REGIME_NAMES))
    .option('--epochs <n>', "epochs (default: the regime's: cifar 164, imagenet 90, cosine/onecycle 30)", positiveInteger('--epochs'))
    .option('--lr <rate>', "(peak) learning rate (default: the regime's)", positiveNumber('--lr'))
    .option('--batch-size <n>', "images per step (default: the regime's: 128, imagenet 256)", positiveInteger('--batch-size'))
    .option('--weight-decay <wd>', "weight decay, PyTorch semantics (default: the regime's)", nonNegativeNumber('--weight-decay'))
    .option('--seed <n>', 'seed of weights, data order and augmentation', nonNegativeInteger('--seed'), 0)
    .option('--validation <what>', "'test' (the source's test split), a hold-out fraction such as 0.1, or 'none' (default: test for cifar10/cifar100/synthetic, else 0.1)")
    .option('--alpha <value>', "initial α of a fixed classifier (default: the layer's)", positiveNumber('--alpha'))
    .option('--alpha-decay', 'decay the fixed classifier’s α with the other weights, as the paper does', true)
    .option('--no-alpha-decay', 'exclude the fixed classifier’s α from weight decay')
    .option('--resume', 'continue the run in --out from its last checkpoint', false)
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(BACKEND_CHOICES).default('auto'))
    .option('--workers <n>', 'decoding worker threads', nonNegativeInteger('--workers'))
    .option('--synthetic-size <n>', 'synthetic dataset: number of training images', positiveInteger('--synthetic-size'))
    .action(async (flags: TrainFlags) => {
      const validation = parseValidation(flags.validation);
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        process.stderr.write('\nfixclf: stopping after this step and saving a checkpoint (Ctrl-C again to quit without saving)…\n');
        controller.abort();
      };
      process.on('SIGINT', onSigint);
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
          validation,
          out: flags.out,
          resume: flags.resume,
          backend: flags.backend,
          workers: flags.workers,
          syntheticSize: flags.syntheticSize,
          signal: controller.signal,
        });
        if (result.interrupted) {
          process.stderr.write(`fixclf: interrupted; checkpoint saved in ${flags.out}. Continue with the same command and --resume.\n`);
          process.exitCode = 130;
        }
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}

function parseValidation(value: string | undefined): 'test' | 'none' | number | undefined {
  if (value === undefined || value === 'auto') return undefined;
  if (value === 'test' || value === 'none') return value;
  const f = Number(value);
  if (!(f > 0 && f < 1)) throw new Error(`--validation must be 'test', 'none' or a fraction in (0, 1), got '${value}'.`);
  return f;
}
