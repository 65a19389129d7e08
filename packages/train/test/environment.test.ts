// Where a run trained: run.json's `environment` at creation, a history entry when a resume moves the run
// to another host or version, and `fixclf --version`. Expected values come from the files and the OS
// directly (package.json files, the oneDNN header), not from the code under test.
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { currentEnvironment } from '../src/environment';
import { fixclfHere } from './fixtures/cli-child';
import { registerTinyModel } from './fixtures/tiny-model';
import { readRunJson, tinyTrainArgs } from './fixtures/tiny-run';
import { temporaryDirectoryEachTest } from './fixtures/temp-dir';

const dir = temporaryDirectoryEachTest('fixclf-environment-');
beforeAll(() => registerTinyModel());

const version = (file: string): string => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
const trainVersion = version(path.join(__dirname, '..', 'package.json'));

/** oneDNN's version from the header the backend builds against (libdnnl-dev, which .ci/run installs). */
function onednnFromHeader(): string {
  const text = readFileSync('/usr/include/oneapi/dnnl/dnnl_version.h', 'utf8');
  const part = (name: string) => new RegExp(`#define DNNL_VERSION_${name} (\\d+)`).exec(text)![1];
  return `oneDNN ${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
}

/**
 * This process's environment on onednn, from the sources the code under test should read. A getter,
 * so that a machine without the header fails the tests that need it, not the whole file.
 */
const environmentOnOnednn = () => ({
  fixclf: trainVersion,
  tfjs: version(require.resolve('@tensorflow/tfjs-core/package.json')),
  library: onednnFromHeader(),
  node: process.version,
  cpu: os.cpus()[0]!.model.trim(),
  cores: os.availableParallelism(),
});

/** A tiny synthetic run: 32 images, one step an epoch, no validation (onednn: the pure-JS backend takes ~10 s a step). */
const tiny = (out: string, ...extra: string[]) => tinyTrainArgs(out, 32, '--validation', 'none', ...extra);

const editRunJson = async (run: string, edit: (config: Record<string, unknown>) => void) => {
  const config = await readRunJson(run);
  edit(config);
  await fs.writeFile(path.join(run, 'run.json'), JSON.stringify(config, null, 2) + '\n');
};

describe('fixclf --version', () => {
  it.each([['--version'], ['-V']])('%s prints @fixclf/train’s version and exits 0', async (flag) => {
    const { code, stdout, stderr } = await fixclfHere(flag);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: `${trainVersion}\n`, stderr: '' });
  });
});

describe("run.json's environment", () => {
  it('a new run records where it was created, with the oneDNN it runs as its header gives the version, and the log says it', async () => {
    const run = path.join(dir(), 'created');
    const result = await fixclfHere(...tiny(run, '--epochs', '1', '--backend', 'onednn'));
    expect(result.code).toBe(0);
    const expected = environmentOnOnednn();
    expect((await readRunJson(run)).environment).toEqual(expected);
    expect(result.stdout).toContain(
      `environment: ${expected.cpu}, ${expected.cores} core${expected.cores === 1 ? '' : 's'}; fixclf ${expected.fixclf}, TF.js ${expected.tfjs}, ${expected.library}, Node ${expected.node}\n`,
    );
  });

  it('names no library on a backend that reports none', async () => {
    const { library, ...rest } = environmentOnOnednn();
    expect(library).toMatch(/^oneDNN \d+\.\d+\.\d+$/);
    expect(await currentEnvironment('cpu')).toEqual(rest);
  });

  it('a resume on another host or version records the move with the new environment; one that moves nothing records nothing', async () => {
    const run = path.join(dir(), 'moved');
    expect((await fixclfHere(...tiny(run, '--epochs', '1', '--backend', 'onednn'))).code).toBe(0);
    // As if created elsewhere, by another version.
    const expected = environmentOnOnednn();
    const elsewhere = { ...expected, cpu: 'Another CPU', cores: expected.cores + 62, fixclf: '0.0.0-other' };
    await editRunJson(run, (c) => (c.environment = elsewhere));

    const moved = await fixclfHere('train', '--model', 'tiny', '--out', run, '--resume', '--epochs', '2', '--backend', 'onednn');
    expect(moved.code).toBe(0);
    const change = `cpu Another CPU → ${expected.cpu}, cores ${elsewhere.cores} → ${expected.cores}, fixclf 0.0.0-other → ${trainVersion}`;
    expect(moved.stdout).toContain(`resume: epochs 1 → 2; ${change} after epoch 1 (recorded in run.json)`);
    let config = await readRunJson(run);
    expect(config.environment).toEqual(elsewhere); // where it was created stays
    expect(config.history).toEqual([{ at: expect.any(String), epoch: 1, change: `epochs 1 → 2; ${change}`, environment: expected }]);

    // Resumed here again: the newest entry's environment is this one, so only the epochs change.
    expect((await fixclfHere('train', '--model', 'tiny', '--out', run, '--resume', '--epochs', '3', '--backend', 'onednn')).code).toBe(0);
    config = await readRunJson(run);
    expect(config.history).toHaveLength(2);
    expect(config.history[1]).toEqual({ at: expect.any(String), epoch: 2, change: 'epochs 2 → 3' });
  });

  it('a run written before environments were recorded gets one at its first resume; a resume that trains nothing keeps run.json', async () => {
    const run = path.join(dir(), 'older');
    expect((await fixclfHere(...tiny(run, '--epochs', '1', '--backend', 'onednn'))).code).toBe(0);
    await editRunJson(run, (c) => delete c.environment);
    const before = await fs.readFile(path.join(run, 'run.json'), 'utf8');

    // Finished: nothing is trained, so nothing is recorded.
    const finished = await fixclfHere('train', '--model', 'tiny', '--out', run, '--resume', '--backend', 'onednn');
    expect(finished.code).toBe(0);
    expect(await fs.readFile(path.join(run, 'run.json'), 'utf8')).toBe(before);

    expect((await fixclfHere('train', '--model', 'tiny', '--out', run, '--resume', '--epochs', '2', '--backend', 'onednn')).code).toBe(0);
    const config = await readRunJson(run);
    expect(config.environment).toBeUndefined();
    expect(config.history).toEqual([
      { at: expect.any(String), epoch: 1, change: 'epochs 1 → 2; environment first recorded', environment: environmentOnOnednn() },
    ]);
  });
});
