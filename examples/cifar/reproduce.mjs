// The paper's CIFAR experiments, learned vs fixed (Hadamard) classifier, then its Table 1 and
// Figure 2 for the runs.
//
//   pnpm reproduce            ResNet-56 on CIFAR-10 and DenseNet-BC-100 on CIFAR-100, the paper's
//                             regime (164 epochs, lr 0.1 ÷10 at 81 and 122, wd 1e-4, batch 128)
//   pnpm reproduce --quick    ResNet-20 on CIFAR-10, 50 epochs of one-cycle SGD
//   --precision bf16          bf16 as torch.autocast (onednn): bf16 convolutions and matmuls, bf16
//                             activations; run directories get a -bf16 suffix (refused on a CPU
//                             without AVX512-BF16 or AMX)
//
// Data: --data <path> (a CIFAR binary directory, or an image-folder tar such as
// ../shared/data/cifar10-jpeg/train.tar.gz, which has no test split: 10 % of it is then held
// out with a fixed seed). Without --data: the official CIFAR binaries, downloaded into
// $FIXCLF_DATA (default ~/.cache/fixclf) when online. Runs go to --out (default examples/cifar/runs); an
// interrupted run continues where it stopped when the command is run again. Relative paths are taken
// from where the command was typed (pnpm runs the script in examples/cifar, and says where it was
// typed in INIT_CWD), so `pnpm --filter @fixclf/example-cifar reproduce --out examples/cifar/results`
// from the repository root means the repository's examples/cifar/results.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { compareRuns, readMetrics, readRun, trainRun } from '@fixclf/train';

const here = path.dirname(fileURLToPath(import.meta.url));
const typedIn = process.env.INIT_CWD ?? process.cwd();
const { values: parsed } = usage(() =>
  parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      data: { type: 'string' },
      out: { type: 'string', default: path.join(here, 'runs') },
      epochs: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      precision: { type: 'string', default: 'fp32' },
    },
  }),
);
const isPath = (source) => source !== undefined && !['cifar10', 'cifar100', 'synthetic'].includes(source);
const flags = {
  ...parsed,
  out: path.resolve(typedIn, parsed.out),
  data: isPath(parsed.data) ? path.resolve(typedIn, parsed.data) : parsed.data,
};

if (flags.precision !== 'fp32' && flags.precision !== 'bf16') {
  console.error(`reproduce: --precision must be fp32 or bf16, got '${flags.precision}'.`);
  process.exit(2);
}
if (flags.precision === 'bf16') {
  // Directories named -bf16 must hold bf16 runs; on a CPU without bf16 they would train in fp32 (the
  // backend warns why), so stop before training.
  const onednn = await import('@fixclf/backend-onednn');
  onednn.setPrecision('bf16');
  const runs = onednn.getPrecision();
  onednn.setPrecision('fp32');
  if (runs !== 'bf16') {
    console.error(
      '--precision bf16: bf16 cannot run on this CPU, so these runs would train in fp32 under -bf16 names. Leave --precision out.',
    );
    process.exit(1);
  }
}
const suffix = flags.precision === 'bf16' ? '-bf16' : '';
const sharedTar = path.resolve(here, '..', '..', '..', 'shared', 'data', 'cifar10-jpeg', 'train.tar.gz');
const experiments = flags.quick
  ? [{ model: 'resnet20', dataset: flags.data ?? (existsSync(sharedTar) ? sharedTar : 'cifar10'), regime: 'onecycle', epochs: 50, lr: 0.2 }]
  : [
      { model: 'resnet56', dataset: flags.data ?? 'cifar10', regime: 'cifar' },
      { model: 'densenet-bc-100', dataset: 'cifar100', regime: 'cifar' },
    ];

const runs = [];
for (const e of experiments) {
  for (const classifier of ['learned', 'hadamard']) {
    const out = path.join(flags.out, `${e.model}-${classifier}${suffix}`);
    const epochs = flags.epochs ? positiveInteger('--epochs', flags.epochs) : e.epochs;
    const done =
      existsSync(path.join(out, 'run.json')) && (await readMetrics(out)).length >= (epochs ?? (await readRun(out)).regime.epochs);
    if (!done) {
      console.log(`\n— ${e.model}, ${classifier} classifier, on ${e.dataset} → ${out}`);
      const validation = e.dataset.endsWith('.tar.gz') || e.dataset.endsWith('.tar') ? 0.1 : 'test';
      // 'auto': continues the run if out holds one (an interrupted one), else starts it.
      await trainRun({
        ...e,
        epochs,
        classifier,
        validation,
        seed: 0,
        out,
        resume: 'auto',
        backend: flags.backend,
        precision: flags.precision,
      });
    }
    runs.push(out);
  }
}

// bf16 runs get their own table and figure beside the fp32 ones, which they must not overwrite.
const { table, files } = await compareRuns(runs, suffix ? path.join(flags.out, `comparison${suffix}`) : flags.out);
console.log(`\n${table}\n\nwritten: ${files.join(', ')}`);

/** A flag's value as a positive integer, or a usage error (status 2) before anything trains. */
function positiveInteger(flag, value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`reproduce: ${flag} must be a positive integer, got '${value}'.`);
    process.exit(2);
  }
  return n;
}

/** parseArgs' verdict on the flags, or a usage error (status 2) naming the flag, without a stack trace. */
function usage(parse) {
  try {
    return parse();
  } catch (error) {
    console.error(`reproduce: ${error.message}`);
    process.exit(2);
  }
}
