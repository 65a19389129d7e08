import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { interruptionPoint } from './test-hooks';

/** Writes a file so that readers see the old content or the new, never a partial one. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

/**
 * Replaces directory `dir` with the files written by `fill` into a fresh temporary sibling: the
 * new directory appears whole or not at all, and the old one is only removed once it has.
 *
 * Two renames cannot be one atomic step: a process killed between them leaves the old directory
 * as `<dir>.old-*` and the new, complete one as `.<dir>.tmp-*`, and no `<dir>`. Callers that must
 * survive that (checkpoints: see findCheckpoint) mark a complete temporary directory inside `fill`
 * and recover from these names.
 */
export async function replaceDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = path.dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  // Not mkdtemp: it makes the directory 0700 whatever the umask, and the rename keeps that, so other
  // users could read run.json and the metrics but not the checkpoint (`fixclf eval` failed with EACCES).
  const tmp = path.join(parent, `.${path.basename(dir)}.tmp-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(tmp);
  let old: string | null = null;
  try {
    await fill(tmp);
    if (await exists(dir)) {
      // A unique name: an earlier process with the same pid may have left its own `.old-` behind.
      old = await uniqueSibling(`${dir}.old-${process.pid}`);
      await fs.rename(dir, old);
      interruptionPoint('between-renames');
    }
    await fs.rename(tmp, dir);
  } catch (error) {
    if (old != null && !(await exists(dir))) await fs.rename(old, dir).catch(() => undefined);
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
  if (old != null) await fs.rm(old, { recursive: true, force: true });
}

async function uniqueSibling(base: string): Promise<string> {
  for (let i = 0; ; i++) {
    const candidate = i === 0 ? base : `${base}-${i}`;
    if (!(await exists(candidate))) return candidate;
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}
