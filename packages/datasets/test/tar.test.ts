import { closeSync, linkSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DatasetError } from '../src/errors';
import { mulberry32 } from '../src/random';
import type { TarEntry } from '../src/sources/tar-parser';
import { indexTar, readTar } from '../src/sources/tar-reader';
import { systemTar } from './support/tar';
import { temporaryDirectory } from './support/temp';

const temp = temporaryDirectory();
afterAll(temp.cleanup);

// A tree with a long path (> 100 bytes: GNU 'L' records, pax 'path' records, ustar prefix), an empty file,
// sizes on and off the 512-byte grid, and a UTF-8 name.
const longDir = `deep/${'d'.repeat(60)}/${'e'.repeat(50)}`;
const files: Record<string, Buffer> = {
  'a.bin': Buffer.from('hello'),
  'empty.bin': Buffer.alloc(0),
  'grid.bin': Buffer.alloc(1024, 7),
  'café/naïve.txt': Buffer.from('unicode'),
  [`${longDir}/${'f'.repeat(40)}.bin`]: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) & 255)),
};
const tree = path.join(temp.dir, 'tree');
for (const [name, bytes] of Object.entries(files)) {
  mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
  writeFileSync(path.join(tree, name), bytes);
}

async function membersOf(archive: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  await readTar(archive, (entry, data) => {
    if (entry.kind === 'file') out[entry.name] = Buffer.from(data!);
  });
  return out;
}

describe('tar reading', () => {
  it.each([
    ['gnu', false],
    ['pax', false],
    ['ustar', false],
    ['gnu', true],
    ['pax', true],
  ] as const)('reads every file of a %s archive (gzip: %s) written by the system tar', async (format, gzip) => {
    const archive = path.join(temp.dir, `t-${format}-${gzip}.tar${gzip ? '.gz' : ''}`);
    systemTar(archive, tree, Object.keys(files), { format, gzip });
    expect(await membersOf(archive)).toEqual(files);
  });

  it.each(['gnu', 'pax', 'ustar'] as const)('indexes an uncompressed %s archive in place: offsets point at the bytes', (format) => {
    const archive = path.join(temp.dir, `i-${format}.tar`);
    systemTar(archive, tree, ['.'], { format });
    const whole = readFileSync(archive);
    const entries = indexTar(archive).filter((e) => e.kind === 'file');
    expect(entries.map((e) => e.name).sort()).toEqual(Object.keys(files).sort());
    for (const entry of entries) expect(whole.subarray(entry.offset, entry.offset + entry.size)).toEqual(files[entry.name]);
  });

  it.each(['gnu', 'pax'] as const)(
    'reports the hard and symbolic links of a %s archive with their targets, long ones too',
    async (format) => {
      const links = path.join(temp.dir, `links-${format}`);
      const long = `${longDir}/${'f'.repeat(40)}.bin`;
      mkdirSync(links);
      writeFileSync(path.join(links, 'a.bin'), 'hello');
      linkSync(path.join(links, 'a.bin'), path.join(links, 'hard.bin'));
      symlinkSync(long, path.join(links, 'soft.bin'));
      const archive = path.join(temp.dir, `links-${format}.tar`);
      systemTar(archive, links, ['a.bin', 'hard.bin', 'soft.bin'], { format });
      const read: TarEntry[] = [];
      await readTar(archive, (entry) => read.push(entry));
      for (const entries of [read, indexTar(archive)]) {
        expect(entries.map(({ name, kind, linkName }) => ({ name, kind, linkName }))).toEqual([
          { name: 'a.bin', kind: 'file', linkName: undefined },
          { name: 'hard.bin', kind: 'hardlink', linkName: 'a.bin' },
          { name: 'soft.bin', kind: 'symlink', linkName: long },
        ]);
      }
    },
  );

  it.each(['gnu', 'pax'] as const)('refuses a sparse member of a %s archive, naming it, rather than drop or misread it', async (format) => {
    const dir = path.join(temp.dir, `sparse-${format}`);
    mkdirSync(path.join(dir, 'cat'), { recursive: true });
    writeFileSync(path.join(dir, 'cat', 'plain.bin'), 'hello');
    // A 1 MiB file that is all hole but for its first and last bytes: tar --sparse stores it sparse.
    const holey = openSync(path.join(dir, 'cat', 'holey.bin'), 'w');
    writeSync(holey, 'start', 0);
    writeSync(holey, 'end', 1 << 20);
    closeSync(holey);
    const archive = path.join(temp.dir, `sparse-${format}.tar`);
    systemTar(archive, dir, ['cat'], { format, sparse: true });
    // The archive really holds a sparse member (else this test would prove nothing).
    const raw = readFileSync(archive).toString('latin1');
    const header = raw.indexOf('cat/holey.bin\0');
    expect(format === 'gnu' ? header % 512 === 0 && raw[header + 156] === 'S' : raw.includes('GNU.sparse.')).toBe(true);
    const message = /member "cat\/holey\.bin" is stored as a sparse file.*without --sparse/;
    await expect(membersOf(archive)).rejects.toThrow(message);
    expect(() => indexTar(archive)).toThrow(message);
    // Without --sparse the same tree reads whole.
    systemTar(archive, dir, ['cat'], { format });
    expect((await membersOf(archive))['cat/holey.bin']!.length).toBe((1 << 20) + 3);
  });

  it('reports directories and strips ./ and trailing slashes', async () => {
    const archive = path.join(temp.dir, 'dirs.tar');
    systemTar(archive, tree, ['.']);
    const dirs: string[] = [];
    await readTar(archive, (entry) => {
      if (entry.kind === 'directory') dirs.push(entry.name);
    });
    expect(dirs).toEqual(expect.arrayContaining(['', 'deep', 'café']));
  });

  it('delivers the same members whatever the chunking of the stream', async () => {
    const archive = path.join(temp.dir, 'chunks.tar');
    systemTar(archive, tree, Object.keys(files));
    const { TarParser } = await import('../src/sources/tar-parser');
    const bytes = readFileSync(archive);
    const random = mulberry32(4);
    const got: Record<string, Buffer> = {};
    const parser = new TarParser(
      archive,
      (e, d) => (got[e.name] = Buffer.from(d!)),
      () => true,
    );
    for (let pos = 0; pos < bytes.length;) {
      const step = 1 + Math.floor(random() * 700);
      parser.push(bytes.subarray(pos, pos + step));
      pos += step;
    }
    parser.finish();
    expect(got).toEqual(files);
  });

  it('an archive cut exactly at a member boundary (no end blocks) reads its members, as GNU tar and tarfile do', async () => {
    const dir = path.join(temp.dir, 'boundary');
    const small = { 'a.bin': 'A', 'b.bin': 'BB', 'c.bin': 'CCC' };
    for (const [name, text] of Object.entries(small)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const tar = path.join(temp.dir, 'boundary.tar');
    systemTar(tar, dir, Object.keys(small), { format: 'ustar' });
    // ustar: each member is a header block and a data block, so the third one ends at byte 3072.
    const cut = path.join(temp.dir, 'boundary-cut.tar');
    writeFileSync(cut, readFileSync(tar).subarray(0, 3072));
    const expected = Object.fromEntries(Object.entries(small).map(([name, text]) => [name, Buffer.from(text)]));
    expect(await membersOf(cut)).toEqual(expected);
    expect(indexTar(cut).map((e) => e.name)).toEqual(Object.keys(small));
  });

  it('a truncated .tar.gz, a cut-off .tar, corrupt gzip data and a non-archive fail, naming the archive', async () => {
    const gz = path.join(temp.dir, 'whole.tar.gz');
    systemTar(gz, tree, Object.keys(files), { gzip: true });
    const bytes = readFileSync(gz);
    const cut = path.join(temp.dir, 'cut.tar.gz');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(membersOf(cut)).rejects.toThrow(new RegExp(`${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is corrupt or truncated`));

    const tar = path.join(temp.dir, 'whole.tar');
    systemTar(tar, tree, Object.keys(files));
    const cutTar = path.join(temp.dir, 'cut.tar');
    writeFileSync(cutTar, readFileSync(tar).subarray(0, 2048 + 100));
    await expect(membersOf(cutTar)).rejects.toThrow(/cut\.tar is truncated/);
    expect(() => indexTar(cutTar)).toThrow(/cut\.tar is truncated/);

    // Cut inside a header: the in-place index fails as the stream parser does, rather than lose the member.
    const midHeader = path.join(temp.dir, 'mid-header.tar');
    writeFileSync(midHeader, readFileSync(tar).subarray(0, 4096 + 100));
    const message = `${midHeader} is truncated: it ends inside a header (at byte 4096)`;
    await expect(membersOf(midHeader)).rejects.toThrow(message);
    expect(() => indexTar(midHeader)).toThrow(expect.objectContaining({ code: 'BROKEN_ARCHIVE', message }));

    const garbled = Buffer.from(bytes);
    for (let i = 100; i < 400; i++) garbled[i] = (garbled[i]! * 7 + 13) & 255;
    const bad = path.join(temp.dir, 'garbled.tar.gz');
    writeFileSync(bad, garbled);
    await expect(membersOf(bad)).rejects.toThrow(DatasetError);

    const text = path.join(temp.dir, 'not-a-tar.tar.gz');
    writeFileSync(text, gzipSync(Buffer.alloc(2048, 'x')));
    await expect(membersOf(text)).rejects.toThrow(/not-a-tar\.tar\.gz is not a valid tar archive: bad header checksum/);
  });
});
