// A run directory survives a kill at any point, Ctrl-C, two processes and a first epoch that
// fails. Kills land exactly where they are meant to through the test-only interruption points
// (src/io/test-hooks.ts), in a child process running the CLI from its sources with the tiny network.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findCheckpoint, LOCK_FILE, readMetrics, type EpochRecord } from '../src';
import { FIXCLF_SCRIPT, fixclfHere as fixclf } from './fixtures/cli-child';
import { registerTinyModel } from './fixtures/tiny-model';
import { tinyTrainArgs } from './fixtures/tiny-run';
import { temporaryDirectoryEachTest } from './fixtures/temp-dir';

// 256 synthetic images, a quarter held out: 192 training images, 6 steps of 32 per epoch.
// --deterministic: a fixed oneDNN thread count, so an interrupted and resumed run repeats the
// uninterrupted one's numbers exactly, whatever the load of the machine running the tests.
const STEPS = 6;
const BATCH = 32;
const trainArgs = (out: string, epochs = 3, ...extra: string[]) =>
  tinyTrainArgs(
    out,
    256,
    '--batch-size',
    String(BATCH),
    '--validation',
    '0.25',
    '--epochs',
    String(epochs),
    '--lr',
    '0.05',
    '--deterministic',
    ...extra,
  );

const dir = temporaryDirectoryEachTest('fixclf-kill-');
/** The records of the same run, uninterrupted: what every interrupted and resumed run must end with. */
let straight: EpochRecord[];

beforeAll(async () => {
  registerTinyModel();
  const reference = await fs.mkdtemp(path.join(os.tmpdir(), 'fixclf-straight-'));
  const run = await fixclf(...trainArgs(path.join(reference, 'run')));
  expect(run.code).toBe(0);
  straight = await readMetrics(path.join(reference, 'run'));
  expect(straight.map((r) => r.epoch)).toEqual([1, 2, 3]);
  await fs.rm(reference, { recursive: true, force: true });
});

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number;
}

/** Runs the CLI in a child process with the given interruption points. */
function child(
  args: string[],
  env: Record<string, string> = {},
): { pid: number; done: Promise<ChildResult>; kill: (s: NodeJS.Signals) => void } {
  const proc = spawn(process.execPath, [FIXCLF_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d));
  proc.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<ChildResult>((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, pid: proc.pid! }));
  });
  return { pid: proc.pid!, done, kill: (s) => proc.kill(s) };
}

async function killedAt(out: string, point: string, epochs = 3): Promise<ChildResult> {
  const result = await child(trainArgs(out, epochs), { FIXCLF_TEST_KILL_AT: point }).done;
  expect(result.signal).toBe('SIGKILL');
  return result;
}

/** Both logs hold epochs 1..n exactly once, agree with each other and with the uninterrupted run. */
async function expectLogsComplete(run: string, n = 3): Promise<void> {
  const records = await readMetrics(run);
  expect(records.map((r) => r.epoch)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  const csv = (await fs.readFile(path.join(run, 'metrics.csv'), 'utf8')).trim().split('\n');
  expect(csv[0]).toBe('epoch,lr,trainLoss,trainError,valLoss,valTop1,valTop5,alpha,featureNorm,imagesPerSecond,seconds');
  expect(csv.slice(1).map((line) => Number(line.split(',')[0]))).toEqual(records.map((r) => r.epoch));
  csv.slice(1).forEach((line, i) => expect(Number(line.split(',')[2])).toBe(records[i]!.trainLoss));
  records.forEach((r, i) => {
    const s = straight[i]!;
    expect(r.lr).toBe(s.lr);
    expect([r.trainLoss, r.trainError, r.valLoss, r.valTop1, r.alpha]).toEqual([s.trainLoss, s.trainError, s.valLoss, s.valTop1, s.alpha]);
    // Every training image of the epoch counted once, whatever happened in between.
    expect(Math.round(r.imagesPerSecond * r.seconds)).toBe(STEPS * BATCH);
  });
}

const entries = async (run: string) => (await fs.readdir(run)).sort();

describe('a kill -9 at any point loses no epoch (metrics and checkpoint consistent)', () => {
  it.each([['after-checkpoint-before-metrics:2'], ['between-metrics-files:2'], ['before-checkpoint-marker:2'], ['after-step:8']])(
    'killed at %s: --resume ends with every epoch in both logs exactly once',
    async (point) => {
      const run = path.join(dir(), 'run');
      await killedAt(run, point);
      const resumed = await fixclf(...trainArgs(run), '--resume');
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      await expectLogsComplete(run);
      expect(await entries(run)).toEqual(['checkpoint', 'metrics.csv', 'metrics.jsonl', 'run.json']);
    },
  );

  it('a kill while resume repairs the logs leaves them repairable, never empty', async () => {
    const run = path.join(dir(), 'run');
    await killedAt(run, 'after-checkpoint-before-metrics:2'); // epoch 2 is in the checkpoint, not the logs
    const repairing = await child([...trainArgs(run), '--resume'], { FIXCLF_TEST_KILL_AT: 'during-log-rewrite' }).done;
    expect(repairing.signal).toBe('SIGKILL');
    // Killed between the two logs' renames: the JSONL is already whole, the CSV still the old one.
    expect((await readMetrics(run)).map((r) => r.epoch)).toEqual([1, 2]);
    expect((await fs.readFile(path.join(run, 'metrics.csv'), 'utf8')).trim().split('\n')).toHaveLength(2);
    expect((await fixclf(...trainArgs(run), '--resume')).code).toBe(0);
    await expectLogsComplete(run);
  });
});

describe('a kill between the two renames of a checkpoint save', () => {
  it('leaves both checkpoints; eval reads the newest, --resume recovers it and cleans the leftovers', async () => {
    const run = path.join(dir(), 'run');
    await killedAt(run, 'between-renames'); // the save of epoch 2: the first save has nothing to rename away
    const names = await entries(run);
    expect(names).not.toContain('checkpoint');
    expect(names.filter((n) => n.startsWith('.checkpoint.tmp-'))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith('checkpoint.old-'))).toHaveLength(1);

    const found = await findCheckpoint(run);
    expect(found?.state).toMatchObject({ epoch: 2, step: 0 });
    expect(path.basename(found!.dir)).toMatch(/^\.checkpoint\.tmp-/);
    // eval reads epoch 2's weights: the hold-out figures that epoch logged in the uninterrupted run.
    const evaluated = await fixclf('eval', '--run', run, '--split', 'validation');
    expect(evaluated.code).toBe(0);
    const figures = JSON.parse(evaluated.stdout.trim().split('\n').at(-1)!);
    expect(figures.count).toBe(64);
    expect(figures.top1).toBeCloseTo(straight[1]!.valTop1!, 6);
    expect(figures.loss).toBeCloseTo(straight[1]!.valLoss!, 4);

    const resumed = await fixclf(...trainArgs(run), '--resume');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(
      /recovered the checkpoint at the end of epoch 2 from \.checkpoint\.tmp-\w+, left by an interrupted save/,
    );
    await expectLogsComplete(run);
    expect(await entries(run)).toEqual(['checkpoint', 'metrics.csv', 'metrics.jsonl', 'run.json']);
  });
});

describe('one training process per run directory', () => {
  it('refuses a second --resume while one runs, naming its pid; Ctrl-C of the first releases the lock', async () => {
    const run = path.join(dir(), 'run');
    await killedAt(run, 'after-step:8'); // a run to resume, with a checkpoint at epoch 1
    const first = child([...trainArgs(run, 1000), '--resume']);
    const lock = path.join(run, LOCK_FILE);
    // The killed run left its lock behind: wait until the first process has taken it over.
    const holder = async () => JSON.parse(await fs.readFile(lock, 'utf8').catch(() => '{}')).pid as number | undefined;
    let exited: ChildResult | null = null;
    void first.done.then((r) => (exited = r));
    while ((await holder()) !== first.pid) {
      if (exited) throw new Error(`the first process ended before taking the lock: ${(exited as ChildResult).stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }

    const second = await fixclf(...trainArgs(run, 4), '--resume');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `run directory ${run} is in use by another fixclf process (pid ${first.pid} on ${os.hostname()}, since `,
    );
    expect(second.stderr).toContain(`if no such process is running any more, delete ${lock}.`);

    first.kill('SIGINT');
    const ended = await first.done;
    expect(ended.code).toBe(130);
    await expect(fs.access(lock)).rejects.toThrow();
    // The second process wrote nothing: each epoch once, from the first one alone.
    const epochs = (await readMetrics(run)).map((r) => r.epoch);
    expect(epochs).toEqual(Array.from({ length: epochs.length }, (_, i) => i + 1));
  });

  it('takes over the lock of a dead process with a message, and releases its own on an error', async () => {
    const run = path.join(dir(), 'run');
    await killedAt(run, 'after-step:8'); // SIGKILL: its lock stays behind
    const lock = path.join(run, LOCK_FILE);
    const stale = JSON.parse(await fs.readFile(lock, 'utf8'));
    expect(stale.hostname).toBe(os.hostname());

    // An error once the lock is held: the checkpoint's weights are gone.
    const weights = path.join(run, 'checkpoint', 'model', 'weights.bin');
    await fs.rm(weights);
    const refused = await fixclf(...trainArgs(run), '--resume');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      `taking over the lock of run directory ${run} left by pid ${stale.pid} (since ${stale.startedAt}), which is no longer running.`,
    );
    expect(refused.stderr).toContain(
      `Cannot read the weights ${weights} of ${path.join(run, 'checkpoint', 'model', 'model.json')}: ENOENT`,
    );
    await expect(fs.access(lock)).rejects.toThrow();
  });

  it('refuses a directory locked by a live process', async () => {
    const run = path.join(dir(), 'run');
    await fs.mkdir(run);
    // Another live process: Jest's parent (this process's own pid, not holding the lock, reads as a
    // restarted container's earlier self, and is taken over).
    const owner = { pid: process.ppid, hostname: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' };
    await fs.writeFile(path.join(run, LOCK_FILE), JSON.stringify(owner));
    const refused = await fixclf(...trainArgs(run));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `is in use by another fixclf process (pid ${process.ppid} on ${os.hostname()}, since 2026-01-01T00:00:00.000Z`,
    );
    expect(await fs.readdir(run)).toEqual([LOCK_FILE]);
  });
});

describe('a run that stops before its first checkpoint', () => {
  it('starts again from scratch with the same command or --resume; other options are refused', async () => {
    const run = path.join(dir(), 'run');
    await killedAt(run, 'after-step:1');
    expect(await findCheckpoint(run)).toBeNull();

    const other = await fixclf(...trainArgs(run, 3, '--classifier', 'learned'));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      `${run} holds a run that stopped before its first checkpoint, with other options (--classifier: the run's "hadamard", given "learned")`,
    );

    const again = await fixclf(...trainArgs(run));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${run} holds a run that stopped before its first checkpoint; starting it again from scratch.`);
    await expectLogsComplete(run);

    const second = path.join(dir(), 'second');
    await killedAt(second, 'before-checkpoint-marker:1'); // the first checkpoint half written
    const resumed = await fixclf(...trainArgs(second), '--resume');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('starting it again from scratch');
    await expectLogsComplete(second);
  });

  it('a divergence in epoch 1 says no checkpoint was saved, and a lower --lr starts the run again', async () => {
    const run = path.join(dir(), 'run');
    const diverged = await fixclf(...trainArgs(run).map((a) => (a === '0.05' ? '1e30' : a)));
    expect(diverged.code).toBe(1);
    expect(diverged.stderr).toMatch(
      /Training diverged: .*epoch 1.*No checkpoint was saved \(this happened before the first one\), so the same command starts .* again from scratch\./,
    );
    expect(diverged.stderr).not.toContain('last good checkpoint');
    expect((await fixclf(...trainArgs(run))).code).toBe(0);
    await expectLogsComplete(run);
  });

  it('two Ctrl-C quit at once without a checkpoint, release the lock, and the same command starts again', async () => {
    const run = path.join(dir(), 'run');
    const quit = await child(trainArgs(run), { FIXCLF_TEST_SIGINT_AT: 'after-step:2,after-step:2' }).done;
    expect(quit.code).toBe(130);
    expect(quit.stderr).toContain(
      `quitting without saving this step; no checkpoint was saved yet, so the same command starts ${run} again.`,
    );
    expect(await entries(run)).toEqual(['run.json']);
    expect((await fixclf(...trainArgs(run))).code).toBe(0);
    await expectLogsComplete(run);
  });
});

describe('Ctrl-C while the data open', () => {
  it('exits 130 with nothing written, not after a step and a checkpoint', async () => {
    // It was acted on only after the run directory, one training step and a save.
    const run = path.join(dir(), 'run');
    const stopped = await child(trainArgs(run), { FIXCLF_TEST_SIGINT_AT: 'data-opened' }).done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`fixclf: stopped before training started; nothing was written to ${run}.`);
    await expect(fs.access(run)).rejects.toThrow();
  });

  it('a second Ctrl-C there quits at once, and leaves no directory of --out either', async () => {
    // The lock, and with it --out, is taken before the data open; an exit without release kept --out.
    const run = path.join(dir(), 'runs', 'run');
    const quit = await child(trainArgs(run), { FIXCLF_TEST_SIGINT_AT: 'data-opened,data-opened' }).done;
    expect(quit.code).toBe(130);
    await expect(fs.access(path.join(dir(), 'runs'))).rejects.toThrow();
  });
});

describe('SIGTERM (docker stop, a scheduler) and SIGHUP', () => {
  it.each(['SIGTERM', 'SIGHUP'] as const)(
    '%s saves a checkpoint as Ctrl-C does, releases the lock and exits 128 + its number',
    async (signal) => {
      // Left to Node's default they ended the process at once: no checkpoint, the lock file left behind.
      const run = path.join(dir(), 'run');
      const proc = child(trainArgs(run, 1000));
      const lock = path.join(run, LOCK_FILE);
      // run.json is written once training is about to start (the lock is taken before the data opens).
      while (!(await fs.stat(path.join(run, 'run.json')).catch(() => null))) await new Promise((r) => setTimeout(r, 20));
      proc.kill(signal);
      const ended = await proc.done;
      expect(ended.code).toBe(128 + os.constants.signals[signal]);
      expect(ended.stderr).toContain(`fixclf: ${signal}: stopping after this step and saving a checkpoint`);
      expect(ended.stderr).toContain(`checkpoint saved in ${run}. Continue with the same command and --resume.`);
      await expect(fs.access(lock)).rejects.toThrow();
      await fs.access(path.join(run, 'checkpoint', 'state.json'));
    },
  );
});

describe('a closed standard output', () => {
  it('(fixclf train … | head) drops the lines and trains to the end', async () => {
    const run = path.join(dir(), 'run');
    const proc = spawn(process.execPath, [FIXCLF_SCRIPT, ...trainArgs(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.destroy(); // the reader is gone before the first line
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
    await expectLogsComplete(run);
  });
});

describe('Ctrl-C', () => {
  it('stops within one step with a mid-epoch checkpoint; --resume trains exactly the remaining batches', async () => {
    const run = path.join(dir(), 'run');
    const stopped = await child(trainArgs(run), { FIXCLF_TEST_SIGINT_AT: `after-step:${STEPS + 3}` }).done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`interrupted; checkpoint saved in ${run}. Continue with the same command and --resume.`);
    const state = JSON.parse(await fs.readFile(path.join(run, 'checkpoint', 'state.json'), 'utf8'));
    expect([state.epoch, state.step]).toEqual([1, 3]); // epoch 2 after its third step, where the Ctrl-C came
    expect(state.meter.count).toBe(3 * BATCH);
    expect((await readMetrics(run)).map((r) => r.epoch)).toEqual([1]);

    expect((await fixclf(...trainArgs(run), '--resume')).code).toBe(0);
    await expectLogsComplete(run); // epoch 2's loss is the uninterrupted one: the same remaining batches
  });

  it('a resume that changes a setting mid-epoch records where: the epoch and the step', async () => {
    const run = path.join(dir(), 'run');
    const stopped = await child(trainArgs(run), { FIXCLF_TEST_SIGINT_AT: `after-step:${STEPS + 3}` }).done;
    expect(stopped.code).toBe(130);
    const extended = await fixclf(...trainArgs(run, 4), '--resume');
    expect(extended.code).toBe(0);
    expect(extended.stdout).toContain('resume: epochs 3 → 4 at epoch 2, step 3 (recorded in run.json)');
    const config = JSON.parse(await fs.readFile(path.join(run, 'run.json'), 'utf8'));
    expect(config.history).toEqual([{ at: expect.any(String), epoch: 1, step: 3, change: 'epochs 3 → 4' }]);
  });

  it('a resume mid-epoch refuses to end before that epoch, and one that trains no step leaves run.json as it was', async () => {
    const run = path.join(dir(), 'run');
    expect((await child(trainArgs(run), { FIXCLF_TEST_SIGINT_AT: `after-step:${STEPS + 3}` }).done).code).toBe(130);
    const before = await fs.readFile(path.join(run, 'run.json'), 'utf8');
    // 3 steps into epoch 2: --epochs 1 would end the run there, with epoch 2 never finished.
    const shorter = await fixclf(...trainArgs(run, 1), '--resume');
    expect(shorter.code).toBe(1);
    expect(shorter.stderr).toContain(`--epochs 1: the run in ${run} is 3 steps into epoch 2; give --epochs 2 or more`);
    // A rate that diverges at the first step: nothing trained, so nothing of it stays in run.json.
    const diverged = await fixclf(...trainArgs(run, 4), '--lr', '1e30', '--resume');
    expect(diverged.code).toBe(1);
    expect(diverged.stdout).toContain('resume: no step was trained, so run.json keeps the settings it had.');
    expect(await fs.readFile(path.join(run, 'run.json'), 'utf8')).toBe(before);
    expect((await fixclf(...trainArgs(run), '--resume')).code).toBe(0);
    await expectLogsComplete(run);
  });

  it('in the last epoch, also after its last step, exits 130 and the resumed run only validates', async () => {
    const run = path.join(dir(), 'run');
    const stopped = await child(trainArgs(run), { FIXCLF_TEST_SIGINT_AT: `after-step:${3 * STEPS}` }).done;
    expect(stopped.code).toBe(130);
    const state = JSON.parse(await fs.readFile(path.join(run, 'checkpoint', 'state.json'), 'utf8'));
    expect([state.epoch, state.step]).toEqual([2, STEPS]);
    expect((await readMetrics(run)).map((r) => r.epoch)).toEqual([1, 2]);

    const resumed = await fixclf(...trainArgs(run), '--resume');
    expect(resumed.code).toBe(0);
    await expectLogsComplete(run);
  });
});
