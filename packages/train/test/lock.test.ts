import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLock } from '../src/io/lock';
import { temporaryDirectoryEachTest } from './fixtures/temp-dir';

const dir = temporaryDirectoryEachTest('fixclf-lock-');

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
