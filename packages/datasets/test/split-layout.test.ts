import path from 'node:path';
import { openDataset, type OpenDatasetOptions } from '../src/index';
import { encodeJpeg, testPixels } from './support/images';
import { failure } from './support/failure';
import { systemTar } from './support/tar';
import { temporaryDirectory } from './support/temp';
import { writeTree } from './support/tree';

const temp = temporaryDirectory();
afterAll(temp.cleanup);

// Every image is distinct (its seed), so a label can be checked against the file it came from.
let seed = 0;
const jpeg = () => encodeJpeg(testPixels(32, 32, ++seed), 32, 32);

/** A directory of the given files, and the same tree as a .tar and a .tar.gz (members relative to it). */
function sources(name: string, files: string[]): { dir: string; tar: string; gz: string } {
  const dir = writeTree(path.join(temp.dir, name), Object.fromEntries(files.map((f) => [f, jpeg()])));
  const tops = [...new Set(files.map((f) => f.split('/')[0]!))];
  const tar = path.join(temp.dir, `${name}.tar`);
  const gz = path.join(temp.dir, `${name}.tar.gz`);
  systemTar(tar, dir, tops);
  systemTar(gz, dir, tops, { gzip: true });
  return { dir, tar, gz };
}

const quiet = { workers: 0 } as const;

/** The class name of each image of a dataset, by the directory its file is in. */
async function classOfFiles(source: string, options: OpenDatasetOptions): Promise<{ classNames: readonly string[]; pairs: string[] }> {
  const ds = await openDataset(source, { ...quiet, ...options });
  const pairs: string[] = [];
  for (let i = 0; i < ds.size; i++) {
    const { file, label } = await ds.readImage(i);
    pairs.push(`${file.split(/[/:]/).slice(-2).join('/')} → ${ds.classNames[label]}`);
  }
  return { classNames: ds.classNames, pairs };
}

describe("a source without a test split refuses split 'test' instead of returning its training images", () => {
  it('train/<class>/… alone (the shared CIFAR-10 JPEG layout): train reads through train/, test fails naming the path and the splits', async () => {
    const { dir, tar, gz } = sources('trainonly', ['train/cat/1.jpg', 'train/cat/2.jpg', 'train/dog/3.jpg']);
    for (const source of [dir, tar, gz]) {
      const train = await openDataset(source, quiet);
      expect(train.classNames).toEqual(['cat', 'dog']);
      expect(train.size).toBe(3);
      const error = await failure(() => openDataset(source, { ...quiet, split: 'test' }));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.file).toBe(source);
      expect(error.message).toContain(`${source} has no test split (it holds train/); hold out part of the training set instead`);
      expect(error.message).toContain("split 'validation'");
      expect(error.message).toContain('or point at a folder with a test/ or val/ directory');
    }
  });

  it('a plain folder of classes is one set of images that every split reads (unsplit); a folder named val/ (or test/) is a test split only', async () => {
    const { dir, tar } = sources('plain', ['cat/1.jpg', 'dog/2.jpg']);
    for (const source of [dir, tar]) {
      const [train, test] = [await openDataset(source, quiet), await openDataset(source, { ...quiet, split: 'test' })];
      expect([train.unsplit, test.unsplit]).toEqual([true, true]);
      expect(test.classNames).toEqual(train.classNames);
      expect(Array.from(test.labels)).toEqual(Array.from(train.labels));
    }
    const trainNamed = path.join(temp.dir, 'named', 'train');
    writeTree(trainNamed, { 'cat/1.jpg': jpeg(), 'dog/2.jpg': jpeg() });
    expect((await openDataset(trainNamed, quiet)).unsplit).toBe(false);
    expect((await failure(() => openDataset(trainNamed, { ...quiet, split: 'test' }))).message).toContain(
      `${trainNamed} has no test split (it is named train); hold out part of the training set instead`,
    );
    const val = writeTree(path.join(temp.dir, 'holder', 'val'), { 'cat/1.jpg': jpeg(), 'dog/2.jpg': jpeg() });
    expect((await openDataset(val, { ...quiet, split: 'test' })).classNames).toEqual(['cat', 'dog']);
    const wrong = await failure(() => openDataset(val, quiet));
    expect(wrong.message).toContain(`${val} has no train split (it is named val, a test split); open it with split: 'test'`);
    // The same through a single top-level directory, and an archive named for its split.
    const holder = path.join(temp.dir, 'holder');
    expect((await openDataset(holder, { ...quiet, split: 'test' })).size).toBe(2);
    expect((await failure(() => openDataset(holder, quiet))).message).toContain(
      `${holder} has no train split (it holds val/, a test split)`,
    );
    const named = path.join(temp.dir, 'test.tar');
    systemTar(named, val, ['cat', 'dog']);
    expect((await openDataset(named, { ...quiet, split: 'test' })).size).toBe(2);
  });
});

describe('split directories', () => {
  it('train/ valid/ test/: each split is its directory (test/ before valid/), never three classes', async () => {
    const { dir, gz } = sources('three', [
      'train/cat/1.jpg',
      'train/dog/2.jpg',
      'valid/cat/3.jpg',
      'valid/dog/4.jpg',
      'test/cat/5.jpg',
      'test/dog/6.jpg',
    ]);
    for (const source of [dir, gz]) {
      expect((await classOfFiles(source, {})).pairs).toEqual(['cat/1.jpg → cat', 'dog/2.jpg → dog']);
      expect((await classOfFiles(source, { split: 'test' })).pairs).toEqual(['cat/5.jpg → cat', 'dog/6.jpg → dog']);
    }
    const { dir: noTest } = sources('trainvalid', ['Train/cat/1.jpg', 'Train/dog/2.jpg', 'Valid/cat/3.jpg', 'Valid/dog/4.jpg']);
    expect((await classOfFiles(noTest, { split: 'test' })).pairs).toEqual(['cat/3.jpg → cat', 'dog/4.jpg → dog']);
  });

  it('train/<class>/ beside a flat, unlabelled test/: train reads its classes, test is refused as unlabelled', async () => {
    const { dir, tar } = sources('flattest', ['train/cat/1.jpg', 'train/dog/2.jpg', 'test/a.jpg', 'test/b.jpg']);
    for (const source of [dir, tar]) {
      const train = await openDataset(source, quiet);
      expect(train.classNames).toEqual(['cat', 'dog']);
      expect(train.size).toBe(2);
      const error = await failure(() => openDataset(source, { ...quiet, split: 'test' }));
      expect(error.code).toBe('BAD_LAYOUT');
      expect(error.message).toContain('the test split of');
      expect(error.message).toContain('holds no class directories (2 files in it: unlabelled images?)');
    }
  });

  it('ambiguous layouts are refused with what to change, not guessed at', async () => {
    const mixed = sources('mixed', ['train/cat/1.jpg', 'train/dog/2.jpg', 'bird/3.jpg']).dir;
    const error = await failure(() => openDataset(mixed, quiet));
    expect(error.code).toBe('BAD_LAYOUT');
    expect(error.message).toContain(`${mixed} mixes split directories (train/) with other directories (bird/)`);

    const twoVal = sources('twoval', ['train/cat/1.jpg', 'val/cat/2.jpg', 'validation/cat/3.jpg']).dir;
    expect((await openDataset(twoVal, quiet)).size).toBe(1);
    expect((await failure(() => openDataset(twoVal, { ...quiet, split: 'test' }))).message).toContain(
      `${twoVal} has val/, validation/ and no test/: which of them is the test split is ambiguous`,
    );

    const flat = sources('flatsplits', ['train/a.jpg', 'test/b.jpg']).dir;
    const unlabelled = await failure(() => openDataset(flat, quiet));
    expect(unlabelled.code).toBe('BAD_LAYOUT');
    expect(unlabelled.message).toContain(`${flat}: test/, train/ are named like a split but hold no class directories`);
  });

  it("a val/ split missing a class keeps the training split's labels; a class train/ lacks is refused, named", async () => {
    const files = ['train/ant/1.jpg', 'train/bee/2.jpg', 'train/cat/3.jpg', 'val/ant/4.jpg', 'val/cat/5.jpg', 'val/cat/6.jpg'];
    const { dir, tar, gz } = sources('missing', files);
    for (const [source, options] of [
      [dir, {}],
      [dir, { memoryLimit: 0 }], // read file by file
      [dir, { verify: 'decode' }], // every class checked for usable images
      [gz, {}],
      [tar, { memoryLimit: 1 }], // indexed in place
    ] as const) {
      const test = await classOfFiles(source, { split: 'test', ...options });
      expect(test.classNames).toEqual(['ant', 'bee', 'cat']);
      expect(test.pairs).toEqual(['ant/4.jpg → ant', 'cat/5.jpg → cat', 'cat/6.jpg → cat']);
    }
    const extra = sources('extra', [...files, 'val/dog/7.jpg']);
    for (const [source, member] of [
      [extra.dir, path.join(extra.dir, 'val/dog')],
      [extra.tar, `${extra.tar}:val/dog`],
    ] as const) {
      const error = await failure(() => openDataset(source, { ...quiet, split: 'test' }));
      expect(error.code).toBe('BAD_LAYOUT');
      expect(error.file).toBe(member);
      expect(error.message).toContain(`class directory ${member} is not a class of the training split`);
      expect(error.message).toContain('(ant/, bee/, cat/)');
    }
    expect((await openDataset(extra.dir, quiet)).classNames).toEqual(['ant', 'bee', 'cat']);
  });
});
