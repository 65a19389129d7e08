// The paper's ImageNet rows, learned vs fixed (Hadamard) classifier: ResNet-50, DenseNet-169 and
// ShuffleNet (1×, g = 3) in the ImageNet regime (90 epochs, lr 0.1 ÷10 at 30 and 60, batch 256).
//
//   pnpm reproduce --data /path/to/imagenet [--models resnet50,densenet169,shufflenet] [--epochs 90]
//                  [--batch-size 256] [--backend auto|tensorflow-gpu|onednn] [--on-bad-image error|skip]
//
// --data: an ImageNet folder with train/<wnid>/*.JPEG and val/<wnid>/*.JPEG (the validation images
// sorted into class folders), or .tar/.tar.gz archives of that layout. Runs continue where they
// stopped when the command is run again; one stopped by an image that cannot be decoded keeps the
// steps before it, and the command run again with --on-bad-image skip leaves such files out.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { compareRuns, readMetrics, readRun, trainRun } from '@fixclf/train';

const here = path.dirname(fileURLToPath(import.meta.url));
// Relative paths are taken from where the command was typed: pnpm runs this in examples/imagenet and
// says where it was typed in INIT_CWD.
const typedIn = process.env.INIT_CWD ?? process.cwd();
const { values: parsed } = usage(() =>
  parseArgs({
    options: {
      data: { type: 'string' },
      models: { type: 'string', default: 'resnet50,densenet169,shufflenet' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      out: { type: 'string', default: path.join(here, 'runs') },
      backend: { type: 'string', default: 'auto' },
      'on-bad-image': { type: 'string' },
    },
  }),
);
const flags = {
  ...parsed,
  out: path.resolve(typedIn, parsed.out),
  data: parsed.data === undefined ? undefined : path.resolve(typedIn, parsed.data),
};
if (!flags.data) {
  console.error('reproduce: --data <ImageNet folder or archive> is required (train/<class>/… and val/<class>/…).');
  process.exit(2);
}

if (flags['on-bad-image'] !== undefined && !['error', 'skip'].includes(flags['on-bad-image'])) {
  console.error(`reproduce: --on-bad-image must be error or skip, got '${flags['on-bad-image']}'.`);
  process.exit(2);
}
const epochs = flags.epochs ? positiveInteger('--epochs', flags.epochs) : undefined;
const batchSize = flags['batch-size'] ? positiveInteger('--batch-size', flags['batch-size']) : undefined;
const runs = [];
for (const model of flags.models.split(',')) {
  for (const classifier of ['learned', 'hadamard']) {
    const out = path.join(flags.out, `${model}-${classifier}`);
    runs.push(out);
    // A finished run is kept as it is: nothing to load or index again.
    if (existsSync(path.join(out, 'run.json')) && (await readMetrics(out)).length >= (epochs ?? (await readRun(out)).regime.epochs))
      continue;
    console.log(`\n— ${model}, ${classifier} classifier → ${out}`);
    await trainRun({
      model,
      dataset: flags.data,
      classifier,
      regime: 'imagenet',
      epochs,
      batchSize,
      validation: 'test',
      seed: 0,
      out,
      resume: 'auto', // continues the run if out holds one (an interrupted one), else starts it
      backend: flags.backend,
      onBadImage: flags['on-bad-image'], // left out: the run's own (a new run's: error)
    });
  }
}
const { table, files } = await compareRuns(runs, flags.out);
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
