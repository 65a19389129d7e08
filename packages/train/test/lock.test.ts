import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLock, LOCK_REFRESH_MS, OTHER_HOST_STALE_MS } from '../src/io/lock';
import { temporaryDirectoryEachTest } from './fixtures/temp-dir';

const dir = temporaryDirectoryEachTest('fixclf-lock-');

/** Sets `file`'s times `ms` into the past, as a lock last refreshed then. */
const aged = async (file: string, ms: number) => {
  const then = new Date(Date.now() - ms);
  await fs.utimes(file, then, then);
};

describe('a lock naming this very process', () => {
  it('is taken over when this process does not hold it (an earlier process with the same pid: a restarted container)', async () => {
    const file = path.join(dir(), '.fixclf.lock');
    await fs.writeFile(file, JSON.stringify({ pid: process.pid, hostname: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const lines: string[] = [];
    const lock = await acquireLock(file, 'run directory x', (line) => lines.push(line));
    expect(lines).toEqual([
      `fixclf: taking over the lock of run directory x left by pid ${process.pid} (since 2026-01-01T00:00:00.000Z), which is no longer running.`,
    ]);
    expect(JSON.parse(await fs.readFile(file, 'utf8')).startedAt).toBe(lock.owner.startedAt);

    // Held here: a second acquisition in the same process is refused, not a takeover.
    await expect(acquireLock(file, 'run directory x', () => {})).rejects.toThrow(/run directory x is in use by another fixclf process/);
    lock.release();
    await expect(fs.access(file)).rejects.toThrow();
  });
});

describe("another host's lock (a shared file system)", () => {
  const otherHost = { pid: 4242, hostname: `not-${os.hostname()}`, startedAt: '2026-01-01T00:00:00.000Z' };

  it('is taken over once not refreshed for OTHER_HOST_STALE_MS (a rescheduled job), with a line naming the host and the silence', async () => {
    const file = path.join(dir(), '.fixclf.lock');
    await fs.writeFile(file, JSON.stringify(otherHost));
    await aged(file, OTHER_HOST_STALE_MS + 2 * 60_000);
    const lines: string[] = [];
    const lock = await acquireLock(file, 'run directory x', (line) => lines.push(line));
    expect(OTHER_HOST_STALE_MS).toBe(10 * 60_000);
    expect(lines).toEqual([
      `fixclf: taking over the lock of run directory x left by pid 4242 on ${otherHost.hostname} (since 2026-01-01T00:00:00.000Z), not refreshed for 12 min.`,
    ]);
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(lock.owner);
    lock.release();
  });

  it('is refused while refreshed lately, saying when it was refreshed and when it would be taken over', async () => {
    const file = path.join(dir(), '.fixclf.lock');
    await fs.writeFile(file, JSON.stringify(otherHost));
    await aged(file, OTHER_HOST_STALE_MS - 60_000);
    await expect(acquireLock(file, 'run directory x', () => {})).rejects.toThrow(
      `run directory x is in use by another fixclf process (pid 4242 on ${otherHost.hostname}, since 2026-01-01T00:00:00.000Z; lock ${file}). ` +
        'Wait for it to finish or stop it (it runs on another host, which refreshed the lock 9 min ago; it is taken over once silent for 10 min); ' +
        `if no such process is running any more, delete ${file}.`,
    );
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(otherHost);
  });
});

describe('a held lock', () => {
  afterEach(() => jest.useRealTimers());

  it('is refreshed every LOCK_REFRESH_MS, so other hosts see its process alive; not after release', async () => {
    const file = path.join(dir(), '.fixclf.lock');
    jest.useFakeTimers({ doNotFake: ['Date'] }); // the timers only: file times are real
    const lock = await acquireLock(file, 'run directory x', () => {});
    try {
      await aged(file, 5 * 60_000);
      jest.advanceTimersByTime(LOCK_REFRESH_MS - 1);
      expect(Date.now() - (await fs.stat(file)).mtimeMs).toBeGreaterThan(4 * 60_000);
      jest.advanceTimersByTime(1);
      expect(Date.now() - (await fs.stat(file)).mtimeMs).toBeLessThan(10_000);
    } finally {
      lock.release();
    }
    expect(jest.getTimerCount()).toBe(0); // the refresh stopped with the lock
  });

  it('says once when it cannot be refreshed (anything but its removal), since another host may then take it over', async () => {
    const file = path.join(dir(), '.fixclf.lock');
    const lines: string[] = [];
    jest.useFakeTimers({ doNotFake: ['Date'] });
    const lock = await acquireLock(file, 'run directory x', (line) => lines.push(line));
    try {
      // A directory where the lock file was: reading it fails with EISDIR, as a mount refusing access would.
      await fs.rm(file);
      await fs.mkdir(file);
      jest.advanceTimersByTime(3 * LOCK_REFRESH_MS);
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            `^fixclf: cannot refresh the lock ${file} \\(EISDIR.*\\); a process on another host may take it over once it is 10 minutes old\\.$`,
          ),
        ),
      ]);
    } finally {
      lock.release();
      await fs.rmdir(file);
    }
  });
});
