import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CHECKPOINT_DIR } from './checkpoint';
import { readJsonFile } from './io/json-file';
import { readRun, RUN_JSON, type RunConfig } from './run-dir';

/** Sources that are names, not paths. */
export const NAMED_SOURCES: readonly string[] = ['cifar10', 'cifar100', 'synthetic'];

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

async function statOrNull(p: string, what = '--out') {
  try {
    return await fs.stat(p);
  } catch (error) {
    // ENOTDIR: a component above is a file; the caller finds it walking up.
    if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return null;
    throw new Error(`${what}: cannot look at ${p}: ${(error as Error).message}.`);
  }
}

const MKDIR_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'name too long',
  // Pseudo file systems such as /proc answer ENOENT for a directory that cannot exist there.
  ENOENT: 'this file system does not allow new directories here',
};

/**
 * Checks `--out` before anything is loaded, in well under a second: it must be a directory or
 * creatable as one. A missing directory is created one level at a time and removed again, which
 * finds out early what Node's recursive mkdir cannot: on /proc it retries ENOENT forever, so
 * `--out /proc/x` used to hang.
 */
export async function checkOutPath(
  out: string,
  wanted = "a new or empty directory (or, with --resume, the run's directory)",
): Promise<void> {
  if (out.includes('\0')) throw new Error(`--out ${JSON.stringify(out)} contains a NUL character; give a directory path.`);
  const missing: string[] = [];
  for (let p = out; ; p = path.dirname(p)) {
    const stats = await statOrNull(p);
    if (stats?.isDirectory()) break;
    if (stats) {
      throw new Error(
        p === out
          ? `--out ${out} is a file, not a directory: give ${wanted}.`
          : `--out ${out}: ${p} is a file, so no directory can be made under it; choose another --out.`,
      );
    }
    missing.push(p);
    if (path.dirname(p) === p) break;
  }
  const made: string[] = [];
  try {
    for (const dir of missing.reverse()) {
      try {
        await fs.mkdir(dir);
        made.push(dir);
      } catch (error) {
        if (errno(error) === 'EEXIST' && (await statOrNull(dir))?.isDirectory()) continue; // made meanwhile
        const code = errno(error) ?? 'error';
        throw new Error(
          `--out ${out}: cannot create the directory ${dir} (${MKDIR_PROBLEMS[code] ?? (error as Error).message}; ${code}); choose a directory on a writable file system.`,
        );
      }
    }
  } finally {
    // The run directory is made for real once the run starts (and removed if it then stays empty).
    for (const dir of made.reverse()) await fs.rmdir(dir).catch(() => undefined);
  }
}

/** A directory without run.json must be empty (hidden files aside), as prepareRunDir will require. */
export async function checkOutEmpty(out: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(out);
  } catch (error) {
    if (errno(error) === 'ENOENT') return;
    throw new Error(`--out ${out} cannot be read: ${(error as Error).message}.`);
  }
  const leftovers = names.filter((f) => !f.startsWith('.'));
  if (leftovers.length > 0) {
    throw new Error(
      `${out} is not empty (${leftovers.slice(0, 3).join(', ')}${leftovers.length > 3 ? ', …' : ''}); choose an empty or new --out.`,
    );
  }
}

/**
 * run.json of `dir` when it exists (null otherwise), checked as readRun checks it: whole JSON (a torn
 * file used to surface as a bare "Unexpected end of JSON input") and a fixclf run (a foreign one
 * failed as a TypeError deep inside a resume).
 */
export async function readRunJson(dir: string): Promise<RunConfig | null> {
  if ((await statOrNull(path.join(dir, RUN_JSON), 'run directory')) == null) return null;
  return readRun(dir);
}

/**
 * Checks that the JSON files of runDir/checkpoint are whole. A torn state.json used to read as
 * "no checkpoint", so the run would start again from scratch over the damaged one.
 */
export async function checkCheckpointJson(dir: string, purpose: 'resumed' | 'evaluated' = 'resumed'): Promise<void> {
  const checkpoint = path.join(dir, CHECKPOINT_DIR);
  const advice =
    `the checkpoint in ${checkpoint} cannot be ${purpose}. Restore ${checkpoint} from a backup, or train again into a new --out ` +
    '(the metrics already logged stay readable).';
  for (const file of [
    path.join(checkpoint, 'state.json'),
    path.join(checkpoint, 'optimizer.json'),
    path.join(checkpoint, 'model', 'model.json'),
  ]) {
    if (await statOrNull(file, 'checkpoint')) await readJsonFile(file, advice);
  }
}

/**
 * How run.json records the dataset: a name as is; a path beside or below the run directory
 * relative to it (so a run directory committed or copied with its data still finds it), any other
 * path absolute (the only form that means something from another working directory).
 */
export function recordDataset(source: string, runDir: string | undefined): { dataset: string; datasetRelativeTo?: 'run' } {
  if (NAMED_SOURCES.includes(source)) return { dataset: source };
  const absolute = path.resolve(source);
  if (runDir) {
    const fromParent = path.relative(path.dirname(runDir), absolute);
    const fromRun = path.relative(runDir, absolute);
    if (fromParent !== '' && fromRun !== '' && fromParent.split(path.sep)[0] !== '..' && !path.isAbsolute(fromParent)) {
      // POSIX separators, so the run directory reads the same on every OS.
      return { dataset: fromRun.split(path.sep).join('/'), datasetRelativeTo: 'run' };
    }
  }
  return { dataset: absolute };
}

/**
 * The dataset source a run was trained on, usable from here: a path recorded relative to the run
 * directory is resolved against it; names and absolute paths (all run.json files before paths
 * were recorded relative) are returned as they are.
 */
export function runDataset(config: Pick<RunConfig, 'dataset' | 'datasetRelativeTo'>, runDir: string): string {
  return config.datasetRelativeTo === 'run' ? path.resolve(runDir, ...config.dataset.split('/')) : config.dataset;
}

/** Whether two dataset sources name the same data (paths compared resolved). */
export function sameSource(a: string, b: string): boolean {
  if (NAMED_SOURCES.includes(a) || NAMED_SOURCES.includes(b)) return a === b;
  return path.resolve(a) === path.resolve(b);
}
