import { promises as fs, readFileSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Who holds a lock: written into the lock file when it is taken. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export interface HeldLock {
  readonly file: string;
  readonly owner: LockOwner;
  /** Removes the lock file if it is still ours. Synchronous, so it also works in an 'exit' handler. */
  release(): void;
}

/**
 * A held lock's file is touched every REFRESH_MS; one of another host whose file is older than
 * OTHER_HOST_STALE_MS is taken as left by a process that is gone (a job rescheduled onto another host,
 * a Kubernetes pod with a new name, whose first run was killed). Ten minutes leave room for clocks
 * that disagree and for a holder whose event loop is held up (a long synchronous step); the pid
 * decides on this host.
 */
export const LOCK_REFRESH_MS = 30_000;
export const OTHER_HOST_STALE_MS = 10 * 60_000;

/** Thrown when another live process holds the lock. */
export class LockedError extends Error {
  constructor(
    message: string,
    readonly owner: LockOwner,
  ) {
    super(message);
    this.name = 'LockedError';
  }
}

/**
 * Takes the lock file `file` for `what` (a phrase naming the locked thing, for messages). The file
 * is created whole and exclusively: written under a temporary name, then hard-linked to `file`,
 * which, like open(O_CREAT | O_EXCL), fails when `file` exists, so of two processes exactly one
 * gets it; unlike O_EXCL and a write, no reader ever sees the lock file empty. A lock left by a dead process on
 * this host, or by a process of another host that has not refreshed it for OTHER_HOST_STALE_MS, is
 * taken over (with a line to `log`); one held by a live process, or refreshed lately from another
 * host, is an error naming it. The lock is refreshed while held, and released by `release()` and, as
 * a last resort, when the process exits (process.exit included).
 */
export async function acquireLock(file: string, what: string, log: (line: string) => void): Promise<HeldLock> {
  const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  const text = JSON.stringify(owner) + '\n';
  for (let attempt = 0; attempt < 5; attempt++) {
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, text);
    try {
      await fs.link(tmp, file);
      return held(file, owner, text, log);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await fs.rm(tmp, { force: true });
    }
    const current = await readOwner(file);
    if (current === 'gone') continue; // released meanwhile: try again
    if (current === 'unreadable') {
      throw new Error(
        `${file}, the lock of ${what}, is not a fixclf lock (no pid, hostname and start time in it). If no fixclf process uses ${what}, delete ${file}.`,
      );
    }
    const stale = staleness(current, file);
    if (stale === null) {
      const elsewhere = current.hostname === owner.hostname ? null : (silentFor(file) ?? 0);
      throw new LockedError(
        `${what} is in use by another fixclf process (pid ${current.pid} on ${current.hostname}, since ${current.startedAt}; lock ${file}). ` +
          `Wait for it to finish or stop it${
            elsewhere === null
              ? ''
              : ` (it runs on another host, which refreshed the lock ${formatMinutes(elsewhere)} ago; it is taken over once silent for ${formatMinutes(OTHER_HOST_STALE_MS)})`
          }; if no such process is running any more, delete ${file}.`,
        current,
      );
    }
    // Stale (or torn by a kill while it was written): move it aside under a name of our own, check
    // that what we moved is still the stale lock and not one a competing process just took, drop it.
    // One window remains: while we put back a live lock we moved by mistake, a third process starting
    // in that same millisecond can take the empty name, and two then hold it. Closing it needs a kernel
    // lock (flock), which Node does not expose; three `--resume`s of one dead run at once are the price.
    const aside = `${file}.stale-${process.pid}-${attempt}`;
    try {
      await fs.rename(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const moved = await readOwner(aside);
    if (moved !== 'gone' && moved !== 'unreadable' && !sameOwner(moved, current)) {
      // A live lock taken between our read and our rename: put it back unless someone else already has.
      await fs.link(aside, file).catch(() => undefined);
      await fs.rm(aside, { force: true });
      continue;
    }
    await fs.rm(aside, { force: true });
    log(`fixclf: taking over the lock of ${what} left by pid ${current.pid}${stale}.`);
  }
  throw new Error(`Could not take the lock ${file} of ${what}: other processes keep taking it. Try again.`);
}

/** The lock files this process holds (resolved paths). */
const heldHere = new Set<string>();

function held(file: string, owner: LockOwner, text: string, log: (line: string) => void): HeldLock {
  let released = false;
  heldHere.add(path.resolve(file));
  // Shows other hosts that this process still runs (same host: the pid says it).
  let warned = false;
  const refresh = setInterval(() => {
    try {
      if (readFileSync(file, 'utf8') === text) utimesSync(file, new Date(), new Date());
    } catch (error) {
      // Removed from outside: nothing to keep alive. Anything else (a mount that refuses utimes) is said once.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || warned) return;
      warned = true;
      log(
        `fixclf: cannot refresh the lock ${file} (${(error as Error).message}); a process on another host may take it over once it is ${OTHER_HOST_STALE_MS / 60_000} minutes old.`,
      );
    }
  }, LOCK_REFRESH_MS);
  refresh.unref();
  const release = (): void => {
    if (released) return;
    released = true;
    clearInterval(refresh);
    heldHere.delete(path.resolve(file));
    process.off('exit', release);
    try {
      // Never remove a lock that is not ours any more (taken over after this process looked dead).
      if (readFileSync(file, 'utf8') === text) unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return { file, owner, release };
}

async function readOwner(file: string): Promise<LockOwner | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.hostname === 'string' && typeof o.startedAt === 'string') {
      return { pid: o.pid, hostname: o.hostname, startedAt: o.startedAt };
    }
  } catch {
    // Falls through: not JSON.
  }
  return 'unreadable';
}

function sameOwner(a: LockOwner, b: LockOwner): boolean {
  return a.pid === b.pid && a.hostname === b.hostname && a.startedAt === b.startedAt;
}

/**
 * Why the lock is stale, as the end of the takeover line, or null while its holder may run. On this
 * host the pid decides; a lock naming this very process that it does not hold was left by an earlier
 * one with the same pid (in a container every restart is pid 1 again, so a kill -9 and a restart found
 * "another process", itself, holding the run). Another host's lock is stale once not refreshed for
 * OTHER_HOST_STALE_MS.
 */
function staleness(owner: LockOwner, file: string): string | null {
  const since = ` (since ${owner.startedAt})`;
  if (owner.hostname !== os.hostname()) {
    const silent = silentFor(file);
    if (silent === null) return ` on ${owner.hostname}${since}, released meanwhile`; // the rename below finds it gone
    return silent > OTHER_HOST_STALE_MS ? ` on ${owner.hostname}${since}, not refreshed for ${formatMinutes(silent)}` : null;
  }
  if (owner.pid === process.pid) return heldHere.has(path.resolve(file)) ? null : `${since}, which is no longer running`;
  try {
    process.kill(owner.pid, 0);
    return null;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH' ? `${since}, which is no longer running` : null;
  }
}

/** How long ago the lock file was last written or refreshed; null if it is gone. */
function silentFor(file: string): number | null {
  try {
    return Math.max(0, Date.now() - statSync(file).mtimeMs);
  } catch {
    return null;
  }
}

/** 40 s, 12 min. */
function formatMinutes(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
