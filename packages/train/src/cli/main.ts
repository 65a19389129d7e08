import { Command, CommanderError } from 'commander';
import { fixclfVersion } from '../environment';
import { registerCompare } from './compare';
import { registerEval } from './eval';
import { registerTrain } from './train';

/**
 * `fixclf`: train a network with a learned or fixed classifier, evaluate a run, compare runs.
 * Errors print one line (no stack) and exit with status 1; usage errors with status 2.
 */
export async function main(argv: string[] = process.argv): Promise<number> {
  ignoreClosedStdout();
  const program = new Command()
    .name('fixclf')
    .description('Train and compare networks with learned and fixed (Hadamard) classifiers — Hoffer et al., ICLR 2018.')
    .version(fixclfVersion(), '-V, --version', 'print the version of fixclf')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerTrain(program);
  registerEval(program);
  registerCompare(program);
  try {
    await program.parseAsync(argv);
    return process.exitCode == null ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`fixclf: ${(error as Error).message}\n`);
    return 1;
  }
}

let stdoutGuarded = false;

/**
 * `fixclf train … | head`: once the reader is gone, lines are dropped and training goes on (an
 * uncaught EPIPE used to end the run after its epoch); the run directory holds every figure anyway.
 */
function ignoreClosedStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
