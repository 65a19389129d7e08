import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataCacheDir, ensureCifar, openDataset, progressBar, type DownloadProgress } from '../src/index';
import { withLock } from '../src/download';
import { downloadFile } from '../src/internals';
import { mulberry32 } from '../src/random';
import { writeCifarDirectory } from '../src/sources/cifar-writer';
import { TestServer } from './support/http-server';
import { systemTar } from './support/tar';
import { failure } from './support/failure';
import { temporaryDirectory } from './support/temp';

const temp = temporaryDirectory();
const server = new TestServer();
let base: string;
const random = mulberry32(21);
const body = Buffer.from(Array.from({ length: 300_000 }, () => Math.floor(random() * 256)));
const md5 = createHash('md5').update(body).digest('hex');

beforeAll(async () => {
  base = await server.start();
});
afterAll(async () => {
  await server.stop();
  temp.cleanup();
});

/** Resolves once `condition` holds (polled every 5 ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function requestsFor(file: string) {
  return server.requests.filter((r) => r.path === file);
}

describe('downloadFile', () => {
  it('downloads with progress, checks size and MD5, and renames into place', async () => {
    server.files.set('/whole.bin', { body });
    const destination = path.join(temp.dir, 'whole', 'file.bin');
    const progress: DownloadProgress[] = [];
    await downloadFile({ url: `${base}/whole.bin`, destination, md5, size: body.length, onProgress: (p) => progress.push(p) });
    expect(readFileSync(destination).equals(body)).toBe(true);
    expect(existsSync(`${destination}.part`)).toBe(false);
    expect(progress.at(-1)).toEqual({ received: body.length, total: body.length });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.received).toBeGreaterThanOrEqual(progress[i - 1]!.received);
  });

  it('the progress bar prints one line per 10 % when stderr is not a terminal, and redraws in place when it is', () => {
    const lines: string[] = [];
    const log = { isTTY: false, write: (text: string) => lines.push(text) }; // any stream with write(): no cast
    const bar = progressBar('cifar10', log);
    for (let received = 0; received <= 1_000_000; received += 50_000) bar({ received, total: 1_000_000 });
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['0%', '10%', '20%', '30%', '40%', '50%', '60%', '70%', '80%', '90%', '100%']);
    expect(lines.at(-1)).toMatch(/^cifar10 100% \(1\.0\/1\.0 MB, [\d.]+ MB\/s\)\n$/);
    const drawn: string[] = [];
    const tty = { isTTY: true, write: (text: string) => drawn.push(text) };
    progressBar('cifar10', tty)({ received: 1_000_000, total: 1_000_000 });
    expect(drawn[0]).toMatch(/^\rcifar10 \[#{30}\] 100% 1\.0\/1\.0 MB .*\n$/);
  });

  it('an interrupted download leaves a .part that the next call resumes with a Range request', async () => {
    server.files.set('/cut.bin', { body, cutFirstResponseAt: 100_000 });
    const destination = path.join(temp.dir, 'cut.bin');
    const error = await failure(() => downloadFile({ url: `${base}/cut.bin`, destination, md5 }));
    expect(error.code).toBe('DOWNLOAD');
    expect(readFileSync(`${destination}.part`).length).toBe(100_000);
    await downloadFile({ url: `${base}/cut.bin`, destination, md5 });
    expect(readFileSync(destination).equals(body)).toBe(true);
    expect(requestsFor('/cut.bin').map((r) => r.range)).toEqual([undefined, 'bytes=100000-']);
  });

  it('a bad partial file (resumed bytes fail the MD5) restarts from zero once', async () => {
    server.files.set('/badpart.bin', { body });
    const destination = path.join(temp.dir, 'badpart.bin');
    writeFileSync(`${destination}.part`, Buffer.alloc(50_000, 0xee));
    await downloadFile({ url: `${base}/badpart.bin`, destination, md5 });
    expect(readFileSync(destination).equals(body)).toBe(true);
    expect(requestsFor('/badpart.bin').map((r) => r.range)).toEqual(['bytes=50000-', undefined]);
  });

  it('a partial file longer than the remote one (416) and a server ignoring ranges both restart cleanly', async () => {
    server.files.set('/long.bin', { body });
    const long = path.join(temp.dir, 'long.bin');
    writeFileSync(`${long}.part`, Buffer.alloc(body.length + 10));
    await downloadFile({ url: `${base}/long.bin`, destination: long, md5 });
    expect(readFileSync(long).equals(body)).toBe(true);
    server.files.set('/norange.bin', { body, ignoreRange: true });
    const norange = path.join(temp.dir, 'norange.bin');
    writeFileSync(`${norange}.part`, body.subarray(0, 1000));
    await downloadFile({ url: `${base}/norange.bin`, destination: norange, md5 });
    expect(readFileSync(norange).equals(body)).toBe(true);
  });

  it('two downloads into one destination at once take turns: both end with the file, fetched once', async () => {
    server.files.set('/slow.bin', { body, chunkDelayMs: 10 });
    const destination = path.join(temp.dir, 'slow', 'file.bin');
    const options = { url: `${base}/slow.bin`, destination, md5, size: body.length };
    const first = downloadFile(options);
    await until(() => existsSync(`${destination}.part`)); // the first one is writing
    const second = downloadFile(options);
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    expect(readFileSync(destination).equals(body)).toBe(true);
    expect(requestsFor('/slow.bin').map((r) => r.range)).toEqual([undefined]);
    expect(readdirSync(path.dirname(destination))).toEqual(['file.bin']); // no .part, no lock left
  });

  /** `work` settled within `ms`, or 'waiting'. */
  async function within<T>(ms: number, work: Promise<T>): Promise<T | 'waiting'> {
    let timer: NodeJS.Timeout | undefined;
    const waiting = new Promise<'waiting'>((resolve) => (timer = setTimeout(() => resolve('waiting'), ms)));
    try {
      return await Promise.race([work, waiting]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('a lock left by a dead process, or by an earlier process with this pid (a restarted container), is taken over', async () => {
    server.files.set('/locked.bin', { body });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    for (const pid of [deadPid, process.pid]) {
      const destination = path.join(temp.dir, `left-by-${pid === process.pid ? 'self' : 'dead'}`, 'file.bin');
      mkdirSync(path.dirname(destination), { recursive: true });
      writeFileSync(`${destination}.lock`, `${os.hostname()} ${pid}\n`); // the form before the uuid: still read
      const download = downloadFile({ url: `${base}/locked.bin`, destination, md5, size: body.length });
      await expect(within(5_000, download)).resolves.toBeUndefined();
      expect(readdirSync(path.dirname(destination))).toEqual(['file.bin']);
    }
  });

  it("another host's lock is waited on while it is refreshed and taken over once silent for a minute", async () => {
    const lock = path.join(temp.dir, 'shared-cache', '.cifar.lock');
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, 'another-host 4242 0f0f\n');
    const held = withLock(lock, async (waited) => ({ waited, owner: readFileSync(lock, 'utf8') }));
    expect(await within(400, held)).toBe('waiting');
    const silent = new Date(Date.now() - 61_000);
    utimesSync(lock, silent, silent);
    const got = await within(2_000, held);
    expect(got).toEqual({ waited: true, owner: expect.stringMatching(new RegExp(`^${os.hostname()} ${process.pid} [0-9a-f-]{36}\n$`)) });
    expect(readdirSync(path.dirname(lock))).toEqual([]); // released, nothing left aside
  });

  it('calls in one process take turns too, and a holder never removes a lock taken over from it', async () => {
    const lock = path.join(temp.dir, 'one-process', '.lock');
    let inside = 0;
    let most = 0;
    const work = async (): Promise<void> => {
      most = Math.max(most, ++inside);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inside--;
    };
    await Promise.all([withLock(lock, work), withLock(lock, work), withLock(lock, work)]);
    expect(most).toBe(1);
    await withLock(lock, async () => writeFileSync(lock, 'another-host 7 feed\n')); // taken over meanwhile
    expect(readFileSync(lock, 'utf8')).toBe('another-host 7 feed\n');
  });

  it('a wrong MD5, a wrong size and an HTTP error fail, leaving no file behind', async () => {
    server.files.set('/x.bin', { body });
    const destination = path.join(temp.dir, 'x.bin');
    const checksum = await failure(() => downloadFile({ url: `${base}/x.bin`, destination, md5: '0'.repeat(32) }));
    expect(checksum.code).toBe('CHECKSUM');
    expect(checksum.message).toContain(`MD5 ${md5} does not match`);
    expect(existsSync(destination) || existsSync(`${destination}.part`)).toBe(false);
    const size = await failure(() => downloadFile({ url: `${base}/x.bin`, destination, size: 5 }));
    expect(size.message).toContain(`is ${body.length} bytes; expected 5`);
    const missing = await failure(() => downloadFile({ url: `${base}/nothing.bin`, destination }));
    expect(missing.message).toContain('answered HTTP 404');
  });
});

describe('CIFAR download into the cache', () => {
  let archive: Buffer;
  let labels: number[];
  beforeAll(() => {
    const r = mulberry32(5);
    labels = Array.from({ length: 20 }, () => Math.floor(r() * 10));
    const images = Uint8Array.from({ length: 20 * 3072 }, () => Math.floor(r() * 256));
    const stage = path.join(temp.dir, 'stage');
    writeCifarDirectory(path.join(stage, 'cifar-10-batches-bin'), 'cifar10', {
      train: { images, labels },
      test: { images: images.subarray(0, 5 * 3072), labels: labels.slice(0, 5) },
    });
    const file = path.join(temp.dir, 'cifar-10-binary.tar.gz');
    systemTar(file, stage, ['cifar-10-batches-bin'], { gzip: true });
    archive = readFileSync(file);
    server.files.set('/cifar-10-binary.tar.gz', { body: archive });
  });

  it('openDataset("cifar10") downloads, verifies, extracts atomically, then uses the cache without the network', async () => {
    const cacheDir = path.join(temp.dir, 'cache');
    const archiveMd5 = createHash('md5').update(archive).digest('hex');
    const seen: DownloadProgress[] = [];
    const options = {
      cacheDir,
      download: { url: `${base}/cifar-10-binary.tar.gz`, md5: archiveMd5 },
      checkOfficialSizes: false,
      progress: (p: DownloadProgress) => seen.push(p),
    };
    const ds = await openDataset('cifar10', options);
    expect(ds.size).toBe(20);
    expect(Array.from(ds.labels)).toEqual(labels);
    expect(seen.at(-1)).toEqual({ received: archive.length, total: archive.length });
    expect(readdirSync(cacheDir).sort()).toEqual(['cifar-10-batches-bin', 'cifar-10-binary.tar.gz']);
    const before = requestsFor('/cifar-10-binary.tar.gz').length;
    const again = await openDataset('cifar10', { ...options, split: 'test' });
    expect(again.size).toBe(5);
    expect(requestsFor('/cifar-10-binary.tar.gz').length).toBe(before);
  });

  it('two jobs opening cifar10 into one empty cache at once both get the dataset', async () => {
    server.files.set('/slow-cifar.tar.gz', { body: archive, chunkDelayMs: 20 });
    const cacheDir = path.join(temp.dir, 'shared-cache');
    const options = {
      cacheDir,
      download: { url: `${base}/slow-cifar.tar.gz`, md5: createHash('md5').update(archive).digest('hex') },
      checkOfficialSizes: false,
      progress: false,
    };
    const first = openDataset('cifar10', options);
    await until(() => existsSync(path.join(cacheDir, 'cifar-10-binary.tar.gz.part')));
    const second = openDataset('cifar10', { ...options, split: 'test' });
    const [a, b] = await Promise.all([first, second]);
    expect([a.size, b.size]).toEqual([20, 5]);
    expect(Array.from(a.labels)).toEqual(labels);
    expect(requestsFor('/slow-cifar.tar.gz')).toHaveLength(1);
    expect(readdirSync(cacheDir).sort()).toEqual(['cifar-10-batches-bin', 'cifar-10-binary.tar.gz']);
  });

  it('an archive placed by hand is checked and unpacked; a corrupt one is named', async () => {
    const cacheDir = path.join(temp.dir, 'manual');
    mkdirSync(cacheDir);
    writeFileSync(path.join(cacheDir, 'cifar-10-binary.tar.gz'), archive);
    const md5Of = createHash('md5').update(archive).digest('hex');
    expect(await ensureCifar('cifar10', { cacheDir, download: { url: 'http://127.0.0.1:9/never', md5: md5Of } })).toBe(
      path.join(cacheDir, 'cifar-10-batches-bin'),
    );
    const corrupt = path.join(temp.dir, 'manual-bad');
    mkdirSync(corrupt);
    writeFileSync(path.join(corrupt, 'cifar-10-binary.tar.gz'), archive.subarray(0, 1000));
    const error = await failure(() => ensureCifar('cifar10', { cacheDir: corrupt }));
    expect(error.code).toBe('CHECKSUM');
    expect(error.file).toBe(path.join(corrupt, 'cifar-10-binary.tar.gz'));
  });

  it('offline: one clear error saying where to put the files', async () => {
    const cacheDir = path.join(temp.dir, 'offline');
    // Port 9 (discard) on the loopback: nothing listens, the connection is refused.
    const error = await failure(() =>
      openDataset('cifar10', { cacheDir, download: { url: 'http://127.0.0.1:9/cifar-10-binary.tar.gz' }, progress: false }),
    );
    expect(error.code).toBe('OFFLINE');
    expect(error.message).toContain(`could not be downloaded`);
    expect(error.message).toContain(
      `Put cifar-10-binary.tar.gz (from https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, md5 c32a1d4ab5d03f1284b67883e8d87530) at ${path.join(cacheDir, 'cifar-10-binary.tar.gz')}`,
    );
    expect(error.message).toContain(path.join(cacheDir, 'cifar-10-batches-bin', 'data_batch_1.bin'));
    expect(error.message).toContain('FIXCLF_DATA');
    const off = await failure(() => openDataset('cifar100', { cacheDir, download: false }));
    expect(off.message).toContain('downloading is off');
    expect(off.message).toContain('cifar-100-binary.tar.gz');
  });

  it('the downloaded archive can also be opened directly, without unpacking', async () => {
    const file = path.join(temp.dir, 'direct.tar.gz');
    writeFileSync(file, archive);
    const ds = await openDataset(file, { checkOfficialSizes: false, split: 'test' });
    expect(ds.size).toBe(5);
    expect(Array.from(ds.labels)).toEqual(labels.slice(0, 5));
  });

  it('the cache directory is FIXCLF_DATA, else XDG_CACHE_HOME/fixclf, else ~/.cache/fixclf', () => {
    expect(dataCacheDir({ FIXCLF_DATA: '/data/x' })).toBe('/data/x');
    expect(dataCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/fixclf');
    expect(dataCacheDir({})).toMatch(/\.cache\/fixclf$/);
  });
});
