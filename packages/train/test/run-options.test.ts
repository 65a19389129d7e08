import { existsSync, promises as fs, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDataset } from '@fixclf/datasets';
import { createModel } from '@fixclf/models';
import { LineProgress, readRun, regime, type RunConfig, trainRun, type TrainRunOptions } from '../src';
import { registerTinyModel } from './fixtures/tiny-model';

// trainRun is what scripts call (the examples, the demo): its numbers are checked there, not only by
// the CLI's parsers. `epochs: NaN` used to train nothing and write `"epochs": null` into run.json.
describe('trainRun refuses bad numbers before anything runs or is written', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fixclf-run-options-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base: TrainRunOptions = { model: 'resnet20', dataset: 'synthetic', classifier: 'hadamard', log: () => {} };

  it.each<[Partial<TrainRunOptions>, string]>([
    [{ epochs: NaN }, 'epochs (--epochs) must be a positive integer, got NaN.'],
    [{ epochs: 0 }, 'epochs (--epochs) must be a positive integer, got 0.'],
    [{ epochs: 2.5 }, 'epochs (--epochs) must be a positive integer, got 2.5.'],
    [{ batchSize: -5 }, 'batchSize (--batch-size) must be a positive integer, got -5.'],
    [{ lr: Infinity }, 'lr (--lr) must be a positive number, got Infinity.'],
    [{ weightDecay: -1e-4 }, 'weightDecay (--weight-decay) must be a number ≥ 0, got -0.0001.'],
    [{ seed: 1.5 }, 'seed (--seed) must be an integer ≥ 0, got 1.5.'],
    [{ syntheticSize: 0 }, 'syntheticSize (--synthetic-size) must be a positive integer, got 0.'],
    [{ scale: 0 }, 'scale (--alpha) must be a positive number, got 0.'],
    [{ epochs: '10' as unknown as number }, 'epochs (--epochs) must be a positive integer, got "10" (a string).'],
    [{ validation: 1 }, "validation (--validation) must be 'test', 'none' or a fraction between 0 and 1, got 1."],
    [{ validation: 'auto' as 'test' }, "validation (--validation) must be 'test', 'none' or a fraction between 0 and 1, got 'auto'."],
    // A truthy string resumed before 'auto' existed; now only true, false and 'auto' mean anything.
    [{ resume: 'yes' as 'auto' }, `resume (--resume) must be true, false or 'auto', got "yes".`],
    // Checked before the backend and the data: it failed in createModel, once the data had been opened.
    [
      { classifier: 'hadamrd' as 'hadamard' },
      'classifier must be one of learned, hadamard, orthogonal, simplex, orthoplex, cube, got "hadamrd".',
    ],
  ])('%p', async (bad, message) => {
    const out = path.join(dir, 'run');
    await expect(trainRun({ ...base, ...bad, out })).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  });
});

// A run.json's names are read back typed (ClassifierKind, RegimeName, …) for the other packages'
// APIs, so readRun checks them: an edited file fails naming its field, not in some later step.
describe('readRun checks the fields it types as names', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fixclf-read-run-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let run: string;

  beforeAll(async () => {
    run = path.join(dir, 'run');
    registerTinyModel();
    await trainRun({
      model: 'tiny',
      dataset: 'synthetic',
      syntheticSize: 16,
      batchSize: 8,
      epochs: 1,
      validation: 'none',
      classifier: 'hadamard',
      out: run,
      log: () => {},
      progress: new LineProgress(() => {}),
    });
  });

  it('a run it wrote reads back into datasets, models and train without a cast', async () => {
    const config: RunConfig = await readRun(run);
    // These lines are the test as much as the assertions: they compile only while the types meet.
    const dataset = await openDataset('synthetic', { preprocessing: config.preprocessing, synthetic: { size: 16 } });
    const model = createModel(config.model, {
      numClasses: config.numClasses,
      classifier: config.classifier,
      inputShape: config.inputShape,
    });
    const again: Pick<RunConfig, 'classNames' | 'inputShape'> = { classNames: dataset.classNames, inputShape: dataset.shape };
    expect(regime(config.regime.name).name).toBe('cifar');
    expect(again).toEqual({ classNames: config.classNames, inputShape: config.inputShape });
    expect(model.outputs[0]?.shape).toEqual([null, config.numClasses]);
    model.dispose();
    await dataset.close();
  });

  it.each([
    [
      'classifier',
      { classifier: 'dense' },
      'classifier is "dense"; expected one of learned, hadamard, orthogonal, simplex, orthoplex, cube.',
    ],
    ['regime.name', { regime: { name: 'step' } }, 'regime.name is "step"; expected one of cifar, imagenet, cosine, onecycle.'],
    ['precision', { precision: 'fp16' }, 'precision is "fp16"; expected one of fp32, bf16.'],
    ['onBadImage', { onBadImage: 'ignore' }, 'onBadImage is "ignore"; expected one of error, skip.'],
  ])('%s', async (_field, change, message) => {
    const edited = path.join(dir, `edited-${_field}`);
    await fs.mkdir(edited, { recursive: true });
    const config = JSON.parse(await fs.readFile(path.join(run, 'run.json'), 'utf8'));
    await fs.writeFile(
      path.join(edited, 'run.json'),
      JSON.stringify({ ...config, ...change, regime: { ...config.regime, ...(change as { regime?: object }).regime } }),
    );
    await expect(readRun(edited)).rejects.toThrow(`${path.join(edited, 'run.json')}: ${message}`);
  });
});
