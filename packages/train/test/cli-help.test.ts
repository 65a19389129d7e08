import { Command } from 'commander';

import { registerCompare } from '../src/cli/compare';
import { registerEval } from '../src/cli/eval';
import { forCommandLine } from '../src/cli/options';
import { registerTrain } from '../src/cli/train';

// Each option's help states its default once: in its own words where the default depends on other
// options, or commander's "(default: …)" where it is a plain value — never both.
test.each(['train', 'eval', 'compare'])('fixclf %s --help states each option’s default once at most', (name) => {
  const program = new Command();
  registerTrain(program);
  registerEval(program);
  registerCompare(program);
  const command = program.commands.find((c) => c.name() === name)!;
  const help = command.createHelp();
  const counts = command.options.map((o) => [o.flags, help.optionDescription(o).match(/\(default\b/g)?.length ?? 0] as const);
  expect(counts.filter(([, n]) => n > 1)).toEqual([]);
});

describe('API advice in errors, reworded for the command line', () => {
  it("turns @fixclf/datasets' openDataset('<path>') advice into --dataset <path>", () => {
    // The datasets package's offline CIFAR message, as it ends.
    const api = new Error(
      "CIFAR-10 is not in /cache and cannot be downloaded. Put cifar-10-binary.tar.gz at /cache/cifar-10-binary.tar.gz, or pass its directory to openDataset('/path/to/cifar-10-batches-bin'). Set FIXCLF_DATA to use another cache directory.",
    );
    const cli = forCommandLine(api) as Error;
    expect(cli.message).toContain('or pass its directory as --dataset /path/to/cifar-10-batches-bin. Set FIXCLF_DATA');
    expect(cli.message).not.toContain('openDataset');
    expect(cli.cause).toBe(api);
  });
});
