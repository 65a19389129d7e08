import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Writes a file so that readers see the old content or the new, never a partial one. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

/**
 * Replaces directory `dir` with the files written by `fill` into a fresh temporary sibling: the
 * new directory appears whole or not at all, and the old one is only removed once it has.
 */
export async function replaceDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = path.dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  const tmp = await fs.mkdtemp(path.join(parent, `.${path.basename(dir)}.tmp-`));
  try {
    await fill(tmp);
    const old = `${dir}.old-${process.pid}`;
    const hadOld = await exists(dir);
    if (hadOld) await fs.rename(dir, old);
    await fs.rename(tmp, dir);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
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
