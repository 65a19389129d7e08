import { createHash, randomUUID } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatasetError, describeCause } from './errors';
import type { ProgressListener } from './progress';

export interface DownloadOptions {
  readonly url: string;
  /** The final path; bytes arrive in `${destination}.part` and are renamed once verified. */
  readonly destination: string;
  /** Expected MD5 (hex); a mismatch deletes the file. */
  readonly md5?: string | undefined;
  /** Expected size in bytes. */
  readonly size?: number | undefined;
  readonly onProgress?: ProgressListener | undefined;
  /** Give up when no byte arrives for this long (default 60 s). */
  readonly idleTimeoutMs?: number | undefined;
}

export function md5OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Parses "bytes start-end/total". */
function parseContentRange(header: string | null): { start: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

/** One HTTP attempt: appends to (or restarts) the .part file. Returns whether it resumed. */
async function fetchInto(options: DownloadOptions, part: string): Promise<{ resumed: boolean }> {
  let start = sizeOf(part);
  const controller = new AbortController();
  const idleMs = options.idleTimeoutMs ?? 60_000;
  let timer = setTimeout(() => controller.abort(), idleMs);
  const touch = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), idleMs);
  };
  try {
    let response = await fetch(options.url, {
      headers: start > 0 ? { Range: `bytes=${start}-` } : {},
      signal: controller.signal,
      redirect: 'follow',
    });
    if (response.status === 416 && start > 0) {
      // The partial file is not a prefix the server recognises (too long, or the file changed): start over.
      await response.body?.cancel();
      rmSync(part, { force: true });
      start = 0;
      response = await fetch(options.url, { signal: controller.signal, redirect: 'follow' });
    }
    let total: number | undefined;
    let resumed = false;
    if (response.status === 206 && start > 0) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (range === undefined || range.start !== start) {
        await response.body?.cancel();
        rmSync(part, { force: true });
        return fetchInto(options, part);
      }
      total = range.total;
      resumed = true;
    } else if (response.status === 200) {
      start = 0; // the server ignored the range: the body is the whole file
      const length = response.headers.get('content-length');
      total = length === null ? undefined : Number(length);
    } else {
      await response.body?.cancel();
      throw new DatasetError('DOWNLOAD', `${options.url} answered HTTP ${response.status} ${response.statusText}`, { file: options.url });
    }
    if (total !== undefined && options.size !== undefined && total !== options.size) {
      await response.body?.cancel();
      throw new DatasetError('DOWNLOAD', `${options.url} is ${total} bytes; expected ${options.size}`, { file: options.url });
    }
    if (response.body === null) throw new DatasetError('DOWNLOAD', `${options.url} sent no body`, { file: options.url });
    let received = start;
    options.onProgress?.({ received, total });
    // Each chunk is written before the next is read, so when the connection drops every byte received
    // is already in the .part file for the next call to resume from (a stream pipeline would discard
    // its buffered writes on error).
    const file = await open(part, start > 0 ? 'a' : 'w');
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        await file.write(chunk);
        received += chunk.length;
        options.onProgress?.({ received, total });
      }
    } finally {
      await file.close();
    }
    const expected = total ?? options.size;
    if (expected !== undefined && received !== expected) {
      throw new DatasetError(
        'DOWNLOAD',
        `the download of ${options.url} stopped after ${received} of ${expected} bytes; run again to resume`,
        { file: options.url },
      );
    }
    return { resumed };
  } finally {
    clearTimeout(timer);
  }
}

/** How often a waiter looks at a lock; how often its holder shows it is alive; how long a silent lock lives. */
const LOCK_POLL_MS = 100;
const LOCK_REFRESH_MS = 5_000;
const LOCK_STALE_MS = 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The locks this process holds (resolved paths): calls in one process take turns too. */
const heldHere = new Set<string>();

/**
 * The text of `lock` if it was left by a process that is gone, else null: dead on this host; on
 * another host (a shared cache), not refreshed for LOCK_STALE_MS. A lock naming this very process
 * that no call of it holds was left by an earlier process with the same pid: a container restarted
 * after a kill mid-download is pid 1 again, and without this check would wait on itself forever.
 */
function staleLock(lock: string): string | null {
  let modified: number;
  let owner: string;
  try {
    modified = statSync(lock).mtimeMs;
    owner = readFileSync(lock, 'utf8');
  } catch {
    return null; // just released: the next try takes it
  }
  const [host, pid] = owner.trim().split(' ');
  // On this host the process itself says: a holder busy in synchronous work (an extraction) cannot refresh.
  if (host === os.hostname() && Number(pid) > 0) {
    const gone = Number(pid) === process.pid ? !heldHere.has(path.resolve(lock)) : !processAlive(Number(pid));
    return gone ? owner : null;
  }
  return Date.now() - modified > LOCK_STALE_MS ? owner : null;
}

/**
 * Removes the stale lock whose text is `owner`. It is moved aside first and checked: between our look
 * and the removal another waiter may have removed it and taken a fresh one, which is put back.
 */
function removeStaleLock(lock: string, owner: string): void {
  const aside = `${lock}.stale-${process.pid}-${randomUUID()}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // already gone
  }
  if (readFileSync(aside, 'utf8') !== owner) {
    try {
      linkSync(aside, lock);
    } catch {
      // a third waiter took the free name meanwhile: it holds the lock now
    }
  }
  rmSync(aside, { force: true });
}

/**
 * Runs `work` holding `lock`, a file created exclusively ('wx'): jobs sharing a cache directory (several
 * processes, or several calls in one) take turns instead of writing one .part file or one directory at
 * once. A waiter polls until the lock is released or stale; `work` learns whether it waited, so it can
 * look for what the previous holder finished.
 */
export async function withLock<T>(lock: string, work: (waited: boolean) => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lock), { recursive: true });
  // The uuid tells this holder from an earlier one with the same host and pid (see removeStaleLock).
  const text = `${os.hostname()} ${process.pid} ${randomUUID()}\n`;
  let waited = false;
  for (;;) {
    try {
      writeFileSync(lock, text, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    waited = true;
    const stale = staleLock(lock);
    if (stale !== null) removeStaleLock(lock, stale);
    else await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  heldHere.add(path.resolve(lock));
  const refresh = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(lock, now, now);
    } catch {
      // removed from outside: nothing to keep alive
    }
  }, LOCK_REFRESH_MS);
  refresh.unref();
  try {
    return await work(waited);
  } finally {
    clearInterval(refresh);
    heldHere.delete(path.resolve(lock));
    try {
      // Never remove a lock that is not ours any more (taken over while this process looked gone).
      if (readFileSync(lock, 'utf8') === text) rmSync(lock, { force: true });
    } catch {
      // already gone
    }
  }
}

/**
 * Downloads `url` to `destination` with HTTP range resumption: an interrupted download leaves
 * `destination.part`, and the next call continues it. Size and MD5 are checked before the atomic rename;
 * if a resumed file fails the check, the partial bytes were bad, and the download restarts once from zero.
 * Concurrent calls for one destination take turns (`destination.lock`); one that waited for another to
 * finish the file returns without downloading it again.
 */
export async function downloadFile(options: DownloadOptions): Promise<void> {
  await withLock(`${options.destination}.lock`, async (waited) => {
    if (waited && existsSync(options.destination)) return;
    await downloadUnlocked(options);
  });
}

async function downloadUnlocked(options: DownloadOptions): Promise<void> {
  const part = `${options.destination}.part`;
  mkdirSync(path.dirname(options.destination), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    let resumed: boolean;
    try {
      ({ resumed } = await fetchInto(options, part));
    } catch (cause) {
      if (cause instanceof DatasetError) throw cause;
      const reason = controllerAborted(cause) ? `no data for ${(options.idleTimeoutMs ?? 60_000) / 1000} s` : describeCause(cause);
      throw new DatasetError(
        'DOWNLOAD',
        `could not download ${options.url}: ${reason}${innerCause(cause) === undefined ? '' : ` (${describeCause(innerCause(cause))})`}`,
        { file: options.url, cause },
      );
    }
    if (options.md5 !== undefined) {
      const actual = await md5OfFile(part);
      if (actual !== options.md5.toLowerCase()) {
        rmSync(part, { force: true });
        if (resumed && attempt === 0) continue;
        throw new DatasetError(
          'CHECKSUM',
          `${options.url}: MD5 ${actual} does not match the expected ${options.md5}; the file was deleted`,
          { file: options.destination },
        );
      }
    }
    renameSync(part, options.destination);
    return;
  }
}

// Duck-typed: fetch's errors come from Node's realm, which a test sandbox's instanceof does not recognise.
function innerCause(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'cause' in error ? (error as { cause: unknown }).cause : undefined;
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

function controllerAborted(cause: unknown): boolean {
  return isAbort(cause) || isAbort(innerCause(cause));
}
