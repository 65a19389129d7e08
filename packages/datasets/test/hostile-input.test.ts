import path from 'node:path';
import { DatasetError, openDataset } from '../src/index';
import { indexTar, readTar } from '../src/sources/tar-reader';
import { encodeJpeg, testPixels } from './support/images';
import { systemTar } from './support/tar';
import { temporaryDirectory } from './support/temp';
import { writeTree } from './support/tree';

const temp = temporaryDirectory();
afterAll(temp.cleanup);

const jpeg = (seed: number) => encodeJpeg(testPixels(32, 32, seed), 32, 32);

async function failure(run: () => Promise<unknown> | unknown): Promise<DatasetError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('tar members outside the archive tree are refused', () => {
  // inner/ holds the real classes; outside/ is reached with an absolute name or with '..'.
  let root: string;
  let outsideImage: string;
  beforeAll(() => {
    root = writeTree(path.join(temp.dir, 'tree'), {
      'inner/cat/1.jpg': jpeg(1),
      'inner/cat/2.jpg': jpeg(2),
      'inner/dog/3.jpg': jpeg(3),
      'inner/dog/4.jpg': jpeg(4),
      'outside/5.jpg': jpeg(5),
    });
    outsideImage = path.join(root, 'outside/5.jpg');
  });

  it('the clean archive opens with its two classes (the baseline the hostile ones must not reshape)', async () => {
    const archive = path.join(temp.dir, 'clean.tar');
    systemTar(archive, path.join(root, 'inner'), ['cat', 'dog']);
    const ds = await openDataset(archive, { workers: 0 });
    expect(ds.classNames).toEqual(['cat', 'dog']);
    await ds.close();
  });

  it.each([
    ['absolute', 'abs.tar', false, () => [outsideImage], () => JSON.stringify(outsideImage), 'has an absolute name'],
    ['absolute, gzip', 'abs.tar.gz', true, () => [outsideImage], () => JSON.stringify(outsideImage), 'has an absolute name'],
    ['..', 'dots.tar', false, () => ['../outside/5.jpg'], () => '"../outside/5.jpg"', "climbs out of the archive's tree with '..'"],
  ])('a member with an %s name fails naming the member and the archive, read or indexed', async (_kind, file, gzip, extra, member, why) => {
    const archive = path.join(temp.dir, file);
    systemTar(archive, path.join(root, 'inner'), ['cat', 'dog', ...extra()], { gzip, absoluteNames: true });
    // The hostile name really is in the archive: the reader must not have stripped it.
    const memoryLimits = gzip ? [1e9] : [1e9, 1]; // 1 byte: an uncompressed .tar is indexed in place instead
    for (const memoryLimit of memoryLimits) {
      const error = await failure(() => openDataset(archive, { workers: 0, memoryLimit }));
      expect(error.code).toBe('UNSAFE_ARCHIVE');
      expect(error.message).toContain(`${archive}: member ${member()} ${why}`);
      expect(error.message).toContain('nothing was extracted');
      expect(error.file).toBe(`${archive}:${JSON.parse(member()) as string}`);
    }
    expect((await failure(() => readTar(archive, () => {}))).code).toBe('UNSAFE_ARCHIVE');
    if (!gzip) expect((await failure(() => indexTar(archive))).code).toBe('UNSAFE_ARCHIVE');
  });
});

describe('bad-image errors give the fix for API users and for the CLI', () => {
  it('at open and when a batch is made, the message names the file, the option and the CLI flag', async () => {
    const root = writeTree(path.join(temp.dir, 'bad'), { 'cat/1.jpg': jpeg(1), 'cat/notes.jpg': 'not an image', 'dog/2.jpg': jpeg(2) });
    const bad = path.join(root, 'cat/notes.jpg');
    const atOpen = await failure(() => openDataset(root, { workers: 0 }));
    expect(atOpen.code).toBe('BAD_IMAGE');
    expect(atOpen.message).toContain(`${bad}: not a JPEG or PNG image`);
    expect(atOpen.message).toContain("onBadImage: 'skip'");
    expect(atOpen.message).toContain('--on-bad-image skip');
    // Over memoryLimit the files stay on disk and are read when their batch is made.
    const ds = await openDataset(root, { workers: 0, memoryLimit: 1 });
    const atBatch = await failure(async () => {
      for await (const batch of ds.arrays({ batchSize: 3, shuffle: false })) void batch;
    });
    expect(atBatch.file).toBe(bad);
    expect(atBatch.message).toContain("onBadImage: 'skip'");
    expect(atBatch.message).toContain('--on-bad-image skip');
    await ds.close();
  });
});
