import { BAD_IMAGE_POLICIES } from '@fixclf/datasets';
import type { Command } from 'commander';
import { evaluateRun, midEpochNote } from '../evaluate-run';
import { forCommandLine, nonNegativeInteger, oneOf, positiveInteger } from './options';

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description(
      "Evaluate a run's last checkpoint with the run's own preprocessing; prints JSON { top1, top5, loss, count, featureNorm, checkpoint } (and perClass with --per-class).",
    )
    .requiredOption('--run <dir>', 'run directory written by fixclf train')
    .option('--dataset <source>', "dataset source (default: the run's own)")
    .option(
      '--split <name>',
      'split of the source: test, train or validation',
      oneOf('--split', ['test', 'train', 'validation'] as const),
      'test',
    )
    .option('--batch-size <n>', 'images per batch', positiveInteger('--batch-size'), 256)
    .option('--workers <n>', 'decoding worker threads', nonNegativeInteger('--workers'))
    .option(
      '--on-bad-image <policy>',
      "image folders: 'skip' or 'error' on an unreadable file (default: the run's own --on-bad-image)",
      oneOf('--on-bad-image', BAD_IMAGE_POLICIES),
    )
    .option('--per-class', 'also print perClass: [{ name, count, top1 }] for every class, in label order')
    .action(
      async (flags: {
        run: string;
        dataset?: string;
        split: 'test' | 'train' | 'validation';
        batchSize: number;
        workers?: number;
        onBadImage?: 'skip' | 'error';
        perClass?: boolean;
      }) => {
        const { selectBackend } = await import('../select-backend');
        await selectBackend('auto');
        try {
          const result = await evaluateRun(flags.run, flags);
          if (result.checkpoint.step > 0) process.stderr.write(midEpochNote(flags.run, result.checkpoint) + '\n');
          // In the order --help and the README give.
          const { top1, top5, loss, count, featureNorm, checkpoint, perClass } = result;
          process.stdout.write(JSON.stringify({ top1, top5, loss, count, featureNorm, checkpoint, perClass }) + '\n');
        } catch (error) {
          throw forCommandLine(error);
        }
      },
    );
}
