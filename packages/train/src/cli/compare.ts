import * as path from 'node:path';
import type { Command } from 'commander';
import { compareRuns } from '../compare';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description("Compare runs as the paper's Table 1 and a row per run (Markdown, printed) and Figure 2 (error per epoch, SVG and PNG).")
    .argument('<runs...>', 'run directories')
    .option('--out <dir>', 'where comparison.md, errors.svg/.png and scales.svg/.png go (default: <parent of the first run>/compare)')
    .action(async (runs: string[], flags: { out?: string }) => {
      const out = flags.out ?? path.join(path.dirname(path.resolve(runs[0]!)), 'compare');
      const { table, runsTable, files } = await compareRuns(runs, out);
      process.stdout.write(`${table}\n\n${runsTable}\n\nwritten: ${files.join(', ')}\n`);
    });
}
