import { Command } from 'commander';

import { registerCompare } from '../src/cli/compare';
import { registerEval } from '../src/cli/eval';
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
