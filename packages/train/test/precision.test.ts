// fixclf train --precision bf16|fp32: recorded in run.json, taken again by --resume and eval, changed by
// a resume that asks for another or lands on a CPU without bf16 (recorded in run.json's history), refused
// where it cannot mean anything (bf16 off onednn).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { fixclfHere as fixclf } from './fixtures/cli-child';
import { registerTinyModel } from './fixtures/tiny-model';
import { tinyTrainArgs } from './fixtures/tiny-run';
import { temporaryDirectoryEachTest } from './fixtures/temp-dir';

type OneDnn = typeof import('@fixclf/backend-onednn');
let onednn: OneDnn | null = null;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: skipped where the addon is not built
  onednn = require('@fixclf/backend-onednn') as OneDnn;
} catch {
  onednn = null;
}
// bf16 runs (and is recorded) only where the CPU has it; elsewhere fp32 is what runs and is recorded.
const bf16Here =
  onednn !== null &&
  (() => {
    onednn.setPrecision('bf16');
    const here = onednn.getPrecision() === 'bf16';
    onednn.setPrecision('fp32');
    return here;
  })();

/** @fixclf/backend-onednn's switch that makes its CPU check report no bf16 (a machine without it). */
const FORCE_NO_BF16 = 'FIXCLF_ONEDNN_FORCE_NO_BF16';
const dir = temporaryDirectoryEachTest('fixclf-precision-');
beforeAll(() => registerTinyModel());
afterEach(() => {
  onednn?.setPrecision('fp32');
});

const tinyTrain = (out: string, ...extra: string[]) => fixclf(...tinyTrainArgs(out, 64, '--epochs', '1', '--lr', '0.05', ...extra));

const runJson = async (run: string) =>
  JSON.parse(await fs.readFile(path.join(run, 'run.json'), 'utf8')) as {
    precision?: string;
    regime: { epochs: number };
    history?: { at: string; epoch: number; step?: number; change: string }[];
  };

(onednn ? describe : describe.skip)('--precision on onednn', () => {
  it('records the precision, keeps it on --resume, and eval uses it', async () => {
    const run = path.join(dir(), 'bf16');
    const trained = await tinyTrain(run, '--backend', 'onednn', '--precision', 'bf16');
    expect(trained.code).toBe(0);
    const expected = bf16Here ? 'bf16' : 'fp32';
    expect((await runJson(run)).precision).toBe(expected);
    if (bf16Here)
      expect(trained.stdout).toMatch(
        /precision: bf16 \(convolutions and matmuls on bf16 with fp32 accumulation, activations stored as bf16/,
      );

    onednn!.setPrecision('fp32');
    const resumed = await tinyTrain(run, '--backend', 'onednn', '--epochs', '2', '--resume');
    expect(resumed.code).toBe(0);
    expect(onednn!.getPrecision()).toBe(expected);
    expect((await runJson(run)).precision).toBe(expected);

    onednn!.setPrecision('fp32');
    const evaluated = await fixclf('eval', '--run', run);
    expect(evaluated.code).toBe(0);
    expect(onednn!.getPrecision()).toBe(expected);
  });

  it('a resume on a CPU without bf16 goes on in fp32 and records it; --precision on a later resume takes bf16 back', async () => {
    const run = path.join(dir(), 'moved');
    expect((await tinyTrain(run, '--backend', 'onednn', '--precision', 'bf16')).code).toBe(0);
    if (!bf16Here) {
      // This CPU ran fp32: the run directory is made one trained where bf16 ran, as one copied from there.
      const file = path.join(run, 'run.json');
      await fs.writeFile(file, JSON.stringify({ ...(await runJson(run)), precision: 'bf16' }, null, 2) + '\n');
    }
    const lastChange = async () => (await runJson(run)).history?.at(-1);

    // As on a machine without AVX512-BF16 or AMX: the backend's own switch for this case.
    process.env[FORCE_NO_BF16] = '1';
    let moved: Awaited<ReturnType<typeof fixclf>>;
    try {
      moved = await tinyTrain(run, '--backend', 'onednn', '--epochs', '2', '--resume');
    } finally {
      delete process.env[FORCE_NO_BF16];
    }
    expect(moved.code).toBe(0);
    expect(onednn!.getPrecision()).toBe('fp32');
    expect((await runJson(run)).precision).toBe('fp32');
    expect(await lastChange()).toEqual({
      at: expect.any(String),
      epoch: 1,
      change: 'epochs 1 → 2; precision bf16 → fp32 (bf16 asked for; it cannot run here)',
    });

    // Back where bf16 runs, a resume continues what the run last ran…
    expect((await tinyTrain(run, '--backend', 'onednn', '--epochs', '3', '--resume')).code).toBe(0);
    expect(onednn!.getPrecision()).toBe('fp32');
    expect(await lastChange()).toEqual({ at: expect.any(String), epoch: 2, change: 'epochs 2 → 3' });

    // …until asked for bf16 again.
    expect((await tinyTrain(run, '--backend', 'onednn', '--epochs', '4', '--precision', 'bf16', '--resume')).code).toBe(0);
    const back = bf16Here ? 'bf16' : 'fp32';
    expect((await runJson(run)).precision).toBe(back);
    expect(await lastChange()).toEqual({
      at: expect.any(String),
      epoch: 3,
      change: `epochs 3 → 4${bf16Here ? '; precision fp32 → bf16' : ''}`,
    });
    onednn!.setPrecision('fp32');
    expect((await fixclf('eval', '--run', run)).code).toBe(0);
    expect(onednn!.getPrecision()).toBe(back);
  });

  it('defaults to fp32, whatever precision was set before', async () => {
    const run = path.join(dir(), 'fp32');
    onednn!.setPrecision('bf16');
    expect((await tinyTrain(run, '--backend', 'onednn')).code).toBe(0);
    expect((await runJson(run)).precision).toBe('fp32');
    expect(onednn!.getPrecision()).toBe('fp32');
  });
});

describe('--precision elsewhere', () => {
  it('bf16 is refused on the cpu backend, naming the fix', async () => {
    const result = await tinyTrain(path.join(dir(), 'cpu'), '--backend', 'cpu', '--precision', 'bf16');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /--precision bf16 runs on the onednn backend, but the backend is cpu: use --backend onednn, or --precision fp32\./,
    );
  });

  it('an unknown precision is refused by the parser', async () => {
    const result = await tinyTrain(path.join(dir(), 'x'), '--precision', 'fp16');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--precision <p>' argument 'fp16' is invalid\. Allowed choices are fp32, bf16/);
  });
});
