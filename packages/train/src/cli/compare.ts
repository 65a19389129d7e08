import * as path from 'node:path';
import type { Command } from 'commander';
import { compareRuns } from '../compare';
import { forCommandLine, nonNegativeInteger, oneOf, positiveInteger } from './options';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description("Compare runs as the paper's Table 1 and a row per run (Markdown, printed) and Figure 2 (error per epoch, SVG and PNG).")
    .argument('<runs...>', 'run directories')
    .option(
      '--out <dir>',
      'where comparison.md, errors.svg/.png, errors-log.svg/.png and scales.svg/.png go (default: <parent of the first run>/compare)',
    )
    .option(
      '--paired <split>',
      "also score two runs' last checkpoints on the same split image by image (test, train or validation): where they differ, the difference's 95 % interval and McNemar's p",
      oneOf('--paired', ['test', 'train', 'validation'] as const),
    )
    .option('--dataset <source>', "for --paired: the runs' data where it lies here (default: the path the runs recorded)")
    .option('--batch-size <n>', 'images per batch for --paired', positiveInteger('--batch-size'), 256)
    .option('--workers <n>', 'decoding worker threads for --paired', nonNegativeInteger('--workers'))
    .action(
      async (
        runs: string[],
        flags: { out?: string; paired?: 'test' | 'train' | 'validation'; dataset?: string; batchSize: number; workers?: number },
      ) => {
        const out = flags.out ?? path.join(path.dirname(path.resolve(runs[0]!)), 'compare');
        if (flags.dataset !== undefined && !flags.paired) {
          throw new Error('compare --dataset: only --paired reads the data (it scores both runs image by image); add --paired <split>.');
        }
        if (flags.paired) {
          const { selectBackend } = await import('../select-backend');
          await selectBackend('auto');
        }
        try {
          const { table, runsTable, paired, files, notes } = await compareRuns(runs, out, flags);
          for (const note of notes) process.stderr.write(note + '\n');
          process.stdout.write(`${table}\n\n${runsTable}\n\n${paired ? `${paired.table}\n\n` : ''}written: ${files.join(', ')}\n`);
        } catch (error) {
          throw forCommandLine(error);
        }
      },
    );
}
