import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readMetrics } from '../src';
import { fixclfChild, fixclfHere as fixclf } from './fixtures/cli-child';
import { registerTinyModel } from './fixtures/tiny-model';
import { readRunJson, tinyTrainArgs } from './fixtures/tiny-run';
import { temporaryDirectoryEachTest } from './fixtures/temp-dir';

const dir = temporaryDirectoryEachTest('fixclf-cli-');
beforeAll(() => registerTinyModel());

const tinyTrain = (out: string, ...extra: string[]) => fixclf(...tinyTrainArgs(out, 256, '--epochs', '2', '--lr', '0.05', ...extra));

describe('fixclf', () => {
  it('prints help for every command', async () => {
    for (const command of [[], ['train'], ['eval'], ['compare']]) {
      const { code, stdout } = await fixclf(...command, '--help');
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: fixclf/);
    }
  });

  it.each([
    [['train', '--model', 'resnet7', '--out', 'x'], /--model must be one of .*resnet20/],
    [['train', '--model', 'tiny', '--out', 'x', '--epochs', '0'], /--epochs must be a positive integer, got '0'/],
    [['train', '--model', 'tiny', '--out', 'x', '--colour'], /unknown option '--colour'/],
    [['train', '--model', 'tiny'], /required option '--out <dir>' not specified/],
    [['train', '--model', 'tiny', '--out', 'x', '--backend', 'gpu'], /Allowed choices are auto, onednn, cpu, tensorflow, tensorflow-gpu/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('rejects wrong usage %p with exit code 2 and a message naming the problem', async (args, message) => {
    const { code, stderr } = await fixclf(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('--resume auto starts a run in a new directory and continues it on the next call; --resume takes no other value', async () => {
    const run = path.join(dir(), 'auto');
    const args = (epochs: string) => tinyTrainArgs(run, 64, '--validation', 'none', '--epochs', epochs, '--resume', 'auto');
    const first = await fixclf(...args('1'));
    expect(first.code).toBe(0);
    expect((await readMetrics(run)).map((r) => r.epoch)).toEqual([1]);
    expect(JSON.parse(await fs.readFile(path.join(run, 'run.json'), 'utf8')).history).toBeUndefined();
    // The same command, later: the run is continued, not refused as "already holds a run".
    const second = await fixclf(...args('2'));
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('resume: epochs 1 → 2 after epoch 1 (recorded in run.json)');
    expect((await readMetrics(run)).map((r) => r.epoch)).toEqual([1, 2]);
    // A plain --resume before another option is still a flag.
    expect((await fixclf('train', '--model', 'tiny', '--out', run, '--resume', '--epochs', '3')).code).toBe(0);
    expect((await readMetrics(run)).map((r) => r.epoch)).toEqual([1, 2, 3]);
    const wrong = await fixclf('train', '--model', 'tiny', '--out', run, '--resume', 'sometimes');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("--resume takes no value, or 'auto', got 'sometimes'.");
  });

  it('--resume auto starts over a run that stopped before its first checkpoint, with the options given', async () => {
    const run = path.join(dir(), 'dead');
    expect((await fixclf(...tinyTrainArgs(run, 64, '--validation', 'none', '--epochs', '1'))).code).toBe(0);
    await fs.rm(path.join(run, 'checkpoint'), { recursive: true }); // as if killed before its first save
    // It used to resume the dead run's settings, refusing another batch size as "Cannot resume".
    const again = await fixclf(
      ...tinyTrainArgs(run, 64, '--validation', 'none', '--epochs', '1', '--batch-size', '16', '--resume', 'auto'),
    );
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${run} holds a run that stopped before its first checkpoint; starting it again from scratch.`);
    const config = JSON.parse(await fs.readFile(path.join(run, 'run.json'), 'utf8'));
    expect(config.regime.batchSize).toBe(16);
    expect(config.history).toBeUndefined();
    expect((await readMetrics(run)).map((r) => r.epoch)).toEqual([1]);
  });

  it.each([
    [
      'a foreign JSON file',
      '{"name": "something-else", "version": "1.0.0"}',
      'its format is missing, not "fixclf-run/1"; is this the directory of a `fixclf train` run?',
    ],
    [
      'another format version',
      '{"format": "fixclf-run/2"}',
      'its format is "fixclf-run/2", not "fixclf-run/1" (written by another version of fixclf',
    ],
    ['JSON null', 'null', 'its format is missing'],
  ])('refuses %s as run.json, naming the file, before anything loads; train, --resume auto and eval alike', async (_, text, reason) => {
    const run = path.join(dir(), 'foreign');
    await fs.mkdir(run);
    await fs.writeFile(path.join(run, 'run.json'), text);
    const message = `${path.join(run, 'run.json')} is not a run this fixclf reads: ${reason}`;
    for (const args of [tinyTrainArgs(run, 64), tinyTrainArgs(run, 64, '--resume', 'auto'), ['eval', '--run', run]]) {
      const result = await fixclf(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stdout).not.toContain('backend:'); // refused before a backend was chosen
    }
    expect(await fs.readdir(run)).toEqual(['run.json']);
    expect(await fs.readFile(path.join(run, 'run.json'), 'utf8')).toBe(text);
  });

  it('says which dataset path is missing, and leaves no directory of --out behind', async () => {
    const missing = path.join(dir(), 'no-such-data');
    const out = path.join(dir(), 'runs', 'today', 'run');
    const { code, stderr } = await fixclf('train', '--model', 'tiny', '--dataset', missing, '--out', out);
    expect(code).toBe(1);
    expect(stderr).toContain(missing);
    expect(await fs.readdir(dir())).toEqual([]);
  });

  it('trains, refuses to overwrite the run, resumes it, evaluates it and compares it with another', async () => {
    const fixed = path.join(dir(), 'fixed');
    const first = await tinyTrain(fixed);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^backend: \w+ \(/);
    expect(first.stdout).toMatch(/epoch {3}2 \| lr/);
    const runJson = JSON.parse(await fs.readFile(path.join(fixed, 'run.json'), 'utf8'));
    expect(runJson).toMatchObject({ model: 'tiny', dataset: 'synthetic', classifier: 'hadamard', numClasses: 10, seed: 0 });

    const before = await fs.readFile(path.join(fixed, 'metrics.jsonl'), 'utf8');
    const again = await tinyTrain(fixed);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /already holds a run \(tiny on synthetic, hadamard classifier, started .*\)\. Pass --resume to continue it, or choose another --out\./,
    );
    expect(await fs.readFile(path.join(fixed, 'metrics.jsonl'), 'utf8')).toBe(before);

    const other = await tinyTrain(fixed, '--classifier', 'learned', '--resume');
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /Cannot resume .*: it holds a different run \(--classifier: the run's "hadamard", given "learned"\)\. Give the run's own values, or another --out for a new run\./,
    );

    const resumed = await tinyTrain(fixed, '--epochs', '3', '--resume');
    expect(resumed.code).toBe(0);
    const records = await readMetrics(fixed);
    expect(records.map((r) => r.epoch)).toEqual([1, 2, 3]);

    const evaluated = await fixclf('eval', '--run', fixed);
    expect(evaluated.code).toBe(0);
    const result = JSON.parse(evaluated.stdout.trim().split('\n').at(-1)!);
    // The keys in the order --help and the README show them.
    expect(Object.keys(result)).toEqual(['top1', 'top5', 'loss', 'count', 'featureNorm', 'checkpoint']);
    expect(result.checkpoint).toEqual({ epoch: 3, step: 0 });
    expect(evaluated.stderr).toBe('');
    expect(result.featureNorm).toBeCloseTo(records[2]!.featureNorm!, 4);
    expect(result.count).toBe(2000);
    expect(result.top1).toBeCloseTo(records[2]!.valTop1!, 6);
    expect(result.loss).toBeCloseTo(records[2]!.valLoss!, 4);

    const learned = path.join(dir(), 'learned');
    expect((await tinyTrain(learned, '--classifier', 'learned')).code).toBe(0);
    const out = path.join(dir(), 'report');
    const compared = await fixclf('compare', fixed, learned, '--out', out);
    expect(compared.code).toBe(0);
    const learnedTop1 = (await readMetrics(learned)).at(-1)!.valTop1!.toFixed(2);
    expect(compared.stdout).toContain(`| tiny | synthetic | ${learnedTop1} % | ${records[2]!.valTop1!.toFixed(2)} % |`);
    // Below Table 1, a row per run: epochs, final training error and validation top-1, α, training time.
    const fixedSeconds = Math.round(records.reduce((sum, r) => sum + r.seconds, 0));
    expect(compared.stdout).toContain(`| fixed | 3 | ${records[2]!.trainError.toFixed(2)} % | ${records[2]!.valTop1!.toFixed(2)} % | `);
    expect(compared.stdout).toContain(`| ${records[2]!.alpha!.toFixed(2)} | ${records[2]!.featureNorm!.toFixed(2)} | `);
    expect(compared.stdout).toContain(`(${fixedSeconds.toLocaleString('en-US')} s) |`);
    expect(await fs.readFile(path.join(out, 'comparison.md'), 'utf8')).toContain('| run | epochs | training error |');
    // The fixed run recorded α and feature norms: their plot comes too.
    expect((await fs.readdir(out)).sort()).toEqual([
      'comparison.md',
      'errors-log.png',
      'errors-log.svg',
      'errors.png',
      'errors.svg',
      'scales.png',
      'scales.svg',
    ]);
    const png = await fs.readFile(path.join(out, 'errors.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it("eval --split validation evaluates the run's own hold-out, and says when the run has none", async () => {
    const held = path.join(dir(), 'held-out');
    expect((await tinyTrain(held, '--validation', '0.25', '--epochs', '1')).code).toBe(0);
    const last = (await readMetrics(held)).at(-1)!;
    const evaluated = await fixclf('eval', '--run', held, '--split', 'validation');
    expect(evaluated.code).toBe(0);
    const result = JSON.parse(evaluated.stdout.trim().split('\n').at(-1)!);
    expect(result.count).toBe(64); // a quarter of the 256 training images
    expect(result.top1).toBeCloseTo(last.valTop1!, 6);
    expect(result.loss).toBeCloseTo(last.valLoss!, 4);
    expect(result.perClass).toBeUndefined();
    // --per-class: the run's class names, counts that add up to the hold-out, accuracies that average to top1.
    const perClass = JSON.parse(
      (await fixclf('eval', '--run', held, '--split', 'validation', '--per-class')).stdout.trim().split('\n').at(-1)!,
    );
    const { classNames } = await readRunJson(held);
    expect(perClass.perClass.map((c: { name: string }) => c.name)).toEqual(classNames);
    expect(perClass.perClass.reduce((a: number, c: { count: number }) => a + c.count, 0)).toBe(64);
    const weighted =
      perClass.perClass.reduce((a: number, c: { count: number; top1: number | null }) => a + c.count * (c.top1 ?? 0), 0) / 64;
    expect(weighted).toBeCloseTo(result.top1, 8);
    // Resumed with the same --validation, as the README's resume commands give it: accepted, the same hold-out.
    const resumed = await tinyTrain(held, '--validation', '0.25', '--epochs', '2', '--resume');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('192 training images, 64 validation images');

    const testValidated = path.join(dir(), 'test-validated');
    expect((await tinyTrain(testValidated, '--epochs', '1')).code).toBe(0);
    const refused = await fixclf('eval', '--run', testValidated, '--split', 'validation');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${testValidated} was validated on its source's test split: use --split test; it has no hold-out to evaluate.`,
    );
  });

  it('compare --paired scores two runs image by image on the same hold-out, and refuses runs whose hold-outs differ', async () => {
    const fixed = path.join(dir(), 'fixed');
    const learned = path.join(dir(), 'learned');
    for (const [out, classifier] of [
      [fixed, 'hadamard'],
      [learned, 'learned'],
    ]) {
      expect((await tinyTrain(out!, '--validation', '0.25', '--epochs', '1', '--classifier', classifier!)).code).toBe(0);
    }
    const compared = await fixclf('compare', learned, fixed, '--paired', 'validation', '--out', path.join(dir(), 'report'));
    expect(compared.code).toBe(0);
    const row = compared.stdout.split('\n').find((l) => /^\| [\d,]+ \| [\d,]+ \| [\d,]+ \| [\d,]+ \| [+−]/.test(l));
    expect(row).toBeDefined();
    const [bothRight, onlyLearned, onlyFixed, bothWrong] = row!
      .split('|')
      .slice(1, 5)
      .map((c) => Number(c.trim()));
    // The cells against each run's own accuracy on its hold-out, as logged after its epoch.
    expect(bothRight! + onlyLearned! + onlyFixed! + bothWrong!).toBe(64);
    expect((100 * (bothRight! + onlyLearned!)) / 64).toBeCloseTo((await readMetrics(learned)).at(-1)!.valTop1!, 6);
    expect((100 * (bothRight! + onlyFixed!)) / 64).toBeCloseTo((await readMetrics(fixed)).at(-1)!.valTop1!, 6);
    expect(compared.stdout).toContain('Paired on the same 64 validation images (first: learned, second: fixed):');
    expect(await fs.readFile(path.join(dir(), 'report', 'comparison.md'), 'utf8')).toContain(row!);

    const half = path.join(dir(), 'half');
    expect((await tinyTrain(half, '--validation', '0.5', '--epochs', '1')).code).toBe(0);
    const refused = await fixclf('compare', learned, half, '--paired', 'validation', '--out', path.join(dir(), 'report2'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `compare --paired validation: ${learned} and ${half} held out different images (fraction 0.25, seed 0 against fraction 0.5, seed 0)`,
    );
    const three = await fixclf('compare', learned, fixed, half, '--paired', 'test');
    expect(three.code).toBe(1);
    expect(three.stderr).toContain('compare --paired: compares two runs image by image; got 3 run directories.');

    // Two runs of one network and head: Table 1's cells and the figures' legends name their directories.
    const report = path.join(dir(), 'report3');
    const all = await fixclf('compare', learned, fixed, half, '--out', report);
    expect(all.code).toBe(0);
    const pct = async (run: string) => `${(await readMetrics(run)).at(-1)!.valTop1!.toFixed(2)} %`;
    expect(all.stdout).toContain(`| tiny | synthetic | ${await pct(learned)} | ${await pct(fixed)} (fixed) |`);
    expect(all.stdout).toContain(`| tiny | synthetic | ${await pct(learned)} | ${await pct(half)} (half) |`);
    const legend = [...(await fs.readFile(path.join(report, 'errors.svg'), 'utf8')).matchAll(/font-size="12">([^<]*)<\/text>/g)].map(
      (m) => m[1],
    );
    expect(legend).toEqual(expect.arrayContaining(['tiny learned', 'fixed', 'half']));
    expect(legend).not.toContain('tiny hadamard');
  });

  it('compare and eval name a directory that holds no run', async () => {
    const a = await fixclf('compare', dir());
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(`${dir()} is not a fixclf run directory: it has no run.json.`);
    const b = await fixclf('eval', '--run', dir());
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${dir()} is not a fixclf run directory`);
  });

  it('eval of a run.json file, compare of a run without a log and a bad --validation say what to give', async () => {
    const run = path.join(dir(), 'run');
    const trained = await fixclf(
      ...['train', '--model', 'tiny', '--synthetic-size', '32', '--batch-size', '32', '--regime', 'onecycle', '--epochs', '1'],
      ...['--validation', 'none', '--out', run],
    );
    expect(trained.code).toBe(0);
    await fs.rm(path.join(run, 'metrics.jsonl'));
    const file = await fixclf('eval', '--run', path.join(run, 'run.json'));
    expect(file.code).toBe(1);
    expect(file.stderr).toContain(`${path.join(run, 'run.json')} is a file; give the run directory that holds run.json: ${run}.`);
    const unlogged = await fixclf('compare', run, '--out', path.join(dir(), 'report'));
    expect(unlogged.code).toBe(1);
    expect(unlogged.stderr).toContain(`${run} has no completed epoch (no ${path.join(run, 'metrics.jsonl')}).`);
    // A usage error, status 2, as every other option's bad value.
    const validation = await fixclf('train', '--model', 'tiny', '--validation', '1.5', '--out', path.join(dir(), 'v'));
    expect(validation.code).toBe(2);
    expect(validation.stderr).toContain("--validation must be 'test', 'none', 'auto' or a fraction in (0, 1), got '1.5'.");
  });

  it('on Ctrl-C saves a checkpoint and exits cleanly, and --resume finishes the run', async () => {
    const run = path.join(dir(), 'interrupted');
    const args = tinyTrainArgs(run, 2048, '--epochs', '50');
    let interrupted = false;
    const { code, stderr } = await fixclfChild(args, {
      killAfterMs: 300_000,
      onStdout: (stdout, kill) => {
        // One Ctrl-C only: a second one means "quit without saving".
        if (!interrupted && /epoch {3}1 \|/.test(stdout)) {
          interrupted = true;
          kill('SIGINT');
        }
      },
    });
    expect(stderr).toContain('stopping after this step and saving a checkpoint');
    expect(stderr).toContain(`interrupted; checkpoint saved in ${run}. Continue with the same command and --resume.`);
    expect(code).toBe(130);
    const state = JSON.parse(await fs.readFile(path.join(run, 'checkpoint', 'state.json'), 'utf8'));
    expect(state.epoch).toBeGreaterThanOrEqual(1);
    expect(state.epoch).toBeLessThan(50);
    // eval of the interrupted run scores mid-epoch weights, and says so.
    const midway = await fixclf('eval', '--run', run);
    expect(midway.code).toBe(0);
    expect(JSON.parse(midway.stdout.trim().split('\n').at(-1)!).checkpoint).toEqual({ epoch: state.epoch, step: state.step });
    const note = `note: ${run} was interrupted in epoch ${state.epoch + 1}: its checkpoint holds the weights after step ${state.step} of that epoch`;
    if (state.step > 0) expect(midway.stderr).toContain(note);
    else expect(midway.stderr).not.toContain('note:');

    const finish = String(state.epoch + 1);
    const resumed = await fixclf(...args.map((a) => (a === '50' ? finish : a)), '--resume');
    expect(resumed.code).toBe(0);
    expect((await readMetrics(run)).map((r) => r.epoch)).toEqual(Array.from({ length: state.epoch + 1 }, (_, i) => i + 1));
  });
});
