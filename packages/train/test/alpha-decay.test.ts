import { scaleOf } from '@fixclf/layers';
import { LineProgress, selectBackend, trainRun } from '../src';
import { registerTinyModel } from './fixtures/tiny-model';

beforeAll(async () => {
  await selectBackend('auto');
  registerTinyModel();
});

const quiet = new LineProgress(() => {});

/** α after one epoch of a tiny fixed-head network under a weight decay strong enough to show on α. */
async function alphaAfterEpoch(decayScale: boolean): Promise<{ initial: number; final: number }> {
  const result = await trainRun({
    model: 'tiny',
    dataset: 'synthetic',
    classifier: 'hadamard',
    decayScale,
    regime: 'cosine',
    epochs: 1,
    lr: 0.05,
    batchSize: 32,
    weightDecay: 10,
    syntheticSize: 256,
    validation: 'none',
    seed: 1,
    progress: quiet,
    log: () => {},
  });
  const final = result.records[0]!.alpha!;
  expect(scaleOf(result.model)).toBe(final);
  result.model.dispose();
  return { initial: Math.sqrt(32 / 10), final }; // the Hadamard head's default α on the tiny net's 32 features
}

describe('α and weight decay (trainRun decayScale, the CLI --alpha-decay / --no-alpha-decay)', () => {
  it('decays α with the other weights by default, and leaves it out with decayScale: false', async () => {
    const decayed = await alphaAfterEpoch(true);
    const kept = await alphaAfterEpoch(false);
    // Σ lr·wd ≈ 2 over the epoch: decay shrinks α to a fraction of its start; without it only the gradient moves it.
    // (Measured: 1.79 → 0.03 with decay, 1.79 → 1.58 without.)
    expect(decayed.final).toBeLessThan(0.25 * decayed.initial);
    expect(kept.final).toBeGreaterThan(0.6 * kept.initial);
  });
});
