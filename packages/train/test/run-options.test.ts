import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trainRun, type TrainRunOptions } from '../src';

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
  ])('%p', async (bad, message) => {
    const out = path.join(dir, 'run');
    await expect(trainRun({ ...base, ...bad, out })).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
  });
});
