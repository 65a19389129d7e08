import { linkSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { openDataset, type Dataset } from '../src/index';
import { encodePng, testPixels } from './support/images';
import { failure } from './support/failure';
import { systemTar } from './support/tar';
import { temporaryDirectory } from './support/temp';
import { writeTree } from './support/tree';

const temp = temporaryDirectory();
afterAll(temp.cleanup);

const quiet = { workers: 0 } as const;
const png = (seed: number) => encodePng(testPixels(16, 16, seed), 16, 16);

/** Each image of the dataset as "<member or path tail> <class> <first pixel bytes>". */
async function images(ds: Dataset): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < ds.size; i++) {
    const image = await ds.readImage(i);
    out.push(
      `${image.file.split(/[/:]/).slice(-2).join('/')} ${ds.classNames[image.label]} ${Array.from(image.data.subarray(0, 3)).join(',')}`,
    );
  }
  return out;
}

describe('links inside tar archives are followed or refused, never dropped', () => {
  // A hidden store with a long path (over tar's 100-byte link field: GNU 'K' records, pax linkpath) that
  // the links point into, a hard link (tar stores the second name of a file as one), and symbolic links
  // within a class and across classes.
  const longDir = `.store/${'s'.repeat(70)}/${'t'.repeat(40)}`;
  let tree: string;
  beforeAll(async () => {
    tree = writeTree(path.join(temp.dir, 'links'), {
      'cat/1.png': await png(1),
      'dog/2.png': await png(2),
      [`${longDir}/3.png`]: await png(3),
    });
    linkSync(path.join(tree, 'cat/1.png'), path.join(tree, 'dog/hard.png'));
    symlinkSync('1.png', path.join(tree, 'cat/near.png'));
    symlinkSync(`../${longDir}/3.png`, path.join(tree, 'dog/far.png'));
  });

  it.each(['gnu', 'pax'] as const)(
    'a %s archive: hard and symbolic links read as the files they point to, as the unpacked folder does',
    async (format) => {
      const members = ['cat/1.png', 'dog/2.png', `${longDir}/3.png`, 'dog/hard.png', 'cat/near.png', 'dog/far.png'];
      const folder = await images(await openDataset(tree, quiet));
      expect(folder.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
        'cat/1.png cat',
        'cat/near.png cat',
        'dog/2.png dog',
        'dog/far.png dog',
        'dog/hard.png dog',
      ]);
      const pixels = folder.map((line) => line.split(' ')[2]);
      expect([pixels[1], pixels[4]]).toEqual([pixels[0], pixels[0]]); // near.png and hard.png are 1.png
      expect(new Set([pixels[0], pixels[2], pixels[3]]).size).toBe(3); // far.png is 3.png, in the hidden store
      const tar = path.join(temp.dir, `links-${format}.tar`);
      const gz = path.join(temp.dir, `links-${format}.tar.gz`);
      systemTar(tar, tree, members, { format });
      systemTar(gz, tree, members, { format, gzip: true });
      for (const [source, options] of [
        [tar, quiet],
        [gz, quiet],
        [tar, { ...quiet, memoryLimit: 1 }], // indexed in place: the links read the target's bytes at its offset
      ] as const) {
        const ds = await openDataset(source, options);
        expect(ds.classNames).toEqual(['cat', 'dog']);
        expect(await images(ds)).toEqual(folder);
      }
    },
  );

  it.each([
    ['an absolute path', '/etc/hostname', 'UNSAFE_ARCHIVE', 'which points outside the archive'],
    ['a path that climbs out', '../../outside.png', 'UNSAFE_ARCHIVE', 'which points outside the archive'],
    ['nothing', 'missing.png', 'BROKEN_ARCHIVE', 'but the archive holds no member "cat/missing.png"'],
    ['a directory', '../dog', 'BAD_LAYOUT', 'a directory; links to directories are not followed inside an archive'],
  ])('a symbolic link to %s fails naming the member and the archive', async (_what, target, code, why) => {
    const root = writeTree(path.join(temp.dir, `bad-${code}-${target.length}`), { 'cat/1.png': await png(4), 'dog/2.png': await png(5) });
    symlinkSync(target, path.join(root, 'cat/link.png'));
    const tar = path.join(temp.dir, `bad-${code}-${target.length}.tar`);
    const files = path.join(temp.dir, `bad-${code}-${target.length}-files.tar`); // no directory members
    systemTar(tar, root, ['cat', 'dog']);
    systemTar(files, root, ['cat/1.png', 'cat/link.png', 'dog/2.png']);
    for (const [archive, memoryLimit] of [
      [tar, 1e9],
      [tar, 1],
      [files, 1e9],
    ] as const) {
      const error = await failure(() => openDataset(archive, { ...quiet, memoryLimit }));
      expect(error.code).toBe(code);
      expect(error.file).toBe(`${archive}:cat/link.png`);
      expect(error.message).toContain(`${archive}: member "cat/link.png" is a symbolic link to ${JSON.stringify(target)}`);
      expect(error.message).toContain(why);
      expect(error.message).toContain('tar --dereference (-h)');
    }
  });

  it('symbolic links that go round in a loop fail naming the member', async () => {
    const root = writeTree(path.join(temp.dir, 'loop'), { 'cat/1.png': await png(6), 'dog/2.png': await png(7) });
    symlinkSync('b.png', path.join(root, 'cat/a.png'));
    symlinkSync('a.png', path.join(root, 'cat/b.png'));
    const tar = path.join(temp.dir, 'loop.tar');
    systemTar(tar, root, ['cat', 'dog']);
    const error = await failure(() => openDataset(tar, quiet));
    expect(error.code).toBe('BROKEN_ARCHIVE');
    expect(error.file).toBe(`${tar}:cat/a.png`);
    expect(error.message).toContain('following the links goes round in a loop (cat/b.png → cat/a.png → cat/b.png');
  });
});

describe('symbolic links in image folders', () => {
  it('a link back to a directory that holds it fails naming the link, instead of recursing without end', async () => {
    const root = writeTree(path.join(temp.dir, 'folderloop'), { 'cat/1.png': await png(8), 'dog/2.png': await png(9) });
    symlinkSync('..', path.join(root, 'cat/again'));
    const error = await failure(() => openDataset(root, quiet));
    expect(error.code).toBe('BAD_LAYOUT');
    expect(error.file).toBe(path.join(root, 'cat/again'));
    expect(error.message).toContain(
      `${path.join(root, 'cat/again')} is a symbolic link to ${realpathSync(root)}, a directory that holds the link`,
    );
    expect(error.message).toContain('remove the link');
  });

  it('a second path to a directory already read fails naming the link; a link to a directory outside the folder is read', async () => {
    const outside = writeTree(path.join(temp.dir, 'elsewhere'), { 'bird/3.png': await png(10) });
    const root = writeTree(path.join(temp.dir, 'folderdup'), { 'cat/1.png': await png(11), 'dog/2.png': await png(12) });
    symlinkSync(path.join(outside, 'bird'), path.join(root, 'bird'));
    const ds = await openDataset(root, quiet);
    expect(ds.classNames).toEqual(['bird', 'cat', 'dog']);
    expect(ds.size).toBe(3);
    symlinkSync(path.join(root, 'cat'), path.join(root, 'kitten'));
    const error = await failure(() => openDataset(root, quiet));
    expect(error.code).toBe('BAD_LAYOUT');
    expect(error.file).toBe(path.join(root, 'kitten'));
    expect(error.message).toContain(
      `${path.join(root, 'kitten')} is a symbolic link to ${realpathSync(path.join(root, 'cat'))}, which was already read as ${path.join(root, 'cat')}`,
    );
    expect(error.message).toContain('its images would be read twice');
  });
});
