// The NaN guard: weights that an update pushed to NaN/Infinity must never become the "good"
// checkpoint, or every resume diverges at once; and the error says what is really left.
import { openDataset, type Dataset } from '@fixclf/datasets';
import { createModel } from '@fixclf/models';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { DivergenceError, evaluate, findCheckpoint, LineProgress, readMetrics, regime, selectBackend, train, type Regime } from '../src';
import { registerTinyModel } from './fixtures/tiny-model';
import { temporaryDirectoryEachTest } from './fixtures/temp-dir';

let trainSet: Dataset;
let testSet: Dataset;
const dir = temporaryDirectoryEachTest('fixclf-nan-');

beforeAll(async () => {
  await selectBackend('auto');
  registerTinyModel();
  trainSet = await openDataset('synthetic', { split: 'train', synthetic: { size: 64 } });
  testSet = await openDataset('synthetic', { split: 'test', synthetic: { size: 64 } });
});
afterAll(async () => {
  await trainSet.close();
  await testSet.close();
});

const quiet = new LineProgress(() => {});
const tinyModel = () => createModel('tiny', { numClasses: 10, classifier: 'learned', inputShape: [32, 32, 3], seed: 3 });
// One step per epoch (64 images, batch 64), so an exploding rate poisons the weights without any
// non-finite training loss in that epoch: only the epoch-end check can catch it.
const base = regime('onecycle', { epochs: 3, lr: 0.05, batchSize: 64 });
const explodingFrom = (epoch: number): Regime => ({ ...base, schedule: (p) => (p.epoch >= epoch ? 1e30 : base.schedule(p)) });

/** Independently of the trainer: does this model hold a non-finite weight or give a non-finite loss? */
async function poisoned(model: LayersModel): Promise<boolean> {
  const weights = model.getWeights().some((w) => Array.from(w.dataSync()).some((v) => !Number.isFinite(v)));
  return weights || !Number.isFinite((await evaluate(model, testSet, 64)).loss);
}

describe('the NaN guard', () => {
  it('keeps no checkpoint when epoch 1 poisons the weights, and does not claim one is kept', async () => {
    const model = tinyModel();
    const run = train({ model, train: trainSet, validation: testSet, regime: explodingFrom(0), seed: 1, runDir: dir(), progress: quiet });
    await expect(run).rejects.toThrow(DivergenceError);
    const error = (await run.catch((e: unknown) => e)) as DivergenceError;
    expect(error.message).toMatch(/^Training diverged: .* after epoch 1 .*\(lr 1e\+30\)/);
    expect(error.message).toContain(
      `No checkpoint was saved (this happened before the first one), so the same command starts ${dir()} again from scratch.`,
    );
    expect(error.message).not.toContain('last good checkpoint');
    expect(await poisoned(model)).toBe(true); // the guard was right to refuse these weights
    expect(await findCheckpoint(dir())).toBeNull();
    expect(await readMetrics(dir())).toEqual([]);
  });

  it('keeps the last finite checkpoint when a later epoch poisons the weights, and resuming from it works', async () => {
    const model = tinyModel();
    const run = train({ model, train: trainSet, validation: testSet, regime: explodingFrom(1), seed: 1, runDir: dir(), progress: quiet });
    const error = (await run.catch((e: unknown) => e)) as DivergenceError;
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error.message).toMatch(/after epoch 2 .*\(lr 1e\+30\); that checkpoint was not saved\./);
    expect(error.message).toContain(`The last good checkpoint (the end of epoch 1) is kept in ${dir()}; --resume continues from it.`);
    expect(await poisoned(model)).toBe(true);
    expect((await findCheckpoint(dir()))?.state).toMatchObject({ epoch: 1, step: 0 });
    expect((await readMetrics(dir())).map((r) => r.epoch)).toEqual([1]);

    const resumed = await train({
      model: tinyModel(),
      train: trainSet,
      validation: testSet,
      regime: base,
      seed: 1,
      runDir: dir(),
      resume: true,
      progress: quiet,
    });
    expect(resumed.records.map((r) => r.epoch)).toEqual([1, 2, 3]);
    for (const r of resumed.records) expect(Number.isFinite(r.valLoss)).toBe(true);
    expect((await readMetrics(dir())).map((r) => r.epoch)).toEqual([1, 2, 3]);
  });
});
